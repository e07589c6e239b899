import type { Clock } from '#shared/domain/clock';
import { SFNClient } from '#shared/runtime/sfn';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { DynamoWorkflowStore } from './adapters/dynamodb.ts';
import { SfnWorkflowExecutions } from './adapters/sfn.ts';
import { workflowArnFromEnv } from './config.ts';
import type { WorkflowViewDeps } from './workflow-view.ts';

/** What the workflow view reads, wired from the environment once per container. */
export const workflowViewDepsFromEnv = (clock: Clock): WorkflowViewDeps => ({
  executions: new SfnWorkflowExecutions(new SFNClient({}), workflowArnFromEnv()),
  workflows: new DynamoWorkflowStore(documentClient(), tableNameFromEnv()),
  clock,
});
