import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { onFirstUse } from '#shared/runtime/lazy';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { planAssignment } from '#shared/tickets/assignment';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { workflowArnFromEnv } from './config.ts';
import type { WorkflowDeps } from './workflow-service.ts';

/** The workflow tasks' dependencies, wired from the environment once per container. */
export const workflowDepsFromEnv = (): WorkflowDeps => {
  const tickets = ticketDepsFromEnv();
  const workflowArn = workflowArnFromEnv();
  return {
    store: tickets.store,
    clock: tickets.clock,
    // A fresh deployment runs on the built-in configuration until an admin applies one. Which
    // version is current is read on every use (a small item), so the next ticket triaged after an
    // admin's change pins the new policy; each version's document is read once per container.
    config: configReader(new DynamoConfigStore(documentClient(), tableNameFromEnv()), {
      ttlMs: 0,
      clock: tickets.clock,
    }),
    workflows: new DynamoWorkflowStore(documentClient(), tableNameFromEnv()),
    // Waking an execution is the rare path (a park that lost a race with a change, an evaluation
    // that decided otherwise): the Step Functions client is a chunk loaded then.
    wake: onFirstUse(async () => (await import('#shared/workflow/adapters/sfn-wake')).sfnWake(workflowArn)),
    assignment: (ticket) => planAssignment(tickets, ticket),
  };
};
