import { clockInputOf, evaluateClocks } from './clocks.ts';
import type { Ticket } from './ticket.ts';

/**
 * The ticket with `dueAt` — the earliest running deadline, which the tier queues sort by — as its
 * clocks have it. It follows from the clock facts, the applied events and the pinned policy alone
 * (not from when it is computed), so the ticket store sets it on every write: whoever changes the
 * ticket (a reply, a priority, a pause, the workflow) leaves the queue order current, and the
 * workflow need not be woken only to rewrite it. `now` only anchors the clock engine.
 */
export const withDueAt = (ticket: Ticket, now: Date): Ticket => {
  const policy = ticket.clocks?.policy;
  const dueAt = policy ? evaluateClocks({ ...clockInputOf(ticket.clocks), policy, now }).dueAt : undefined;
  if (dueAt === ticket.dueAt) return ticket;
  const next = { ...ticket };
  if (dueAt) next.dueAt = dueAt;
  else delete next.dueAt;
  return next;
};
