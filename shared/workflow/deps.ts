import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import type { Clock } from '#shared/domain/clock';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { planAssignment } from '#shared/tickets/assignment';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowExecutions, SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import { workflowArnFromEnv } from './config.ts';
import type { WorkflowDeps } from './workflow-service.ts';
import type { WorkflowViewDeps } from './workflow-view.ts';

/** The workflow tasks' dependencies, wired from the environment once per container. */
export const workflowDepsFromEnv = (): WorkflowDeps => {
  const tickets = ticketDepsFromEnv();
  const signals = new SfnWorkflowSignals(new SFNClient({}), workflowArnFromEnv());
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
    wake: (token, reasons) => signals.wake(token, reasons),
    assignment: (ticket) => planAssignment(tickets, ticket),
  };
};

/** What the workflow view reads, wired from the environment once per container. */
export const workflowViewDepsFromEnv = (clock: Clock): WorkflowViewDeps => ({
  executions: new SfnWorkflowExecutions(new SFNClient({}), workflowArnFromEnv()),
  workflows: new DynamoWorkflowStore(documentClient(), tableNameFromEnv()),
  clock,
});
