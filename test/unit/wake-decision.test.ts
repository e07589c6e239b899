import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR, DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { CALENDAR_24X7 } from '#shared/domain/calendar';
import { ClockHistoryNeeded, clockInputOf, evaluateClocks, recordClocks } from '#shared/domain/clocks';
import { withDueAt } from '#shared/domain/due-at';
import {
  comment,
  escalate,
  handOff,
  initialClocks,
  priorityFacts,
  recordVendorUpdate,
  reopen,
  resolve,
  setPending,
  type Transition,
} from '#shared/domain/lifecycle';
import type { ClockFact, ServicePolicy } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { Priority } from '#shared/domain/ticket-fields';
import { wakeFor } from '#shared/workflow/wake-decision';
import { applyDueEvents, decide } from '#shared/workflow/workflow-service';
import { people, storedTicket } from '#test/support/fixtures';

/**
 * Skipping a wake must never make a clock event late or lost. Two simulated workflows follow the
 * same ticket through the same random changes and clock advances: one is woken by every change
 * (the level-triggered baseline), the other only when `wakeFor` says so. Each runs as the state
 * machine does: a wake is Evaluate (the real `decide`), then ApplyClockEvent (the real
 * `applyDueEvents`) while something is due; a timeout goes straight to ApplyClockEvent, which
 * applies what is due by then (or nothing, when a change moved the event it waited for); then it
 * sleeps until its decision's next event. Every write goes through the store's rule for the queue
 * order (`withDueAt`), as the DynamoDB ticket store applies it. Both must apply the same clock
 * events at the same instants, end with the same ticket, keep `dueAt` current after every write,
 * and the skipping one may not take more state transitions.
 */

const HOUR = 3_600_000;
const CREATED = Date.parse('2026-11-23T07:30:00.000Z'); // a Monday, before business hours in Berlin

type Change = (ticket: Ticket, at: Date) => Transition;

const raise =
  (priority: Priority): Change =>
  (ticket, at) => {
    const after = priorityFacts(ticket, { ...ticket, priority }, at.toISOString());
    return { ticket: after, events: [] };
  };

/** What people do to a ticket, by whom. A change its status does not allow throws, and is skipped. */
const CHANGES: Record<string, Change> = {
  agentReply: (t, at) => comment(t, people.t12, { body: 'On it.', public: true }, at),
  requesterReply: (t, at) => comment(t, people.alice, { body: 'Any news?', public: true }, at),
  internalNote: (t, at) => comment(t, people.t12, { body: 'Checked the logs.', public: false }, at),
  assign: (t) => ({ ticket: { ...t, assignee: t.assignee ? undefined : 't12@example.com' }, events: [] }),
  tag: (t) => ({ ticket: { ...t, tags: [...t.tags, 'x'] }, events: [] }),
  pending: (t, at) => setPending(t, people.t12, { reason: 'Need a screenshot' }, at),
  resolve: (t, at) => resolve(t, people.sup, { resolution: 'Fixed.' }, at),
  reopen: (t, at) => reopen(t, people.alice, { reason: 'Again.' }, at),
  escalate: (t, at) => escalate(t, people.sup, { reason: 'Next tier', summary: 'Tried.' }, at),
  handOff: (t, at) => handOff(t, people.sup, { vendor: DEMO_PRINTER_VENDOR, message: 'Please fix.' }, at),
  vendorAnswer: (t, at) => recordVendorUpdate(t, people.sup, { message: 'Looking.', resolved: false }, at),
  vendorResolves: (t, at) => recordVendorUpdate(t, people.sup, { message: 'Done.', resolved: true }, at),
  toP1: raise('P1'),
  toP2: raise('P2'),
  toP4: raise('P4'),
};

type Step = { kind: 'change'; change: string; after: number } | { kind: 'advance'; by: number };

interface World {
  ticket: Ticket;
  /** When the parked workflow's timeout fires; undefined once the execution ended. */
  timerAt: number | undefined;
  /** `key@instant` of every clock event applied, in order. */
  applied: string[];
  wakes: number;
  /** Timeouts whose ApplyClockEvent found nothing due (a change had moved the event later). */
  emptyTimeouts: number;
  /** States entered, as the execution's history would count them (each a billed transition). */
  transitions: number;
  /** Writes after which the stored `dueAt` was not the clocks' earliest running deadline. */
  staleDueAt: number;
  /** Each version as the store keeps it: a clock checkpoint and the facts it recorded. */
  asStored: boolean;
  /** What the store keeps beside the ticket: every fact, the applied keys the ticket shed. */
  facts: ClockFact[];
  archived: string[];
}

/**
 * The next version of the world's ticket, as the store would write it: computed again on the
 * whole history when the checkpoint no longer fits (a hand-off pins the vendor's contract).
 */
const written = (world: World, next: Ticket): Ticket => {
  if (!world.asStored) return next;
  const before = world.ticket.clocks;
  const added = next.clocks.facts.slice(before.facts.length);
  let record: ReturnType<typeof recordClocks>;
  try {
    record = recordClocks(before, next.clocks);
  } catch (error) {
    if (!(error instanceof ClockHistoryNeeded)) throw error;
    const { checkpoint: _before, ...whole } = before;
    const { checkpoint: _next, ...proposed } = next.clocks;
    const history = { ...whole, facts: world.facts, applied: [...world.archived, ...before.applied] };
    record = recordClocks(history, {
      ...proposed,
      facts: [...world.facts, ...added],
      applied: [...world.archived, ...next.clocks.applied],
    });
  }
  world.facts.push(...record.recorded);
  world.archived.push(...record.archived);
  return { ...next, clocks: record.clocks };
};

/** What the ticket store writes: the ticket with the next version and its queue order current. */
const write = (world: World, ticket: Ticket, at: number): void => {
  world.ticket = withDueAt(written(world, { ...ticket, version: world.ticket.version + 1 }), new Date(at));
  const { policy } = world.ticket.clocks;
  const dueAt =
    policy && evaluateClocks({ ...clockInputOf(world.ticket.clocks), policy, now: new Date(at) }).dueAt;
  if (world.ticket.dueAt !== dueAt) world.staleDueAt++;
};

/** ApplyClockEvent: applies what is due by `at`, if anything; true when it wrote. */
const applyDue = (world: World, at: number): boolean => {
  world.transitions++;
  const outcome = applyDueEvents(world.ticket, new Date(at), undefined);
  if (!outcome) return false;
  write(world, outcome.ticket, at);
  world.applied.push(...outcome.applied.map((event) => `${event.key}@${new Date(at).toISOString()}`));
  return true;
};

/**
 * One run of the state machine from a task's decision: Route, then ApplyClockEvent while something
 * is due, then a park (or Closed) until the next event.
 */
const route = (world: World, at: number): void => {
  for (let loop = 0; loop < 50; loop++) {
    const decision = decide(world.ticket, { generation: 0, loops: 0 }, new Date(at));
    world.transitions += 2; // Route, and the state it leads to
    if (decision.phase === 'closed') {
      world.timerAt = undefined;
      return;
    }
    if (decision.action === 'none' || !decision.due) {
      world.timerAt = at + decision.waitSeconds * 1000;
      return;
    }
    world.transitions--; // the state Route leads to is ApplyClockEvent, counted there
    if (!applyDue(world, at))
      throw new Error(`Route chose ${decision.due.key}, which applyDueEvents refused.`);
  }
  throw new Error('The workflow did not settle in 50 decisions.');
};

/** Triage or Evaluate (they decide from the ticket as stored), then Route. */
const runWorkflow = (world: World, at: number): void => {
  world.transitions++;
  route(world, at);
};

/** The park timed out: ApplyClockEvent straight away, then Route. */
const timeout = (world: World, at: number): void => {
  if (!applyDue(world, at)) world.emptyTimeouts++;
  route(world, at);
};

const fireTimers = (world: World, until: number): void => {
  while (world.timerAt !== undefined && world.timerAt <= until) timeout(world, world.timerAt);
};

const simulate = (policy: ServicePolicy, steps: Step[], wakeAlways: boolean, asStored = false): World => {
  const ticket = storedTicket({
    priority: 'P3',
    createdAt: new Date(CREATED).toISOString(),
    updatedAt: new Date(CREATED).toISOString(),
    clocks: {
      ...initialClocks({
        createdAt: new Date(CREATED).toISOString(),
        priority: 'P3',
        tier: 1,
        status: 'new',
      }),
      policy,
    },
  });
  const world: World = {
    ticket,
    timerAt: undefined,
    applied: [],
    wakes: 0,
    emptyTimeouts: 0,
    transitions: 0,
    staleDueAt: 0,
    asStored,
    facts: [...ticket.clocks.facts],
    archived: [],
  };
  let now = CREATED;
  runWorkflow(world, now); // triage: the policy is pinned, the first decision taken
  for (const step of steps) {
    if (step.kind === 'advance') {
      now += step.by;
      fireTimers(world, now);
      continue;
    }
    now += step.after;
    fireTimers(world, now);
    const change = CHANGES[step.change] as Change;
    let next: Ticket;
    try {
      next = change(world.ticket, new Date(now)).ticket;
    } catch {
      continue; // not allowed in this status: nothing was written
    }
    const before = world.ticket;
    write(world, { ...next, updatedAt: new Date(now).toISOString() }, now);
    const after = world.ticket;
    if (world.timerAt === undefined) continue; // the execution has ended
    if (wakeAlways || wakeFor(before, after).length > 0) {
      world.wakes++;
      runWorkflow(world, now);
    }
  }
  fireTimers(world, now + 30 * 24 * HOUR);
  return world;
};

const steps = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('change' as const),
      change: fc.constantFrom(...Object.keys(CHANGES)),
      after: fc.integer({ min: 0, max: 6 * 60 }).map((minutes) => minutes * 60_000),
    }),
    fc.record({
      kind: fc.constant('advance' as const),
      by: fc.integer({ min: 1, max: 72 * 60 }).map((minutes) => minutes * 60_000),
    }),
  ),
  { maxLength: 25 },
);

/** The demo desk's standard policy, business hours, and a round-the-clock variant of it. */
const POLICIES: ServicePolicy[] = [
  DEMO_STANDARD_POLICY,
  { ...DEMO_STANDARD_POLICY, calendar: CALENDAR_24X7 },
];

/** 200 random histories by default; `WAKE_PROPERTY_RUNS=5000` for a longer search. */
const RUNS = Number(process.env.WAKE_PROPERTY_RUNS) || 200;

describe('Skipping wakes that change nothing', () => {
  it(
    'applies every clock event at the same instant as waking on every change would',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...POLICIES), steps, (policy, sequence) => {
          const always = simulate(policy, sequence, true);
          const skipping = simulate(policy, sequence, false);
          expect(skipping.applied).toEqual(always.applied);
          expect(skipping.ticket).toEqual(always.ticket);
          expect(skipping.wakes).toBeLessThanOrEqual(always.wakes);
          expect(skipping.staleDueAt).toBe(0);
          expect(skipping.transitions).toBeLessThanOrEqual(always.transitions);
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(60_000, RUNS * 100),
  );

  it(
    'applies every clock event at the same instant on tickets as the store keeps them (a clock checkpoint)',
    () => {
      let skipped = 0;
      fc.assert(
        fc.property(fc.constantFrom(...POLICIES), steps, (policy, sequence) => {
          const always = simulate(policy, sequence, true, true);
          const skipping = simulate(policy, sequence, false, true);
          expect(always.ticket.clocks.checkpoint).toBeDefined();
          expect(skipping.applied).toEqual(always.applied);
          expect(skipping.applied).toEqual(simulate(policy, sequence, true).applied);
          expect(skipping.wakes).toBeLessThanOrEqual(always.wakes);
          expect(skipping.staleDueAt).toBe(0);
          skipped += always.wakes - skipping.wakes;
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
      expect(skipped).toBeGreaterThan(0);
    },
    Math.max(60_000, RUNS * 100),
  );

  it('skips some wakes: the property is not vacuous', () => {
    let skipped = 0;
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), steps, (policy, sequence) => {
        skipped += simulate(policy, sequence, true).wakes - simulate(policy, sequence, false).wakes;
      }),
      { numRuns: 50 },
    );
    expect(skipped).toBeGreaterThan(0);
  }, 60_000);

  it('sleeps on through an internal note and a first reply, but wakes for a resolution and for a priority raised to P1', () => {
    const at = new Date(CREATED + HOUR);
    const open = storedTicket({
      status: 'open',
      updatedAt: at.toISOString(),
      clocks: {
        ...initialClocks({
          createdAt: new Date(CREATED).toISOString(),
          priority: 'P3',
          tier: 1,
          status: 'new',
        }),
        policy: POLICIES[1] as ServicePolicy,
      },
    });
    const changed = (change: Change) => ({ ...change(open, at).ticket, updatedAt: at.toISOString() });
    expect(wakeFor(open, changed(CHANGES.internalNote as Change))).toEqual([]);
    expect(wakeFor(open, changed(CHANGES.tag as Change))).toEqual([]);
    // A first reply meets the first-response clock: the earliest deadline (dueAt) moves later,
    // which the store writes with the reply; the park times out early at worst and parks again.
    expect(wakeFor(open, changed(CHANGES.agentReply as Change))).toEqual([]);
    expect(wakeFor(open, changed(CHANGES.resolve as Change))).toContain('status');
    expect(wakeFor(open, changed(CHANGES.toP1 as Change))).toContain('priority');
  });

  it('falls back to the watched fields when an image carries no clock facts to replay', () => {
    const at = new Date(CREATED + HOUR);
    const open = storedTicket({
      status: 'open',
      updatedAt: at.toISOString(),
      clocks: { facts: [], applied: [], policy: POLICIES[1] as ServicePolicy },
    });
    const raised = { ...(CHANGES.toP1 as Change)(open, at).ticket, updatedAt: at.toISOString() };
    expect(wakeFor(open, raised)).toEqual(['priority']);
    expect(wakeFor(open, { ...open, tags: ['x'] })).toEqual([]);
  });
});
