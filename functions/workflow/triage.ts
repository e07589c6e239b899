import { workflowDepsFromEnv } from '#shared/workflow/deps';
import { DecisionRequestSchema } from '#shared/workflow/schemas';
import { taskHandler } from '#shared/workflow/task-handler';
import { triage } from '#shared/workflow/workflow-service';

/** Triage: pin the SLA policy, route by category, then the first decision. */
const deps = workflowDepsFromEnv();

export const handler = taskHandler(DecisionRequestSchema, (request) => triage(deps, request));
