import { SFNClient } from '@aws-sdk/client-sfn';
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
      currentPolicy: async () => {
        const policy = await tickets.config.getPolicy(DEFAULT_POLICY_ID);
        if (!policy) throw new Error(`No SLA policy "${DEFAULT_POLICY_ID}" is configured.`);
        return policy;
      },
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
