import { workflowDepsFromEnv } from '#shared/workflow/deps';
import { ParkRequestSchema } from '#shared/workflow/schemas';
import { taskHandler } from '#shared/workflow/task-handler';
import { park } from '#shared/workflow/workflow-service';

/** AwaitAgent, AwaitRequester, WithVendor, ReopenWindow: store the task token, then wait. */
const deps = workflowDepsFromEnv();

export const handler = taskHandler(ParkRequestSchema, (request) => park(deps, request));
