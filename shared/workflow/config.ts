import { requiredEnv } from '#shared/runtime/env';

/** The variable that names the ticket workflow's state machine (set by the CDK workflow construct and the local stack). */
export const WORKFLOW_ARN_VARIABLE = 'WORKFLOW_ARN';

export const workflowArnFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  requiredEnv(WORKFLOW_ARN_VARIABLE, env);
