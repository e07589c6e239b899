import { clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import type { Ticket } from '#shared/domain/ticket';
import { phaseOf } from './decision.ts';
import { wakeReasons } from './wake.ts';

/**
 * Whether a ticket change must wake its parked workflow. A wake costs three state transitions
 * (Evaluate, Route, a park state), and the parked workflow sleeps until the ticket's earliest
 * pending clock event, in the park state of its phase. A change needs it awake only if it changes
 * one of those two for the worse:
 * - the phase (a resolution, a hand-off, a close): the workflow waits elsewhere, or ends;
 * - a clock event earlier than any the ticket had (a priority raised, a new response clock that
 *   falls due first): sleeping on would apply it late.
 * The queue order (`dueAt`) is no reason: the ticket store sets it on every write (`withDueAt`).
 * A change that only removes or postpones clock events (a first reply meets the first-response
 * clock, a deadline moves later) lets the workflow sleep on: its park times out at the instant it
 * chose, ApplyClockEvent re-reads the ticket, finds nothing due and parks again until the new
 * first event — three transitions, as the wake would have cost, and none when another change (a
 * resolution) wakes it first. Nothing falls due before that instant, so nothing is late.
 * Nor does a change the workflow wrote itself (a clock event applied, the policy pinned at
 * triage) wake it: the task that wrote it decides from the version it wrote before it parks.
 *
 * Clock events follow from the ticket's clock facts, applied keys, pinned policy and vendor
 * contract, not from when they are computed (vendor reminders count from the hand-off), so both
 * images are read at the instant of the change.
 */

interface Schedule {
  phase: string;
  /** The earliest pending clock event's instant (ms); Infinity when none is pending. */
  first: number;
}

const scheduleOf = (ticket: Ticket, now: Date): Schedule => {
  const { policy } = ticket.clocks;
  const view =
    policy &&
    evaluateClocks({
      ...clockInputOf({
        ...ticket.clocks,
        facts: ticket.clocks.facts ?? [],
        applied: ticket.clocks.applied ?? [],
      }),
      policy,
      now,
    });
  const first = view?.events[0];
  return {
    phase: phaseOf(ticket.status),
    first: first ? Date.parse(first.at) : Number.POSITIVE_INFINITY,
  };
};

/** The image carries its clocks: a pinned policy, and a checkpoint or every fact from `created`. */
const replayable = (ticket: Ticket): boolean =>
  ticket.clocks?.policy !== undefined &&
  (ticket.clocks.checkpoint !== undefined ||
    (ticket.clocks.facts ?? []).some((fact) => fact.type === 'created'));

/** The workflow wrote this change itself: it applied a clock event, or triage pinned the policy. */
const writtenByWorkflow = (before: Ticket, after: Ticket): boolean =>
  // A key new to the applied list (a checkpoint sheds the keys of finished clocks, so the list
  // may also grow shorter in the same write).
  (after.clocks?.applied ?? []).some((key) => !(before.clocks?.applied ?? []).includes(key)) ||
  (!before.clocks?.policy && after.clocks?.policy !== undefined);

/** The reasons to wake the workflow for this change (for the log), or none when it may sleep on. */
export const wakeFor = (before: Ticket, after: Ticket): string[] => {
  if (writtenByWorkflow(before, after)) return [];
  const reasons = wakeReasons(before, after);
  // Without a pinned policy, or without the clock facts in the image (a ticket item that keeps
  // them elsewhere), there is no schedule to compare: the watched fields decide, as ever.
  if (!replayable(before) || !replayable(after)) return reasons;
  const now = new Date(after.updatedAt ?? Date.now());
  const was = scheduleOf(before, now);
  const is = scheduleOf(after, now);
  const wake: string[] = [];
  if (is.phase !== was.phase) wake.push('phase');
  if (is.first < was.first) wake.push('earlier clock event');
  return wake.length === 0 ? [] : reasons.length > 0 ? reasons : wake;
};
