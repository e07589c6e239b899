import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BUSINESS_HOURS } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { businessTimeBetween } from '#shared/domain/calendar';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The ticket lifecycle on the local stack, driven only over HTTP: the synthesized definition on
 * the local Step Functions engine, the stream processor fed by DynamoDB Local's stream, and the
 * controllable clock moved with `POST /_local/clock`.
 */

let stack: TestStack;
const HOUR = 3_600_000;
const priya: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };
const sven: DevIdentity = { email: 'sven@example.com', role: 'agent', tiers: [2] };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };

beforeAll(async () => {
  // Friday 27 November 2026, 16:00 in Berlin (the demo business calendar: Mon–Fri 09:00–17:00):
  // the clock starts there whatever today is, and the test moves it on.
  stack = await startTestStack({ clockStart: new Date('2026-11-27T15:00:00Z') });
});
afterAll(() => stack?.stop());

type Event = { type: string; at: string; actor: string; public: boolean; data?: Record<string, unknown> };
type Ticket = { number: number; tier: number; status: string; version: number; priority: string };

const moveClock = async (body: { set: string } | { advance: string }) => {
  const response = await stack.api<{ now: string }>('/_local/clock', { method: 'POST', body });
  expect(response.status).toBe(200);
  return response.body;
};

const open = async (as: DevIdentity, body: Record<string, unknown> = {}) => {
  const response = await stack.api<Ticket>('/tickets', {
    method: 'POST',
    as,
    body: { subject: 'Email on my phone stopped syncing', description: 'Since this morning.', ...body },
  });
  expect(response.status).toBe(201);
  await stack.workflow.settle();
  return response.body;
};

const act = async (number: number, action: string, as: DevIdentity, body: unknown = {}) => {
  const response = await stack.api<Ticket>(`/tickets/${number}/${action}`, { method: 'POST', as, body });
  expect(response.status, JSON.stringify(response.body)).toBe(action === 'comments' ? 201 : 200);
  await stack.workflow.settle();
  return response.body;
};

const timeline = async (number: number) =>
  (
    await stack.api<{ items: Event[] }>(`/tickets/${number}/timeline?limit=100`, {
      as: { email: 'sam@example.com', role: 'supervisor' },
    })
  ).body.items;

const workflow = async (number: number) => {
  const response = await stack.api<{
    execution: { status: string } | null;
    currentState?: string;
    phase?: string;
    nextClockEvent?: { kind: string; at: string };
    clocks: { clock: string; status: string; deadline?: string; key: string }[];
    steps: { state: string; step: string; outcome?: string }[];
  }>(`/tickets/${number}/workflow`, { as: { email: 'sam@example.com', role: 'supervisor' } });
  expect(response.status).toBe(200);
  return response.body;
};

describe('Workflow: tier escalation on the OLA clock', () => {
  it('keeps a Friday-afternoon P2 at Tier 1 over the weekend, then escalates it past the Tier 1 OLA', async () => {
    const requester: DevIdentity = { email: person('friday'), role: 'requester' };
    const ticket = await open(requester, { impact: 'high', urgency: 'medium' });
    const desk = { email: 'sam@example.com', role: 'supervisor' } as const;
    expect((await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: desk })).body.priority).toBe('P2');
    expect((await workflow(ticket.number)).currentState).toBe('AwaitAgent');

    // Across the weekend to Monday 08:59 Berlin: one business hour used, none since.
    await moveClock({ set: '2026-11-30T07:59:00Z' });
    const weekend = await timeline(ticket.number);
    expect(weekend.filter((event) => event.type.startsWith('clock_') || event.type === 'escalated')).toEqual(
      [],
    );
    expect((await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: desk })).body.tier).toBe(1);

    // Monday 10:05 Berlin: the 2-hour Tier 1 OLA ran out at 10:00 (warning at 09:30).
    await moveClock({ set: '2026-11-30T09:05:00Z' });
    const after = await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: sven });
    expect(after.body.tier).toBe(2);
    const events = await timeline(ticket.number);
    const warning = events.findIndex(
      (event) => event.type === 'clock_warning' && event.data?.clock === 'ola',
    );
    const escalation = events.findIndex((event) => event.type === 'escalated');
    expect(warning).toBeGreaterThan(-1);
    expect(escalation).toBeGreaterThan(warning);
    expect(events[escalation]?.data).toMatchObject({
      fromTier: 1,
      toTier: 2,
      automatic: true,
      trigger: 'ola_breach',
    });
    expect(events[warning]?.at).toBe('2026-11-30T08:30:00.000Z');
    // The warning's notice names the OLA's deadline (10:00 Berlin), not the instant it fired.
    expect(
      events.find(
        (event) => event.data?.template === 'clock_warning' && event.data?.key === 'ola.t1#0.warning',
      )?.data?.due,
    ).toBe('2026-11-30T09:00:00.000Z');

    const view = await workflow(ticket.number);
    // The Tier 1 stay ended at its deadline because it breached: breached, not met.
    expect(view.clocks.find((clock) => clock.key === 'ola.t1#0')).toMatchObject({
      status: 'breached',
      deadline: '2026-11-30T09:00:00.000Z',
    });
    expect(view.clocks.find((clock) => clock.key === 'ola.t2#0')?.status).toBe('running');
    // Both clock events were applied by ApplyClockEvent, straight after a timed-out park; the
    // steps name what it did.
    expect(view.steps.map(({ state, step }) => `${state}: ${step}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Triage: /),
        'ApplyClockEvent: Warned of an approaching deadline',
        'ApplyClockEvent: Escalated a tier (OLA breached)',
      ]),
    );
    expect(view.steps.find((step) => step.state === 'AwaitAgent')?.outcome).toBe('clock event due');
    expect(view.currentState).toBe('AwaitAgent');
  });
});

describe('Workflow: pending pauses the resolution clock', () => {
  it('moves the resolution deadline out by exactly the paused business time', async () => {
    await moveClock({ set: '2026-12-01T09:00:00Z' }); // Tuesday 10:00 Berlin
    const requester: DevIdentity = { email: person('pending'), role: 'requester' };
    const ticket = await open(requester, { impact: 'low', urgency: 'low' });
    const deadline = async () =>
      new Date(
        (await workflow(ticket.number)).clocks.find((clock) => clock.clock === 'resolution')?.deadline ?? 0,
      ).getTime();
    const before = await deadline();

    await act(ticket.number, 'comments', priya, { body: 'Can you send a screenshot?' });
    await act(ticket.number, 'pending', priya, { reason: 'Waiting for a screenshot' });
    // Paused from Tuesday 10:00 to Wednesday 11:30 Berlin: 7 business hours (Tue) + 2.5 (Wed).
    await moveClock({ set: '2026-12-02T10:30:00Z' });
    const paused = await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: requester });
    expect(paused.body.status).toBe('pending');
    await act(ticket.number, 'comments', requester, { body: 'Here it is.' });
    expect((await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: requester })).body.status).toBe(
      'open',
    );

    // Measured in the policy's business time, the deadline moved by exactly the pause.
    const after = await deadline();
    expect(businessTimeBetween(DEMO_BUSINESS_HOURS, new Date(before), new Date(after))).toBe(9.5 * HOUR);
    expect(after).toBe(Date.parse('2026-12-09T10:30:00Z'));
  });
});

describe('Workflow: vendor hand-off, reopen and close', () => {
  it('reminds the vendor, resolves on the vendor update, reopens within the window and closes after it', async () => {
    await moveClock({ set: '2026-12-07T08:00:00Z' }); // Monday 09:00 Berlin
    const requester: DevIdentity = { email: person('printer'), role: 'requester' };
    const ticket = await open(requester, {
      subject: 'Printer jams on every job',
      category: 'hardware/printer',
    });
    const work = { reason: 'Needs the next tier', summary: 'Cleared the paper path, reseated the tray.' };
    await act(ticket.number, 'escalate', priya, work);
    await act(ticket.number, 'escalate', sven, work);
    await act(ticket.number, 'handoff', hana, {
      vendorId: 'printix',
      message: 'Fuser unit fault, please replace.',
    });

    // A wall day without an answer: the contract's reminder goes out.
    await moveClock({ advance: 'P1DT1H' });
    let events = await timeline(ticket.number);
    expect(events.some((event) => event.type === 'reminder' && event.data?.vendorId === 'printix')).toBe(
      true,
    );

    await act(ticket.number, 'vendor-update', hana, { message: 'Fuser replaced on site.', resolved: true });
    expect((await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: requester })).body.status).toBe(
      'resolved',
    );
    const view = await workflow(ticket.number);
    expect(view.clocks.find((clock) => clock.clock === 'uc_resolution')?.status).toBe('met');
    expect(view.currentState).toBe('ReopenWindow');

    // Two days later the requester reopens (the window is 5 days); then it is resolved again.
    await moveClock({ advance: 'P2D' });
    await act(ticket.number, 'reopen', requester, { reason: 'It jams again.' });
    await act(ticket.number, 'resolve', hana, { resolution: 'Replaced the pickup roller as well.' });
    await moveClock({ advance: 'P5DT1M' });

    const closed = await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: requester });
    expect(closed.body.status).toBe('closed');
    events = await timeline(ticket.number);
    const types = events.map((event) => event.type);
    for (const type of ['handoff', 'reminder', 'vendor_update', 'resolved', 'reopened', 'closed'])
      expect(types).toContain(type);
    const final = await workflow(ticket.number);
    expect(final.execution?.status).toBe('SUCCEEDED');
    expect(final.steps.map(({ state, step }) => (state === 'ApplyClockEvent' ? step : state))).toEqual(
      expect.arrayContaining([
        'WithVendor',
        'Reminded the vendor',
        'ReopenWindow',
        'Closed the ticket',
        'Closed',
      ]),
    );
  });
});

describe('Workflow: cost', () => {
  it('takes at most 20 state transitions from created to first reply, resolved and closed', async () => {
    await moveClock({ advance: 'PT1H' });
    const requester: DevIdentity = { email: person('simple'), role: 'requester' };
    const ticket = await open(requester);
    await act(ticket.number, 'comments', priya, { body: 'Re-add the account in the mail app, please.' });
    await act(ticket.number, 'resolve', priya, { resolution: 'Account re-added.' });
    await moveClock({ advance: 'P6D' });
    const view = await workflow(ticket.number);
    expect(view.execution?.status).toBe('SUCCEEDED');
    const history = await stack.workflow.stepFunctions.getExecutionHistory(
      `${stack.workflow.stepFunctions.stateMachineArn.replace(':stateMachine:', ':execution:')}:ticket-${ticket.number}-g0`,
      {},
    );
    const entered = history.events.flatMap((event) =>
      event.type.endsWith('StateEntered') ? [(event.stateEnteredEventDetails as { name: string }).name] : [],
    );
    // Each wake is Evaluate + Route + a park; a park that times out goes straight to
    // ApplyClockEvent. The first public reply only meets the first-response clock (nothing falls
    // due sooner): the workflow sleeps on through it.
    expect(entered).toEqual([
      'Triage', // a new ticket waits for an agent: no Route in between
      'AwaitAgent',
      'Evaluate', // woken by the resolution
      'Route',
      'ReopenWindow',
      'ApplyClockEvent', // the reopen window ended: closed
      'Route',
      'Closed',
    ]);
    expect(entered.length).toBeLessThanOrEqual(20);
  });
});
