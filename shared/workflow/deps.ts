import { SFNClient } from '@aws-sdk/client-sfn';
import { DEMO_STANDARD_POLICY } from '#shared/domain/demo-service-levels';
import { documentClient, ticketDepsFromEnv } from '#shared/store/client';
import { WorkflowStore } from '#shared/store/workflow-store';
import { autoAssign } from '#shared/tickets/assignment';
import { WorkflowSignals } from './signals.ts';
import type { WorkflowDeps } from './workflow-service.ts';

/** The SLA policy new tickets pin (its current version); the admin API will make it configurable. */
export const DEFAULT_POLICY_ID = 'standard';

/** The workflow tasks' dependencies, wired from the environment once per container. */
export const workflowDepsFromEnv = (): WorkflowDeps => {
  const tickets = ticketDepsFromEnv();
  const signals = new WorkflowSignals(new SFNClient({}), process.env.WORKFLOW_ARN ?? '');
  return {
    store: tickets.store,
    clock: tickets.clock,
    config: {
      // A fresh deployment has no configuration yet (there is no admin API so far): it runs on
      // the built-in standard policy until one is published.
      currentPolicy: async () => (await tickets.config.getPolicy(DEFAULT_POLICY_ID)) ?? DEMO_STANDARD_POLICY,
      routingRules: () => tickets.config.routingRules(),
      vendor: (vendorId) => tickets.config.getVendor(vendorId),
    },
    workflows: new WorkflowStore(documentClient(), process.env.TABLE_NAME ?? ''),
    wake: (token, reasons) => signals.wake(token, reasons),
    autoAssign: async (ticketNumber) => {
      await autoAssign(tickets, ticketNumber);
    },
  };
};
