import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEMO_DESK_DOCUMENT,
  DEMO_PRINTER_VENDOR,
  DEMO_STANDARD_POLICY,
} from '#infra/local/demo/service-levels';
import { parseDocument } from '#shared/config/admin';
import { configIssues } from '#shared/config/validate';
import { addBusinessTime, businessTimeBetween, CALENDAR_24X7 } from '#shared/domain/calendar';
import {
  type ClockInput,
  type ClockView,
  clockBasis,
  evaluateClocks,
  everAnswered,
  everEscalated,
  nextRequesterClock,
  recordClocks,
  vendorAnsweredSinceHandOff,
} from '#shared/domain/clocks';
import type {
  ClockCheckpoint,
  ClockFact,
  ClockState,
  ServicePolicy,
  TicketClocks,
} from '#shared/domain/service-levels';
import {
  PRIORITIES,
  type Priority,
  STATUSES,
  type Status,
  TIERS,
  type Tier,
} from '#shared/domain/ticket-fields';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const policy = DEMO_STANDARD_POLICY;
const vendor = DEMO_PRINTER_VENDOR;
const calendar = policy.calendar;

/**
 * The scenarios run in the week of Monday 16 March 2026 (no holidays) on the demo policy:
 * Mon–Fri 09:00–17:00 Berlin time, written with the offset (`+01:00`).
 */
const at = (time: string): string => new Date(time).toISOString();

const created = (
  time: string,
  fields: { priority?: Priority; tier?: Tier; status?: Status } = {},
): ClockFact => ({
  at: time,
  type: 'created',
  priority: fields.priority ?? 'P2',
  tier: fields.tier ?? 1,
  status: fields.status ?? 'new',
});
const status = (time: string, value: Status): ClockFact => ({ at: time, type: 'status', status: value });
const priority = (time: string, value: Priority): ClockFact => ({
  at: time,
  type: 'priority',
  priority: value,
});
const tier = (time: string, value: Tier): ClockFact => ({ at: time, type: 'tier', tier: value });
const agentReply = (time: string): ClockFact => ({ at: time, type: 'agent_reply' });
const requesterMessage = (time: string): ClockFact => ({ at: time, type: 'requester_message' });
const handOff = (time: string, vendorId = vendor.vendorId): ClockFact => ({
  at: time,
  type: 'vendor_handoff',
  vendorId,
});
const vendorResponse = (time: string): ClockFact => ({ at: time, type: 'vendor_response' });
const vendorResolved = (time: string): ClockFact => ({ at: time, type: 'vendor_resolved' });

const evaluate = (facts: ClockFact[], now: string, input: Partial<ClockInput> = {}): ClockView =>
  evaluateClocks({ facts, applied: [], policy, vendor, now: new Date(now), ...input });

const clockOf = (view: ClockView, key: string): ClockState => {
  const state = view.clocks.find((clock) => clock.key === key);
  if (!state) throw new Error(`No clock ${key} among ${view.clocks.map((clock) => clock.key).join(', ')}`);
  return state;
};
const keysOf = (view: ClockView): string[] => view.clocks.map((clock) => clock.key);
const eventAt = (view: ClockView, key: string): string | undefined =>
  view.events.find((event) => event.key === key)?.at;

describe('Function: evaluateClocks', () => {
  describe('first response and resolution', () => {
    it('starts first response, resolution and the Tier 1 OLA at creation', () => {
      const view = evaluate([created('2026-03-16T10:00+01:00')], '2026-03-16T10:30+01:00');
      expect(view.clocks).toEqual([
        {
          clock: 'first_response',
          key: 'first_response',
          status: 'running',
          target: 2 * HOUR,
          elapsed: 30 * MINUTE,
          deadline: at('2026-03-16T12:00+01:00'),
          startedAt: at('2026-03-16T10:00+01:00'),
        },
        {
          clock: 'resolution',
          key: 'resolution',
          status: 'running',
          target: 8 * HOUR,
          elapsed: 30 * MINUTE,
          deadline: at('2026-03-17T10:00+01:00'),
          startedAt: at('2026-03-16T10:00+01:00'),
        },
        {
          clock: 'ola',
          key: 'ola.t1#0',
          tier: 1,
          status: 'running',
          target: 2 * HOUR,
          elapsed: 30 * MINUTE,
          deadline: at('2026-03-16T12:00+01:00'),
          startedAt: at('2026-03-16T10:00+01:00'),
        },
      ]);
      expect(view.next).toEqual({
        key: 'first_response.warning',
        kind: 'warning',
        clock: 'first_response',
        at: at('2026-03-16T11:30+01:00'),
        deadline: at('2026-03-16T12:00+01:00'),
      });
      expect(view.dueAt).toBe(at('2026-03-16T12:00+01:00'));
    });

    it('does not breach a Friday-afternoon P2 ticket over the weekend', () => {
      const view = evaluate([created('2026-03-20T16:00+01:00')], '2026-03-22T12:00+01:00');
      expect(view.due).toEqual([]);
      expect(view.clocks.map((clock) => clock.status)).toEqual(['running', 'running', 'running']);
      expect(clockOf(view, 'first_response').deadline).toBe(at('2026-03-23T10:00+01:00'));
      expect(clockOf(view, 'resolution').deadline).toBe(at('2026-03-23T16:00+01:00'));
      expect(view.next?.at).toBe(at('2026-03-23T09:30+01:00'));
    });

    it('is met by a public agent reply before its warning, which then never comes', () => {
      const view = evaluate(
        [created('2026-03-16T10:00+01:00'), agentReply('2026-03-16T11:00+01:00')],
        '2026-03-16T13:00+01:00',
      );
      expect(clockOf(view, 'first_response')).toMatchObject({
        status: 'met',
        elapsed: HOUR,
        stoppedAt: at('2026-03-16T11:00+01:00'),
      });
      expect(clockOf(view, 'first_response').deadline).toBeUndefined();
      expect(view.events.filter((event) => event.clock === 'first_response')).toEqual([]);
    });

    it('records a breach that happened before a late reply', () => {
      const view = evaluate(
        [created('2026-03-16T10:00+01:00'), agentReply('2026-03-16T12:30+01:00')],
        '2026-03-16T13:00+01:00',
      );
      expect(clockOf(view, 'first_response')).toMatchObject({
        status: 'breached',
        deadline: at('2026-03-16T12:00+01:00'),
        stoppedAt: at('2026-03-16T12:30+01:00'),
      });
      expect(eventAt(view, 'first_response.breach')).toBe(at('2026-03-16T12:00+01:00'));
    });

    it('counts a reply exactly at the deadline as met', () => {
      const view = evaluate(
        [created('2026-03-16T10:00+01:00'), agentReply('2026-03-16T12:00+01:00')],
        '2026-03-16T13:00+01:00',
      );
      expect(clockOf(view, 'first_response').status).toBe('met');
      expect(eventAt(view, 'first_response.warning')).toBe(at('2026-03-16T11:30+01:00'));
      expect(eventAt(view, 'first_response.breach')).toBeUndefined();
    });

    it.each([
      ['before', [agentReply('2026-03-16T12:00+01:00'), status('2026-03-16T12:00+01:00', 'pending')]],
      ['after', [status('2026-03-16T12:00+01:00', 'pending'), agentReply('2026-03-16T12:00+01:00')]],
    ])(
      'counts a reply at the deadline as met when recorded %s a pause of the same instant',
      (_order, facts) => {
        const view = evaluate([created('2026-03-16T10:00+01:00'), ...facts], '2026-03-16T13:00+01:00');
        expect(clockOf(view, 'first_response').status).toBe('met');
      },
    );

    it('runs on a 24×7 calendar in wall time, weekends included', () => {
      const roundTheClock: ServicePolicy = { ...policy, calendar: CALENDAR_24X7 };
      const view = evaluate(
        [created('2026-03-21T10:00+01:00', { priority: 'P1' })],
        '2026-03-21T10:00+01:00',
        {
          policy: roundTheClock,
        },
      );
      expect(clockOf(view, 'first_response').deadline).toBe(at('2026-03-21T11:00+01:00'));
      expect(clockOf(view, 'resolution').deadline).toBe(at('2026-03-21T14:00+01:00'));
    });
  });

  describe('next response', () => {
    it('starts with a requester message after the first response and stops at the next reply', () => {
      const view = evaluate(
        [
          created('2026-03-16T10:00+01:00'),
          agentReply('2026-03-16T10:30+01:00'),
          requesterMessage('2026-03-16T11:00+01:00'),
          requesterMessage('2026-03-16T11:15+01:00'),
          agentReply('2026-03-16T12:00+01:00'),
          requesterMessage('2026-03-16T13:00+01:00'),
        ],
        '2026-03-16T13:30+01:00',
      );
      expect(keysOf(view).filter((key) => key.startsWith('next_response'))).toEqual([
        'next_response#0',
        'next_response#1',
      ]);
      expect(clockOf(view, 'next_response#0')).toMatchObject({
        status: 'met',
        elapsed: HOUR,
        startedAt: at('2026-03-16T11:00+01:00'),
        stoppedAt: at('2026-03-16T12:00+01:00'),
      });
      expect(clockOf(view, 'next_response#1')).toMatchObject({
        status: 'running',
        target: 2 * HOUR,
        deadline: at('2026-03-16T15:00+01:00'),
      });
      expect(eventAt(view, 'next_response#1.warning')).toBe(at('2026-03-16T14:30+01:00'));
    });

    it('starts none for a message before the first response, which already waits', () => {
      const view = evaluate(
        [
          created('2026-03-16T10:00+01:00'),
          requesterMessage('2026-03-16T10:30+01:00'),
          agentReply('2026-03-16T11:00+01:00'),
        ],
        '2026-03-16T12:00+01:00',
      );
      expect(keysOf(view)).toEqual(['first_response', 'resolution', 'ola.t1#0']);
    });
  });

  describe('pauses', () => {
    const pendingOvernight = [
      created('2026-03-16T10:00+01:00', { priority: 'P3' }),
      agentReply('2026-03-16T11:00+01:00'),
      status('2026-03-16T16:00+01:00', 'pending'),
      status('2026-03-17T11:00+01:00', 'open'),
    ];

    it('moves the deadline out by exactly the business time paused over a night', () => {
      // 24 business hours from Monday 10:00 end Thursday 10:00; paused Monday 16–17 and Tuesday 09–11.
      const unpaused = evaluate(pendingOvernight.slice(0, 2), '2026-03-17T12:00+01:00');
      const paused = evaluate(pendingOvernight, '2026-03-17T12:00+01:00');
      expect(clockOf(unpaused, 'resolution').deadline).toBe(at('2026-03-19T10:00+01:00'));
      expect(clockOf(paused, 'resolution')).toMatchObject({
        status: 'running',
        elapsed: 7 * HOUR,
        deadline: at('2026-03-19T13:00+01:00'),
      });
    });

    it('shows a paused clock without a deadline, and with the time it had run', () => {
      const view = evaluate(pendingOvernight.slice(0, 3), '2026-03-17T10:00+01:00');
      const resolution = clockOf(view, 'resolution');
      expect(resolution).toMatchObject({ status: 'paused', elapsed: 6 * HOUR });
      expect(resolution.deadline).toBeUndefined();
    });

    it('reminds the requester and auto-closes in wall time while pending', () => {
      const view = evaluate(pendingOvernight.slice(0, 3), '2026-03-17T10:00+01:00');
      const since = at('2026-03-16T16:00+01:00');
      expect(view.events.filter((event) => event.kind.startsWith('pending'))).toEqual([
        { key: `pending_reminder@${since}`, kind: 'pending_reminder', at: at('2026-03-19T16:00+01:00') },
        { key: `pending_auto_close@${since}`, kind: 'pending_auto_close', at: at('2026-03-23T16:00+01:00') },
      ]);
      expect(
        evaluate(pendingOvernight, '2026-03-17T12:00+01:00').events.map((event) => event.kind),
      ).not.toContain('pending_reminder');
    });

    it('gives a later pending period timers of its own', () => {
      const view = evaluate(
        [...pendingOvernight, status('2026-03-18T10:00+01:00', 'pending')],
        '2026-03-18T11:00+01:00',
        { applied: [`pending_reminder@${at('2026-03-16T16:00+01:00')}`] },
      );
      expect(eventAt(view, `pending_reminder@${at('2026-03-18T10:00+01:00')}`)).toBe(
        at('2026-03-21T10:00+01:00'),
      );
    });

    it.each([
      [true, 'paused'],
      [false, 'running'],
    ] as const)(
      'with onHoldPausesSla %s, on hold leaves the SLA clocks %s and always pauses the OLA',
      (flag, expected) => {
        const view = evaluate(
          [created('2026-03-16T10:00+01:00'), status('2026-03-16T11:00+01:00', 'on_hold')],
          '2026-03-16T12:00+01:00',
          { policy: { ...policy, onHoldPausesSla: flag } },
        );
        expect(clockOf(view, 'resolution').status).toBe(expected);
        expect(clockOf(view, 'ola.t1#0')).toMatchObject({ status: 'paused', elapsed: HOUR });
      },
    );

    it('pauses the OLA while pending: waiting on the requester is not the tier’s doing', () => {
      const view = evaluate(
        [created('2026-03-16T10:00+01:00'), status('2026-03-16T10:30+01:00', 'pending')],
        '2026-03-18T10:00+01:00',
      );
      expect(clockOf(view, 'ola.t1#0')).toMatchObject({ status: 'paused', elapsed: 30 * MINUTE });
      expect(view.dueAt).toBeUndefined();
    });
  });

  describe('resolution and reopening', () => {
    const resolvedThenReopened = [
      created('2026-03-16T10:00+01:00'),
      agentReply('2026-03-16T10:15+01:00'),
      status('2026-03-16T14:00+01:00', 'resolved'),
      status('2026-03-17T10:00+01:00', 'open'),
    ];

    it('stops the resolution clock as met and opens the reopen window', () => {
      const view = evaluate(resolvedThenReopened.slice(0, 3), '2026-03-16T15:00+01:00');
      expect(clockOf(view, 'resolution')).toMatchObject({
        status: 'met',
        elapsed: 4 * HOUR,
        stoppedAt: at('2026-03-16T14:00+01:00'),
      });
      expect(clockOf(view, 'ola.t1#0')).toMatchObject({
        status: 'breached',
        deadline: at('2026-03-16T12:00+01:00'),
        stoppedAt: at('2026-03-16T14:00+01:00'),
      });
      expect(view.events.filter((event) => event.kind === 'reopen_window_end')).toEqual([
        {
          key: `reopen_window_end@${at('2026-03-16T14:00+01:00')}`,
          kind: 'reopen_window_end',
          at: at('2026-03-21T14:00+01:00'),
        },
      ]);
    });

    it('resumes the same resolution clock on reopen, keeping its elapsed time', () => {
      const view = evaluate(resolvedThenReopened, '2026-03-17T11:00+01:00');
      const resolution = clockOf(view, 'resolution');
      expect(resolution).toMatchObject({
        status: 'running',
        elapsed: 5 * HOUR,
        deadline: at('2026-03-17T14:00+01:00'),
        startedAt: at('2026-03-16T10:00+01:00'),
      });
      expect(resolution.stoppedAt).toBeUndefined();
      expect(view.events.map((event) => event.kind)).not.toContain('reopen_window_end');
    });

    it('gives the tier a new OLA stay with a full target on reopen', () => {
      const view = evaluate(resolvedThenReopened, '2026-03-17T11:00+01:00');
      expect(clockOf(view, 'ola.t1#1')).toMatchObject({
        status: 'running',
        startedAt: at('2026-03-17T10:00+01:00'),
        deadline: at('2026-03-17T12:00+01:00'),
      });
    });
  });

  describe('priority changes', () => {
    it('keep the original start and elapsed time; the new target counts from the start', () => {
      const view = evaluate(
        [created('2026-03-16T10:00+01:00', { priority: 'P4' }), priority('2026-03-16T10:30+01:00', 'P2')],
        '2026-03-16T11:00+01:00',
      );
      expect(clockOf(view, 'first_response')).toMatchObject({
        startedAt: at('2026-03-16T10:00+01:00'),
        elapsed: HOUR,
        target: 2 * HOUR,
        deadline: at('2026-03-16T12:00+01:00'),
      });
    });

    it('breach at the change, not in the past, when the new target is already exceeded', () => {
      const view = evaluate(
        [created('2026-03-16T09:00+01:00', { priority: 'P4' }), priority('2026-03-16T11:00+01:00', 'P1')],
        '2026-03-16T11:00+01:00',
      );
      const change = at('2026-03-16T11:00+01:00');
      expect(clockOf(view, 'first_response')).toMatchObject({ status: 'breached', deadline: change });
      const firstResponse = view.due.filter((event) => event.clock === 'first_response');
      expect(firstResponse.map((event) => [event.key, event.at])).toEqual([
        ['first_response.warning', change],
        ['first_response.breach', change],
      ]);
      expect(clockOf(view, 'resolution').deadline).toBe(at('2026-03-16T13:00+01:00'));
    });

    it('extend the deadline when the priority drops', () => {
      const view = evaluate(
        [created('2026-03-16T09:00+01:00', { priority: 'P1' }), priority('2026-03-16T09:30+01:00', 'P4')],
        '2026-03-16T09:30+01:00',
      );
      expect(clockOf(view, 'first_response').deadline).toBe(at('2026-03-16T17:00+01:00'));
    });
  });

  describe('OLA', () => {
    it('runs one clock per stay at a tier, and none at Tier 4', () => {
      const view = evaluate(
        [
          created('2026-03-16T09:00+01:00'),
          tier('2026-03-16T10:00+01:00', 2),
          tier('2026-03-16T12:00+01:00', 1),
          tier('2026-03-16T13:00+01:00', 3),
          tier('2026-03-16T14:00+01:00', 4),
        ],
        '2026-03-16T14:30+01:00',
      );
      expect(view.clocks.filter((clock) => clock.clock === 'ola')).toEqual([
        expect.objectContaining({ key: 'ola.t1#0', status: 'met', elapsed: HOUR }),
        expect.objectContaining({
          key: 'ola.t2#0',
          tier: 2,
          status: 'met',
          elapsed: 2 * HOUR,
          target: 8 * HOUR,
        }),
        expect.objectContaining({ key: 'ola.t1#1', status: 'met', stoppedAt: at('2026-03-16T13:00+01:00') }),
        expect.objectContaining({ key: 'ola.t3#0', status: 'met', target: 24 * HOUR }),
      ]);
    });

    it('breaches the OLA of the tier the ticket is at, naming the tier', () => {
      const view = evaluate([created('2026-03-16T10:00+01:00', { tier: 2 })], '2026-03-17T10:00+01:00');
      expect(view.due).toContainEqual({
        key: 'ola.t2#0.breach',
        kind: 'breach',
        clock: 'ola',
        tier: 2,
        at: at('2026-03-17T10:00+01:00'),
      });
    });

    it('keeps a stay breached when its recorded breach escalated it at the breach instant', () => {
      // The workflow applies the breach at 11:00 and escalates in the same write: Tier 2 from 11:00.
      const facts = [created('2026-03-16T09:00+01:00'), tier('2026-03-16T11:00+01:00', 2)];
      const view = evaluate(facts, '2026-03-16T11:05+01:00', {
        applied: ['ola.t1#0.warning', 'ola.t1#0.breach'],
      });
      expect(clockOf(view, 'ola.t1#0')).toMatchObject({
        status: 'breached',
        deadline: at('2026-03-16T11:00+01:00'),
        elapsed: 2 * HOUR,
        stoppedAt: at('2026-03-16T11:00+01:00'),
      });
      expect(clockOf(view, 'ola.t2#0').status).toBe('running');
      expect(view.events.some((event) => event.key.startsWith('ola.t1#0'))).toBe(false);
      // The same stay ended by an agent exactly at the deadline, with no breach recorded, is met.
      expect(clockOf(evaluate(facts, '2026-03-16T11:05+01:00'), 'ola.t1#0').status).toBe('met');
    });

    it('lists no stay that ends the instant it begins (resolved at Tier 4, back to Tier 3)', () => {
      const view = evaluate(
        [
          created('2026-03-16T09:00+01:00', { tier: 3 }),
          tier('2026-03-16T10:00+01:00', 4),
          tier('2026-03-17T10:00+01:00', 3),
          status('2026-03-17T10:00+01:00', 'resolved'),
        ],
        '2026-03-17T11:00+01:00',
      );
      expect(keysOf(view).filter((key) => key.startsWith('ola'))).toEqual(['ola.t3#0']);
    });
  });

  describe('underpinning contract', () => {
    const handedOff = [
      created('2026-03-16T09:00+01:00', { tier: 3 }),
      agentReply('2026-03-16T09:30+01:00'),
      handOff('2026-03-17T10:00+01:00'),
      tier('2026-03-17T10:00+01:00', 4),
      status('2026-03-17T10:00+01:00', 'on_hold'),
    ];

    it('starts response and resolution clocks at the hand-off, in the vendor calendar', () => {
      const view = evaluate(handedOff, '2026-03-17T11:00+01:00');
      expect(clockOf(view, 'uc_response#0')).toMatchObject({
        status: 'running',
        target: 4 * HOUR,
        deadline: at('2026-03-17T14:00+01:00'),
      });
      expect(clockOf(view, 'uc_resolution#0').deadline).toBe(at('2026-03-20T10:00+01:00'));
      expect(eventAt(view, 'uc_response#0.breach')).toBe(at('2026-03-17T14:00+01:00'));
      expect(eventAt(view, 'vendor_reminder#0.1')).toBe(at('2026-03-18T10:00+01:00'));
      // The vendor's deadlines are not the tier queue's: the SLA clocks are on hold, the OLA stopped.
      expect(view.dueAt).toBeUndefined();
    });

    it('stops the response clock and the reminders when the vendor answers', () => {
      const view = evaluate(
        [...handedOff, vendorResponse('2026-03-17T12:00+01:00')],
        '2026-03-17T13:00+01:00',
      );
      expect(clockOf(view, 'uc_response#0')).toMatchObject({ status: 'met', elapsed: 2 * HOUR });
      expect(clockOf(view, 'uc_resolution#0').status).toBe('running');
      expect(view.events.map((event) => event.kind)).not.toContain('vendor_reminder');
    });

    it('counts a vendor resolution as the response too', () => {
      const view = evaluate(
        [...handedOff, vendorResolved('2026-03-18T10:00+01:00')],
        '2026-03-18T11:00+01:00',
      );
      expect(clockOf(view, 'uc_response#0').status).toBe('breached');
      expect(clockOf(view, 'uc_resolution#0')).toMatchObject({ status: 'met', elapsed: 8 * HOUR });
    });

    it('reminds the vendor of the latest due reminder and the next, not a backlog', () => {
      const view = evaluate(handedOff, '2026-03-20T11:00+01:00');
      // Each reminds the vendor of the response the contract asked for by the hand-off day's 14:00.
      const deadline = at('2026-03-17T14:00+01:00');
      expect(view.events.filter((event) => event.kind === 'vendor_reminder')).toEqual([
        { key: 'vendor_reminder#0.3', kind: 'vendor_reminder', at: at('2026-03-20T10:00+01:00'), deadline },
        { key: 'vendor_reminder#0.4', kind: 'vendor_reminder', at: at('2026-03-21T10:00+01:00'), deadline },
      ]);
    });

    it('runs no contract clock for a vendor without a contract', () => {
      const others = [
        created('2026-03-16T09:00+01:00', { tier: 3 }),
        handOff('2026-03-17T10:00+01:00', 'someone-else'),
      ];
      expect(keysOf(evaluate(others, '2026-03-17T11:00+01:00')).some((key) => key.startsWith('uc_'))).toBe(
        false,
      );
      expect(
        keysOf(evaluate(handedOff, '2026-03-17T11:00+01:00', { vendor: undefined })).some((key) =>
          key.startsWith('uc_'),
        ),
      ).toBe(false);
    });

    it('starts new contract clocks for a second hand-off', () => {
      const view = evaluate(
        [
          ...handedOff,
          vendorResolved('2026-03-18T10:00+01:00'),
          tier('2026-03-18T10:00+01:00', 3),
          status('2026-03-18T10:00+01:00', 'resolved'),
          status('2026-03-18T12:00+01:00', 'open'),
          handOff('2026-03-18T13:00+01:00'),
          tier('2026-03-18T13:00+01:00', 4),
        ],
        '2026-03-18T14:00+01:00',
      );
      expect(clockOf(view, 'uc_response#1')).toMatchObject({
        status: 'running',
        startedAt: at('2026-03-18T13:00+01:00'),
      });
      expect(eventAt(view, 'vendor_reminder#1.1')).toBe(at('2026-03-19T13:00+01:00'));
    });
  });

  describe('events', () => {
    const late = [created('2026-03-16T09:00+01:00')];

    it('lists due events in order, then the next one, and omits applied ones', () => {
      const view = evaluate(late, '2026-03-16T13:00+01:00');
      expect(view.due.map((event) => event.key)).toEqual([
        'first_response.warning',
        'ola.t1#0.warning',
        'first_response.breach',
        'ola.t1#0.breach',
      ]);
      expect(view.next).toMatchObject({ key: 'resolution.warning', at: at('2026-03-16T15:00+01:00') });
      expect(view.events).toEqual([
        ...view.due,
        view.next,
        expect.objectContaining({ key: 'resolution.breach' }),
      ]);

      const applied = evaluate(late, '2026-03-16T13:00+01:00', {
        applied: ['first_response.warning', 'ola.t1#0.warning'],
      });
      expect(applied.due.map((event) => event.key)).toEqual(['first_response.breach', 'ola.t1#0.breach']);
    });

    it("states the clock's deadline on a warning, which fires before it", () => {
      // P2: first response and the Tier 1 OLA within 2 business hours, warned at 75 %.
      const view = evaluate([created('2026-03-16T09:00+01:00')], '2026-03-16T10:30+01:00');
      expect(view.due).toEqual([
        {
          key: 'first_response.warning',
          kind: 'warning',
          clock: 'first_response',
          at: at('2026-03-16T10:30+01:00'),
          deadline: at('2026-03-16T11:00+01:00'),
        },
        {
          key: 'ola.t1#0.warning',
          kind: 'warning',
          clock: 'ola',
          tier: 1,
          at: at('2026-03-16T10:30+01:00'),
          deadline: at('2026-03-16T11:00+01:00'),
        },
      ]);
      expect(clockOf(view, 'first_response').deadline).toBe(at('2026-03-16T11:00+01:00'));
    });

    it('puts an overdue running clock first in the queue (dueAt)', () => {
      expect(evaluate(late, '2026-03-16T13:00+01:00').dueAt).toBe(at('2026-03-16T11:00+01:00'));
    });

    it('has nothing to say before the ticket is created', () => {
      expect(evaluate([], '2026-03-16T13:00+01:00')).toEqual({ clocks: [], events: [], due: [] });
    });
  });
});

describe('Module: local demo desk', () => {
  it('asks more of higher priorities, never resolving before responding', () => {
    PRIORITIES.slice(1).forEach((lower, index) => {
      const higher = PRIORITIES[index] as Priority;
      expect(policy.sla[higher].firstResponse).toBeLessThanOrEqual(policy.sla[lower].firstResponse);
      expect(policy.sla[higher].resolution).toBeLessThanOrEqual(policy.sla[lower].resolution);
    });
    for (const level of PRIORITIES)
      expect(policy.sla[level].firstResponse).toBeLessThan(policy.sla[level].resolution);
  });

  it('is a valid desk: every route, policy, calendar and group it names exists', () => {
    expect(configIssues(parseDocument(DEMO_DESK_DOCUMENT))).toEqual([]);
  });
});

// ---- properties -----------------------------------------------------------------------------

/** Instants in 2026 on the minute, where the demo calendar has its holidays. */
const anInstant = fc
  .integer({ min: Date.UTC(2026, 0, 1) / MINUTE, max: Date.UTC(2026, 11, 31) / MINUTE })
  .map((minute) => minute * MINUTE);
const aPriority = fc.constantFrom(...PRIORITIES);
const iso = (instant: number): string => new Date(instant).toISOString();
const deadlineOf = (view: ClockView, key: string): number =>
  Date.parse(clockOf(view, key).deadline ?? 'missing');

const aFact = fc.oneof(
  fc.constantFrom(...STATUSES).map((value) => ({ type: 'status', status: value })),
  aPriority.map((value) => ({ type: 'priority', priority: value })),
  fc.constantFrom(...TIERS).map((value) => ({ type: 'tier', tier: value })),
  fc.constantFrom(
    { type: 'agent_reply' },
    { type: 'requester_message' },
    { type: 'vendor_handoff', vendorId: vendor.vendorId },
    { type: 'vendor_response' },
    { type: 'vendor_resolved' },
  ),
);

/** A ticket's facts: created, then up to a dozen changes, each up to three days after the last. */
const aHistory = fc
  .tuple(
    anInstant,
    aPriority,
    fc.constantFrom(...TIERS),
    fc.array(fc.tuple(fc.nat(3 * DAY), aFact), { maxLength: 12 }),
  )
  .map(([start, first, startTier, steps]) => {
    let time = start;
    const facts: ClockFact[] = [created(iso(start), { priority: first, tier: startTier })];
    for (const [delay, fact] of steps) {
      time += delay;
      facts.push({ ...fact, at: iso(time) } as ClockFact);
    }
    return { facts, end: time };
  });

describe('Function: evaluateClocks (properties)', () => {
  it('moves a deadline out by exactly the business time of a pause before it, zero-length and year-long alike', () => {
    fc.assert(
      fc.property(
        anInstant,
        aPriority,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.oneof(fc.constant(0), fc.nat(10 * DAY), fc.constant(366 * DAY)),
        fc.constantFrom('first_response', 'resolution'),
        (start, level, whereInTarget, pause, key) => {
          const facts = [created(iso(start), { priority: level, status: 'open' })];
          const deadline = deadlineOf(evaluate(facts, iso(start)), key);
          const pauseStart = start + Math.floor(whereInTarget * (deadline - start));
          const pauseEnd = pauseStart + pause;
          const paused = evaluate(
            [...facts, status(iso(pauseStart), 'pending'), status(iso(pauseEnd), 'open')],
            iso(pauseEnd),
          );
          const pausedBusinessTime = businessTimeBetween(calendar, new Date(pauseStart), new Date(pauseEnd));
          expect(deadlineOf(paused, key)).toBe(
            addBusinessTime(calendar, new Date(deadline), pausedBusinessTime).getTime(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the start on a priority change and applies the new target, breaching no earlier than the change', () => {
    fc.assert(
      fc.property(
        anInstant,
        aPriority,
        aPriority,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (start, from, to, whereInTarget) => {
          const facts = [created(iso(start), { priority: from })];
          const before = clockOf(evaluate(facts, iso(start)), 'first_response');
          const change = start + Math.floor(whereInTarget * (Date.parse(before.deadline ?? '') - start));
          const after = clockOf(
            evaluate([...facts, priority(iso(change), to)], iso(change)),
            'first_response',
          );
          const target = policy.sla[to].firstResponse;
          const spent = businessTimeBetween(calendar, new Date(start), new Date(change));
          const expected =
            spent >= target ? change : addBusinessTime(calendar, new Date(start), target).getTime();
          expect(after).toMatchObject({ startedAt: before.startedAt, target, elapsed: spent });
          expect(Date.parse(after.deadline ?? '')).toBe(expected);
        },
      ),
    );
  });

  it('is unmoved by facts that change nothing: a reply nobody waits for, repeated status, tier, priority', () => {
    fc.assert(
      fc.property(
        anInstant,
        aPriority,
        fc.nat(2 * DAY),
        fc.nat(2 * DAY),
        fc.nat(4 * DAY),
        (start, level, replyAfter, noiseAfter, nowAfter) => {
          const reply = start + replyAfter;
          const noise = iso(reply + noiseAfter);
          const now = iso(reply + noiseAfter + nowAfter);
          const facts = [created(iso(start), { priority: level }), agentReply(iso(reply))];
          const noisy = [
            ...facts,
            agentReply(noise),
            status(noise, 'new'),
            tier(noise, 1),
            priority(noise, level),
          ];
          expect(evaluate(noisy, now)).toEqual(evaluate(facts, now));
        },
      ),
    );
  });

  it('partitions events into due and upcoming, in order, with unique keys, never an applied one', () => {
    fc.assert(
      fc.property(aHistory, fc.nat(5 * DAY), ({ facts, end }, after) => {
        const now = end + after;
        const view = evaluate(facts, iso(now));
        const times = view.events.map((event) => Date.parse(event.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(new Set(view.events.map((event) => event.key)).size).toBe(view.events.length);
        expect(view.due).toEqual(view.events.filter((event) => Date.parse(event.at) <= now));
        expect(view.next).toEqual(view.events.find((event) => Date.parse(event.at) > now));

        const applied = view.due.map((event) => event.key);
        const afterApplying = evaluate(facts, iso(now), { applied });
        expect(afterApplying.due).toEqual([]);
        expect(afterApplying.clocks).toEqual(view.clocks);
        expect(afterApplying.events.some((event) => applied.includes(event.key))).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('schedules the same SLA, OLA and UC events whatever now is; now only decides what is due', () => {
    fc.assert(
      fc.property(aHistory, fc.nat(5 * DAY), fc.nat(30 * DAY), ({ facts, end }, soon, later) => {
        const scheduled = (now: number) =>
          evaluate(facts, iso(now)).events.filter(
            (event) => event.kind === 'warning' || event.kind === 'breach',
          );
        expect(scheduled(end + soon + later)).toEqual(scheduled(end + soon));
      }),
      { numRuns: 100 },
    );
  });

  it('gives every running clock a deadline and every clock a sane elapsed time', () => {
    fc.assert(
      fc.property(aHistory, fc.nat(5 * DAY), ({ facts, end }, after) => {
        const now = end + after;
        for (const clock of evaluate(facts, iso(now)).clocks) {
          expect(clock.elapsed).toBeGreaterThanOrEqual(0);
          expect(clock.elapsed).toBeLessThanOrEqual(now - Date.parse(clock.startedAt));
          if (clock.status === 'running') {
            expect(clock.deadline).toBeDefined();
            expect(clock.elapsed).toBeLessThan(clock.target);
          }
          if (clock.status === 'paused') expect(clock.deadline).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });
});

// ---- checkpoints ------------------------------------------------------------------------------

/** A checkpoint as the table gives it back: plain JSON. */
const stored = (checkpoint: ClockCheckpoint): ClockCheckpoint => JSON.parse(JSON.stringify(checkpoint));

/** Folds the facts in `cuts` places (each a prefix of what is left), as a ticket's versions would. */
const foldedAt = (facts: ClockFact[], cuts: number[], applied: string[]) => {
  // As a store keeps a ticket: each version's facts recorded, the ones before folded (and the
  // applied keys that can no longer matter set aside).
  let clocks: TicketClocks = { facts: [], applied, policy, vendor };
  let from = 0;
  const archived: string[] = [];
  for (const cut of [...cuts, facts.length].sort((a, b) => a - b)) {
    const next = recordClocks(clocks, { ...clocks, facts: [...clocks.facts, ...facts.slice(from, cut)] });
    expect(next.recorded).toEqual(facts.slice(from, cut));
    clocks = {
      ...next.clocks,
      ...(next.clocks.checkpoint && { checkpoint: stored(next.clocks.checkpoint) }),
    };
    archived.push(...next.archived);
    from = Math.max(from, cut);
  }
  expect([...clocks.applied, ...archived].sort()).toEqual([...applied].sort());
  return { checkpoint: clocks.checkpoint, rest: clocks.facts, applied: clocks.applied };
};

/** A longer history, mostly conversation: many response clocks, some of them finished. */
const aConversation = fc
  .tuple(
    anInstant,
    aPriority,
    fc.array(
      fc.tuple(
        fc.nat(DAY),
        fc.oneof(
          { weight: 1, arbitrary: aFact },
          { weight: 3, arbitrary: fc.constantFrom({ type: 'agent_reply' }, { type: 'requester_message' }) },
        ),
      ),
      { maxLength: 40 },
    ),
  )
  .map(([start, first, steps]) => {
    let time = start;
    const facts: ClockFact[] = [created(iso(start), { priority: first })];
    for (const [delay, fact] of steps) {
      time += delay;
      facts.push({ ...fact, at: iso(time) } as ClockFact);
    }
    return { facts, end: time };
  });

describe('Function: foldClocks (properties)', () => {
  const aCase = fc.tuple(
    fc.oneof(aHistory, aConversation),
    fc.array(fc.nat(41), { maxLength: 4 }),
    fc.nat(5 * DAY),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );

  it('gives the clocks of every fact: the same events, due, next and dueAt, and every clock still owed', () => {
    fc.assert(
      fc.property(aCase, ([{ facts, end }, cuts, after, share]) => {
        const now = iso(end + after);
        // Some of what was due is applied already, as the workflow would have.
        const due = evaluate(facts, now).due.map((event) => event.key);
        const applied = due.slice(0, Math.floor(share * due.length));
        const whole = evaluate(facts, now, { applied });
        const {
          checkpoint,
          rest,
          applied: kept,
        } = foldedAt(
          facts,
          cuts.map((cut) => Math.min(cut, facts.length)),
          applied,
        );
        const folded = evaluate(rest, now, { applied: kept, ...(checkpoint && { checkpoint }) });
        expect(folded.events).toEqual(whole.events);
        expect(folded.due).toEqual(whole.due);
        expect(folded.next).toEqual(whole.next);
        expect(folded.dueAt).toEqual(whole.dueAt);
        const shown = new Map(folded.clocks.map((clock) => [clock.key, clock]));
        expect(whole.clocks.filter((clock) => shown.has(clock.key))).toEqual(folded.clocks);
        // What a checkpoint leaves out has ended for good and owes nothing.
        for (const clock of whole.clocks.filter((clock) => !shown.has(clock.key))) {
          expect(clock.stoppedAt).toBeDefined();
          expect(whole.events.some((event) => event.key.startsWith(`${clock.key}.`))).toBe(false);
        }
        expect(
          nextRequesterClock({
            facts: rest,
            policy,
            vendor,
            now: new Date(now),
            ...(checkpoint && { checkpoint }),
          }),
        ).toEqual(nextRequesterClock({ facts, policy, vendor, now: new Date(now) }));
        const clocks = { facts: rest, ...(checkpoint && { checkpoint }) };
        expect(everAnswered(clocks)).toBe(everAnswered({ facts }));
        expect(everEscalated(clocks)).toBe(everEscalated({ facts }));
        expect(vendorAnsweredSinceHandOff(clocks)).toBe(vendorAnsweredSinceHandOff({ facts }));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a bounded checkpoint however long a conversation goes, pauses and all', () => {
    const start = Date.parse(at('2026-03-16T09:00:00+01:00'));
    // An agent answers and waits on the requester, who answers: round after round, 20 minutes apart.
    const round = [
      (time: string) => agentReply(time),
      (time: string) => status(time, 'pending'),
      (time: string) => requesterMessage(time),
      (time: string) => status(time, 'open'),
    ];
    const facts = [
      created(iso(start)),
      ...Array.from({ length: 600 }, (_, i) =>
        (round[i % 4] as (time: string) => ClockFact)(iso(start + (i + 1) * 20 * MINUTE)),
      ),
    ];
    let clocks: TicketClocks = { facts: [facts[0] as ClockFact], applied: [], policy };
    const sizes: number[] = [];
    for (const fact of facts.slice(1)) {
      clocks = recordClocks(clocks, { ...clocks, facts: [...clocks.facts, fact] }).clocks;
      sizes.push(JSON.stringify(clocks).length - JSON.stringify(policy).length);
    }
    expect(clocks.facts).toHaveLength(1);
    // The same size after 150 rounds as after 50 (a few more digits in counters and sums):
    // nothing accumulates, where every pause once added its periods.
    expect(Math.max(...sizes.slice(-200))).toBeLessThanOrEqual(Math.max(...sizes.slice(100, 300)) + 16);
    const now = new Date(start + 700 * 20 * MINUTE);
    const whole = evaluate(facts, now.toISOString());
    const folded = evaluateClocks({
      facts: clocks.facts,
      applied: clocks.applied,
      ...(clocks.checkpoint && { checkpoint: clocks.checkpoint }),
      policy,
      now,
    });
    expect(folded.events).toEqual(whole.events);
    expect(folded.dueAt).toEqual(whole.dueAt);
    const resolution = (view: ClockView) => view.clocks.find((clock) => clock.key === 'resolution');
    expect(resolution(folded)).toEqual(resolution(whole));
  });

  it('records a fact no earlier than the facts before it, and asks for the history when the policy changed', () => {
    const start = at('2026-03-16T10:00:00+01:00');
    const first = recordClocks(
      { facts: [created(start)], applied: [], policy },
      { facts: [created(start), agentReply(at('2026-03-16T10:05:00+01:00'))], applied: [], policy },
    );
    expect(first.clocks.checkpoint?.basis).toBe(clockBasis(policy, undefined));
    // Recorded by a function whose clock runs a second behind.
    const late = requesterMessage(at('2026-03-16T10:04:59+01:00'));
    const second = recordClocks(first.clocks, { ...first.clocks, facts: [...first.clocks.facts, late] });
    expect(second.recorded).toEqual([{ ...late, at: at('2026-03-16T10:05:00+01:00') }]);
    const other: ServicePolicy = { ...policy, warnAt: 0.5 };
    expect(() => recordClocks(second.clocks, { ...second.clocks, policy: other })).toThrow('another policy');
    expect(() =>
      evaluateClocks({
        ...second.clocks,
        checkpoint: second.clocks.checkpoint,
        policy: other,
        now: new Date(start),
      }),
    ).toThrow('another policy');
  });
});
