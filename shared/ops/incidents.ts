import type { Tier } from '#shared/domain/ticket-fields';
import { logger } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import type { Page, PageRequest } from '#shared/store/query-page';
import type { TicketStore } from '#shared/tickets/ticket-store';
import { parseExecutionName } from '#shared/workflow/wake';
import type { WorkflowControl } from './workflow-control.ts';

/**
 * Incidents: every execution of a ticket's workflow that ended FAILED, TIMED_OUT or ABORTED, as
 * Step Functions reported it ("Step Functions Execution Status Change" through EventBridge on AWS;
 * the local engine emits the same event into the same recorder). The ops list of failures reads
 * them, never ListExecutions: that has no tier filter and is throttled.
 */

export const INCIDENT_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Incident {
  ticketNumber: number;
  tier: Tier;
  execution: string;
  executionArn: string;
  status: IncidentStatus;
  error?: string;
  cause?: string;
  /** The state the execution failed in (or was stopped in), from its history. */
  failedState?: string;
  startedAt: string;
  stoppedAt: string;
  redriveCount: number;
  /** Set once an operator or the reconciliation dealt with it: it leaves the open lists. */
  resolved?: { at: string; by: string; action: string };
}

/** The port to the incident records (the DynamoDB adapter is `adapters/dynamodb.ts`). */
export interface IncidentStore {
  /** Writes the incident and lists it as open; the same event twice writes the same items. */
  record(incident: Incident): Promise<void>;
  /** Marks it dealt with and takes it off the open lists. */
  resolve(incident: Incident, resolution: NonNullable<Incident['resolved']>): Promise<void>;
  /** The open incidents in `status` (of one tier), newest first. */
  open(status: IncidentStatus, tier: Tier | undefined, page: PageRequest): Promise<Page<Incident>>;
  /** Every incident of a ticket, open or resolved. */
  ofTicket(ticketNumber: number): Promise<Incident[]>;
}

export interface RecorderDeps {
  incidents: Pick<IncidentStore, 'record'>;
  tickets: Pick<TicketStore, 'getTicket'>;
  control: Pick<WorkflowControl, 'lastState'>;
  /** Only this state machine's executions are the desk's. */
  stateMachineArn: string;
}

const epoch = /* @__PURE__ */ z.built(() =>
  z.pipe(
    z.number(),
    z.transform((ms: number) => new Date(ms).toISOString()),
  ),
);

/** The EventBridge event (its `detail`), as AWS sends it and the local engine emits it. */
const StatusChangeSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    'detail-type': z.literal('Step Functions Execution Status Change'),
    detail: z.object({
      executionArn: z.string(),
      stateMachineArn: z.string(),
      name: z.string(),
      status: z.string(),
      startDate: epoch,
      stopDate: z.nullish(epoch),
      error: z.nullish(z.string()),
      cause: z.nullish(z.string()),
      redriveCount: z.optional(z.int().check(z.nonnegative())),
    }),
  }),
);

export const isStatusChange = (event: unknown): boolean =>
  (event as { 'detail-type'?: unknown })?.['detail-type'] === 'Step Functions Execution Status Change';

const isIncidentStatus = (status: string): status is IncidentStatus =>
  (INCIDENT_STATUSES as readonly string[]).includes(status);

/**
 * Records an execution that ended badly as an incident. Passed over: other statuses, other state
 * machines, names that are not a ticket's, and closed tickets (a closed ticket needs no workflow:
 * the reconciliation stops the executions of closed tickets, and that is no incident).
 */
export const recordStatusChange = async (
  deps: RecorderDeps,
  event: unknown,
): Promise<'recorded' | 'ignored'> => {
  const { detail } = StatusChangeSchema.parse(event);
  const named = parseExecutionName(detail.name);
  if (!isIncidentStatus(detail.status) || detail.stateMachineArn !== deps.stateMachineArn || !named)
    return 'ignored';
  const ticket = await deps.tickets.getTicket(named.ticketNumber);
  if (!ticket || ticket.status === 'closed') return 'ignored';
  const failedState = await deps.control.lastState(detail.executionArn);
  await deps.incidents.record({
    ticketNumber: ticket.number,
    tier: ticket.tier,
    execution: detail.name,
    executionArn: detail.executionArn,
    status: detail.status,
    ...(detail.error && { error: detail.error }),
    ...(detail.cause && { cause: detail.cause }),
    ...(failedState && { failedState }),
    startedAt: detail.startDate,
    stoppedAt: detail.stopDate ?? detail.startDate,
    redriveCount: detail.redriveCount ?? 0,
  });
  logger.warn('Workflow incident recorded', {
    ticket: ticket.number,
    execution: detail.name,
    status: detail.status,
  });
  return 'recorded';
};
