import { workflowDepsFromEnv } from '#shared/workflow/deps';
import { DecisionRequestSchema } from '#shared/workflow/schemas';
import { taskHandler } from '#shared/workflow/task-handler';
import { applyClockEvent } from '#shared/workflow/workflow-service';

/** WarnOfDeadline, RecordBreach, EscalateTier, NotifySupervisors, RemindVendor, RemindRequester, Close. */
const deps = workflowDepsFromEnv();

export const handler = taskHandler(DecisionRequestSchema, (request) => applyClockEvent(deps, request));
