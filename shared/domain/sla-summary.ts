import { addBusinessTime, isWorkingTime } from './calendar.ts';
import { clockInputOf, nextRequesterClock, requesterClocksPaused } from './clocks.ts';
import type { ClockName, TicketClocks } from './service-levels.ts';
import type { Status } from './ticket-fields.ts';

/**
 * A ticket's next service-level target towards its requester, as the desk's lists show it: which
 * clock, when it is due, how much business time is left and when the desk warns. A badge counts
 * `remainingMs` down from `asOf` while `running`, so it needs no calendar of its own.
 */
export interface SlaSummary {
  clock: 'response' | 'resolution';
  /**
   * When the target is (or was) breached if nothing changes; while the clock is paused, when it
   * would be if the clock ran again from `asOf`.
   */
  dueAt: string;
  /** Business time left at `asOf`; negative once breached. */
  remainingMs: number;
  /** The desk warns once no more than this much business time is left (the policy's `warnAt`). */
  warningMs: number;
  /** The clock counts now: not paused (pending, on hold) and inside the calendar's working hours. */
  running: boolean;
  asOf: string;
}

const SLA_CLOCKS: Partial<Record<ClockName, SlaSummary['clock']>> = {
  first_response: 'response',
  next_response: 'response',
  resolution: 'resolution',
};

/**
 * The SLA clock with the least business time left, from what the ticket stores (its clock
 * checkpoint, the facts after it and its pinned policy: never its whole history), as of `now`; none before triage pinned a policy, or once the ticket is
 * resolved or closed (its SLA clocks have stopped). OLA and vendor clocks are the desk's
 * internal targets: they order the queues (`dueAt`) but are not the requester's promise.
 */
export const slaSummary = (
  ticket: { status: Status; clocks: TicketClocks },
  now: Date,
): SlaSummary | undefined => {
  const { policy } = ticket.clocks;
  if (!policy) return undefined;
  const next = nextRequesterClock({ ...clockInputOf(ticket.clocks), policy, now });
  const clock = next && SLA_CLOCKS[next.clock];
  if (!next || !clock) return undefined;
  const remaining = next.target - next.elapsed;
  const paused = requesterClocksPaused(ticket.status, policy);
  const dueAt = next.deadline ?? addBusinessTime(policy.calendar, now, Math.max(0, remaining)).toISOString();
  return {
    clock,
    dueAt,
    remainingMs: remaining,
    warningMs: next.target - Math.round(next.target * policy.warnAt),
    running: !paused && isWorkingTime(policy.calendar, now),
    asOf: now.toISOString(),
  };
};
