import { SFNClient } from '@aws-sdk/client-sfn';
import { BUILT_IN_POLICY, BUILT_IN_POLICY_ID } from '#shared/config/built-in-policy';
import type { Clock } from '#shared/domain/clock';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { autoAssign } from '#shared/tickets/assignment';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowExecutions, SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import { workflowArnFromEnv } from './config.ts';
import type { WorkflowDeps } from './workflow-service.ts';
import type { WorkflowViewDeps } from './workflow-view.ts';

/** The SLA policy new tickets pin (its current version); the admin API will make it configurable. */
export const DEFAULT_POLICY_ID = BUILT_IN_POLICY_ID;

/** The workflow tasks' dependencies, wired from the environment once per container. */
export const workflowDepsFromEnv = (): WorkflowDeps => {
  const tickets = ticketDepsFromEnv();
  const signals = new SfnWorkflowSignals(new SFNClient({}), workflowArnFromEnv());
  return {
    store: tickets.store,
    clock: tickets.clock,
    config: {
      // A fresh deployment has no configuration yet (there is no admin API so far): it runs on
      // the built-in standard policy until one is published.
      currentPolicy: async () => (await tickets.config.getPolicy(DEFAULT_POLICY_ID)) ?? BUILT_IN_POLICY,
      routingRules: () => tickets.config.routingRules(),
      vendor: (vendorId) => tickets.config.getVendor(vendorId),
    },
    workflows: new DynamoWorkflowStore(documentClient(), tableNameFromEnv()),
    wake: (token, reasons) => signals.wake(token, reasons),
    autoAssign: async (ticketNumber) => {
      await autoAssign(tickets, ticketNumber);
    },
  };
};

/** What the workflow view reads, wired from the environment once per container. */
export const workflowViewDepsFromEnv = (clock: Clock): WorkflowViewDeps => ({
  executions: new SfnWorkflowExecutions(new SFNClient({}), workflowArnFromEnv()),
  workflows: new DynamoWorkflowStore(documentClient(), tableNameFromEnv()),
  clock,
});
