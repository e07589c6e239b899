import { clockInputOf, evaluateClocks, everAnswered, everEscalated } from '#shared/domain/clocks';
import type { ClockState } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { bucketOf } from './sketch.ts';

/**
 * What one version of a ticket adds to the reports: pure, from the ticket before and after the
 * change (the stream record's images) and the timeline events that version wrote. Each figure
 * lands in one cell: the day of the change in the desk's time zone × tier × group × priority ×
 * channel. Which state a figure belongs to:
 * - what the change did (created, resolved, closed, reopened, SLA breaches, CSAT): the ticket after it;
 * - what ended with it (an escalation leaves its tier, a clock stops): the ticket before it, so an
 *   escalation and the time spent in the tier count for the tier that was left;
 * - a tier's OLA (met, breached, time in tier): that tier, with the group the ticket had before
 *   the change, even when the breach is what escalated it.
 */

export interface Cell {
  day: string;
  tier: number;
  group: string;
  priority: string;
  channel: string;
}

/** The desk-wide cell of a day: what belongs to no ticket (deflections, quarantined mail). */
export const deskCell = (day: string): Cell => ({ day, tier: 0, group: '-', priority: '-', channel: '-' });

/** The sketched durations: business time to first response, to resolution, in a tier. */
export const DURATIONS = ['firstResponse', 'resolution', 'timeInTier'] as const;
export type Duration = (typeof DURATIONS)[number];

export interface CellDelta {
  cell: Cell;
  /** Counter name → amount (negative when a replaced CSAT answer leaves its score). */
  counts: Record<string, number>;
  /** One value per entry, by sketch bucket. */
  samples: { duration: Duration; bucket: number | 'zero' }[];
}

export const dayIn = (timeZone: string, at: string | Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(at),
  );

const cellOf = (ticket: Ticket, day: string, tier: number = ticket.tier): Cell => ({
  day,
  tier,
  group: ticket.group,
  priority: ticket.priority,
  channel: ticket.channel,
});

const clocksOf = (ticket: Ticket | undefined): ClockState[] => {
  const policy = ticket?.clocks.policy;
  if (!ticket || !policy) return [];
  return evaluateClocks({ ...clockInputOf(ticket.clocks), policy, now: new Date(ticket.updatedAt) }).clocks;
};

const hasAgentReply = (ticket: Ticket | undefined) => (ticket ? everAnswered(ticket.clocks) : false);

/** Escalated ever: a `tier` fact above the one the ticket was created (or routed) at. */
const wasEscalated = (ticket: Ticket) => everEscalated(ticket.clocks);

class Deltas {
  private readonly byCell = new Map<string, CellDelta>();

  private of(cell: Cell): CellDelta {
    const key = `${cell.day}#${cell.tier}#${cell.group}#${cell.priority}#${cell.channel}`;
    let delta = this.byCell.get(key);
    if (!delta) {
      delta = { cell, counts: {}, samples: [] };
      this.byCell.set(key, delta);
    }
    return delta;
  }

  count(cell: Cell, name: string, amount = 1): void {
    const delta = this.of(cell);
    delta.counts[name] = (delta.counts[name] ?? 0) + amount;
  }

  sample(cell: Cell, duration: Duration, value: number): void {
    this.of(cell).samples.push({ duration, bucket: bucketOf(value) });
  }

  all(): CellDelta[] {
    return [...this.byCell.values()];
  }
}

const SLA_CLOCKS = new Set([
  'first_response',
  'next_response',
  'resolution',
  'ola',
  'uc_response',
  'uc_resolution',
]);

export const ticketDeltas = (
  before: Ticket | undefined,
  after: Ticket,
  events: readonly TimelineEvent[],
  timeZone: string,
): CellDelta[] => {
  const deltas = new Deltas();
  const day = dayIn(timeZone, after.updatedAt);
  const now = cellOf(after, day);
  const was = before ? cellOf(before, day) : now;

  for (const event of events) {
    const data = event.data ?? {};
    switch (event.type) {
      case 'created':
        deltas.count(now, 'created');
        break;
      case 'resolved':
        deltas.count(now, 'resolved');
        if (data.selfServed === true) deltas.count(now, 'selfServed');
        if (after.tier <= 1 && !wasEscalated(after)) deltas.count(now, 'firstContactResolved');
        break;
      case 'closed':
        deltas.count(now, 'closed');
        if (data.reason !== 'merged' && after.mergedInto === undefined) deltas.count(now, 'surveyed');
        break;
      case 'reopened':
        deltas.count(now, 'reopened');
        break;
      case 'escalated':
        deltas.count(was, data.automatic === true ? 'escalatedAutomatic' : 'escalatedManual');
        break;
      case 'handoff':
        deltas.count(was, 'handedOff');
        break;
      case 'merged':
        if (data.into !== undefined) deltas.count(now, 'merged');
        break;
      case 'clock_breach':
        if (typeof data.clock === 'string' && SLA_CLOCKS.has(data.clock)) {
          // A tier's OLA breach is that tier's (and the group's that had it), as its met and its
          // time in tier are, even when the breach escalated the ticket in this very version.
          const cell = typeof data.tier === 'number' ? cellOf(before ?? after, day, data.tier) : now;
          deltas.count(cell, `breached_${data.clock}`);
        }
        break;
      case 'csat_recorded': {
        const previous = before?.csat;
        if (data.replaces === true && previous) {
          // The answer it replaces leaves the day and the cell it was counted in.
          const then = cellOf(before, dayIn(timeZone, previous.at));
          deltas.count(then, `csat_${previous.score}`, -1);
          deltas.count(then, 'csatResponses', -1);
        }
        deltas.count(now, `csat_${String(data.score)}`);
        deltas.count(now, 'csatResponses');
        break;
      }
      default:
        break;
    }
  }

  const clocks = clocksOf(after);
  if (!hasAgentReply(before) && hasAgentReply(after)) {
    deltas.count(was, 'firstResponded');
    // Sampled at the first reply only: a first-response clock stopped by a resolution without
    // an answer is no response time.
    const first = clocks.find((clock) => clock.clock === 'first_response' && clock.stoppedAt !== undefined);
    if (first) deltas.sample(was, 'firstResponse', first.elapsed);
  }
  // A resolution clock also stops when a duplicate is merged away: that is no time to resolution.
  const resolvedNow = events.some((event) => event.type === 'resolved');
  const earlier = new Map(clocksOf(before).map((clock) => [clock.key, clock]));
  for (const clock of clocks) {
    if (clock.stoppedAt === undefined || earlier.get(clock.key)?.stoppedAt !== undefined) continue;
    const cell = clock.tier !== undefined ? cellOf(before ?? after, day, clock.tier) : was;
    if (clock.status === 'met') deltas.count(cell, `met_${clock.clock}`);
    if (clock.clock === 'resolution' && resolvedNow) deltas.sample(cell, 'resolution', clock.elapsed);
    if (clock.clock === 'ola') deltas.sample(cell, 'timeInTier', clock.elapsed);
  }
  return deltas.all();
};
