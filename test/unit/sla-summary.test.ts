import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { evaluateClocks, nextRequesterClock } from '#shared/domain/clocks';
import type { ClockFact, ServicePolicy } from '#shared/domain/service-levels';
import { slaSummary } from '#shared/domain/sla-summary';
import { PRIORITIES, type Status } from '#shared/domain/ticket-fields';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * The week of Monday 16 March 2026 (no holidays) on the demo policy: Mon–Fri 09:00–17:00 Berlin
 * time (`+01:00`); P2 answers within 2 h and resolves within 8 business hours, warning at 75 %.
 */
const policy = DEMO_STANDARD_POLICY;
const iso = (time: string): string => new Date(time).toISOString();
const created: ClockFact = {
  at: '2026-03-16T10:00+01:00',
  type: 'created',
  priority: 'P2',
  tier: 1,
  status: 'new',
};
const status = (at: string, value: Status): ClockFact => ({ at, type: 'status', status: value });

const summary = (facts: ClockFact[], now: string, ticket: { status?: Status; policy?: ServicePolicy } = {}) =>
  slaSummary(
    {
      status: ticket.status ?? 'open',
      clocks: { policy: 'policy' in ticket ? ticket.policy : policy, facts, applied: [] },
    },
    new Date(now),
  );

describe('Function: slaSummary', () => {
  it('gives the first response while it waits: due, business time left, when to warn, running', () => {
    expect(summary([created], '2026-03-16T10:30+01:00')).toEqual({
      clock: 'response',
      dueAt: iso('2026-03-16T12:00+01:00'),
      remainingMs: 90 * MINUTE,
      warningMs: 30 * MINUTE,
      running: true,
      asOf: iso('2026-03-16T10:30+01:00'),
    });
  });

  it('counts a breach as negative time left, and stops running outside working hours', () => {
    expect(summary([created], '2026-03-16T18:00+01:00')).toMatchObject({
      clock: 'response',
      dueAt: iso('2026-03-16T12:00+01:00'),
      remainingMs: -5 * HOUR,
      running: false,
    });
  });

  it('moves to resolution once answered, and to the next response when the requester writes again', () => {
    const answered: ClockFact[] = [created, { at: '2026-03-16T10:30+01:00', type: 'agent_reply' }];
    expect(summary(answered, '2026-03-16T11:00+01:00')).toMatchObject({
      clock: 'resolution',
      dueAt: iso('2026-03-17T10:00+01:00'),
      remainingMs: 7 * HOUR,
      warningMs: 2 * HOUR,
    });
    const asked: ClockFact[] = [...answered, { at: '2026-03-16T13:00+01:00', type: 'requester_message' }];
    expect(summary(asked, '2026-03-16T13:30+01:00')).toMatchObject({
      clock: 'response',
      dueAt: iso('2026-03-16T15:00+01:00'),
      remainingMs: 90 * MINUTE,
    });
  });

  it('is paused while pending: the time left holds, and it would be due that long after now', () => {
    const facts = [created, status('2026-03-16T11:00+01:00', 'pending')];
    expect(summary(facts, '2026-03-16T14:00+01:00', { status: 'pending' })).toMatchObject({
      clock: 'response',
      dueAt: iso('2026-03-16T15:00+01:00'),
      remainingMs: HOUR,
      running: false,
    });
  });

  it('pauses on hold as the policy says', () => {
    const facts = [created, status('2026-03-16T11:00+01:00', 'on_hold')];
    const now = '2026-03-16T11:30+01:00';
    expect(summary(facts, now, { status: 'on_hold' })).toMatchObject({ remainingMs: HOUR, running: false });
    const counting = { ...policy, onHoldPausesSla: false };
    expect(summary(facts, now, { status: 'on_hold', policy: counting })).toMatchObject({
      remainingMs: 30 * MINUTE,
      running: true,
    });
  });

  it('has nothing to say before a policy is pinned, nor once the ticket is resolved or closed', () => {
    expect(summary([created], '2026-03-16T10:30+01:00', { policy: undefined })).toBeUndefined();
    const resolved = [created, status('2026-03-16T11:00+01:00', 'resolved')];
    expect(summary(resolved, '2026-03-16T12:00+01:00', { status: 'resolved' })).toBeUndefined();
    const closed = [...resolved, status('2026-03-16T12:00+01:00', 'closed')];
    expect(summary(closed, '2026-03-16T13:00+01:00', { status: 'closed' })).toBeUndefined();
  });
});

describe('Function: nextRequesterClock', () => {
  const start = Date.parse('2026-03-16T08:00:00.000Z');
  const step = fc.oneof(
    fc.constantFrom<ClockFact['type']>('agent_reply', 'requester_message').map((type) => ({ type })),
    fc.constantFrom<Status>('open', 'pending', 'on_hold', 'resolved').map((value) => ({
      type: 'status' as const,
      status: value,
    })),
    fc.constantFrom(...PRIORITIES).map((value) => ({ type: 'priority' as const, priority: value })),
  );
  const history = fc.array(fc.tuple(fc.integer({ min: 0, max: 48 * 60 }), step), { maxLength: 8 });

  it('states the clock as the full evaluation does: the requester clock with the least time left', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 96 * 60 }), (steps, nowMinutes) => {
        let at = start;
        const facts: ClockFact[] = [{ ...created, at: new Date(start).toISOString() }];
        for (const [minutes, fact] of steps) {
          at += minutes * MINUTE;
          facts.push({ ...fact, at: new Date(at).toISOString() } as ClockFact);
        }
        const now = new Date(start + nowMinutes * MINUTE);
        const next = nextRequesterClock({ facts, policy, now });
        const expected = evaluateClocks({ facts, applied: [], policy, now })
          .clocks.filter(
            (state) =>
              ['first_response', 'next_response', 'resolution'].includes(state.clock) &&
              state.stoppedAt === undefined,
          )
          .sort((a, b) => a.target - a.elapsed - (b.target - b.elapsed))[0];
        expect(next).toEqual(
          expected && {
            clock: expected.clock,
            target: expected.target,
            elapsed: expected.elapsed,
            ...(expected.deadline !== undefined && { deadline: expected.deadline }),
          },
        );
      }),
      { numRuns: 200 },
    );
  });
});
