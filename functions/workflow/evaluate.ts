import { workflowDepsFromEnv } from '#shared/workflow/deps';
import { DecisionRequestSchema } from '#shared/workflow/schemas';
import { taskHandler } from '#shared/workflow/task-handler';
import { evaluate } from '#shared/workflow/workflow-service';

/** Evaluate: after a wake or a timeout, decide again from the ticket as stored. */
const deps = workflowDepsFromEnv();

export const handler = taskHandler(DecisionRequestSchema, (request) => evaluate(deps, request));
