import type { Ticket } from '#shared/domain/ticket';
import { logger } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { TICKET_ENTITY } from '#shared/store/entities';
import { decodeImage, type StreamRecord } from '#shared/store/stream';
import type { WorkflowSignals } from './signals.ts';
import { wakeFor } from './wake-decision.ts';
import type { WorkflowStore } from './workflow-store.ts';

/**
 * The workflow's side of the table's stream: a new ticket starts its workflow; a change that
 * moves its phase or its clock events (`wakeFor`) wakes the parked workflow (SendTaskSuccess to the stored token). At least once and
 * idempotent: a repeated start finds the execution running, a repeated wake finds the token
 * stale, and the workflow re-reads the ticket whatever woke it.
 */

export interface TicketChangeDeps {
  signals: Pick<WorkflowSignals, 'start' | 'wake'>;
  workflows: Pick<WorkflowStore, 'parked'>;
}

/** What of a ticket image the reactions read (`wakeFor`); the rest passes through unread. */
const TicketImageSchema = /* @__PURE__ */ z.built(() =>
  z.looseObject({
    number: z.int().check(z.positive()),
    version: z.int().check(z.positive()),
    status: z.string(),
    tier: z.int(),
    priority: z.string(),
    assignee: z.optional(z.string()),
    clocks: z.optional(z.looseObject({ facts: z.optional(z.array(z.looseObject({ type: z.string() }))) })),
  }),
);

const ticketIn = (record: StreamRecord, which: 'NewImage' | 'OldImage'): Ticket | undefined =>
  decodeImage(record, which, TICKET_ENTITY.ticket, TicketImageSchema) as Ticket | undefined;

export const reactToTicketChange = async (deps: TicketChangeDeps, record: StreamRecord): Promise<void> => {
  const after = ticketIn(record, 'NewImage');
  if (!after) return;
  if (record.eventName === 'INSERT') {
    const outcome = await deps.signals.start(after.number);
    logger.info('Workflow start', { ticket: after.number, outcome });
    return;
  }
  const before = ticketIn(record, 'OldImage');
  if (record.eventName !== 'MODIFY' || !before) return;
  const reasons = wakeFor(before, after);
  if (reasons.length === 0) return;
  const parked = await deps.workflows.parked(after.number);
  // Parked on an older version than this change: wake it. Parked on this version or later: the
  // workflow already decided from it (or newer), and a wake would only cost a transition.
  if (!parked || parked.version >= after.version) return;
  const woke = await deps.signals.wake(parked.token, reasons);
  logger.info('Workflow wake', { ticket: after.number, version: after.version, reasons, woke });
};
