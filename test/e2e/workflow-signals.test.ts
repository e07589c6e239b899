import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_BUSINESS_HOURS } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { addBusinessTime } from '#shared/domain/calendar';
import { documentClient } from '#shared/store/client';
import { workflowKey } from '#shared/store/keys';
import { DeleteCommand } from '#shared/store/sdk';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import { executionName } from '#shared/workflow/wake';
import type { ParkingRecord } from '#shared/workflow/workflow-store';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * Level-triggered on the local stack: whatever wakes a ticket's workflow (or fails to), it
 * re-reads the ticket and ends in the state the ticket calls for. The signals are tampered with
 * from outside, the way a platform would lose or repeat them: a token completed twice, a wake
 * that never comes (the parking record is gone when the change is processed), a stale token, a
 * change racing the park. Everything else is driven over HTTP and by the controllable clock.
 */

let stack: TestStack;
let dynamo: DynamoDBClient;
let workflows: DynamoWorkflowStore;
let sfn: SFNClient;
const failures: string[] = [];

const priya: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };
const sven: DevIdentity = { email: 'sven@example.com', role: 'agent', tiers: [2] };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };
const sam: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };

beforeAll(async () => {
  stack = await startTestStack({ onError: (error, where) => failures.push(`${where}: ${String(error)}`) });
  dynamo = new DynamoDBClient(localClientConfig(stack.dynamoEndpoint));
  workflows = new DynamoWorkflowStore(documentClient(dynamo), stack.tableName);
  sfn = new SFNClient({
    endpoint: stack.workflow.sfnEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await moveClock({ set: nextWorkingMorning().toISOString() });
});
afterAll(async () => {
  sfn?.destroy();
  dynamo?.destroy();
  await stack?.stop();
});
// A workflow that failed, or a stream record given up on, would end a ticket's automation silently.
afterEach(() => expect(failures).toEqual([]));

/**
 * 09:00 in Berlin on the first working day of the demo business calendar after today. The local
 * clock only moves forward, so the tests start from a morning relative to wall time.
 */
const nextWorkingMorning = (): Date => {
  const tomorrow = new Date();
  tomorrow.setUTCHours(24, 0, 0, 0);
  return new Date(addBusinessTime(DEMO_BUSINESS_HOURS, tomorrow, 1).getTime() - 1);
};

type Event = { type: string; at: string; public: boolean; data?: Record<string, unknown> };
type Ticket = {
  number: number;
  status: string;
  version: number;
  tier: number;
  requester: string;
  closeReason?: string;
};

const moveClock = async (body: { set: string } | { advance: string }) => {
  const response = await stack.api<{ now: string }>('/_local/clock', { method: 'POST', body });
  expect(response.status).toBe(200);
  return response.body;
};

const call = async <T>(path: string, as: DevIdentity, body?: unknown) => {
  const response = await stack.api<T>(path, { method: body === undefined ? 'GET' : 'POST', as, body });
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body;
};

/** Opens a ticket; `settled: false` leaves its workflow starting while the test goes on. */
const open = async (as: DevIdentity, { settled = true } = {}) => {
  const ticket = await call<Ticket>('/tickets', as, {
    subject: 'Laptop will not dock',
    description: 'The USB-C dock stopped charging it.',
  });
  if (settled) await stack.workflow.settle();
  return ticket;
};

const act = async (number: number, action: string, as: DevIdentity, body: unknown) => {
  const result = await call<Ticket>(`/tickets/${number}/${action}`, as, body);
  await stack.workflow.settle();
  return result;
};

const reply = (number: number, as: DevIdentity, body: string) =>
  call<Ticket>(`/tickets/${number}/comments`, as, { body, public: true });

const ticketOf = (number: number) => call<Ticket>(`/tickets/${number}`, sam);

const timeline = async (number: number) =>
  (await call<{ items: Event[] }>(`/tickets/${number}/timeline?limit=100`, sam)).items;

const workflowView = (number: number) =>
  call<{
    execution: { status: string } | null;
    currentState?: string;
    nextClockEvent?: { key: string; at: string };
    steps: { state: string; step: string }[];
  }>(`/tickets/${number}/workflow`, sam);

const history = (number: number) =>
  stack.workflow.stepFunctions.getExecutionHistory(
    `${stack.workflow.stepFunctions.stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName(number)}`,
    {},
  ).events;

/** How many times the ticket's execution entered `state`. */
const entered = (number: number, state: string) =>
  history(number).filter(
    (event) => (event.stateEnteredEventDetails as { name?: string } | undefined)?.name === state,
  ).length;

const parked = async (number: number) => {
  const record = await workflows.parked(number);
  if (!record) throw new Error(`the workflow of #${number} is not parked`);
  return record;
};

const complete = (token: string) =>
  sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ reasons: ['test'] }) }));

describe('Workflow signals: duplicated wake-ups', () => {
  it('completes a token once: the second SendTaskSuccess is TaskTimedOut, and one Evaluate runs', async () => {
    const requester: DevIdentity = { email: person('duplicate'), role: 'requester' };
    const ticket = await open(requester);
    const first = await parked(ticket.number);
    expect(first.version).toBe((await ticketOf(ticket.number)).version);
    expect(entered(ticket.number, 'Evaluate')).toBe(0);

    await complete(first.token);
    await expect(complete(first.token)).rejects.toBeInstanceOf(TaskTimedOut);
    await stack.workflow.settle();

    // Woken for nothing: it re-read the ticket, decided the same, and parked again on a new token.
    expect(entered(ticket.number, 'Evaluate')).toBe(1);
    const second = await parked(ticket.number);
    expect(second).toMatchObject({ version: first.version, phase: 'working' });
    expect(second.token).not.toBe(first.token);
    expect((await ticketOf(ticket.number)).version).toBe(first.version);

    // A change that moves the phase wakes it through the stream; repeating that wake changes
    // nothing more.
    await act(ticket.number, 'pending', priya, { reason: 'Which dock model is it?' });
    await stack.workflow.settle();
    expect(entered(ticket.number, 'Evaluate')).toBe(2);
    await expect(complete(second.token)).rejects.toBeInstanceOf(TaskTimedOut);
    await stack.workflow.settle();
    expect(entered(ticket.number, 'Evaluate')).toBe(2);
    const latest = await ticketOf(ticket.number);
    expect(latest.status).toBe('pending');
    expect(await parked(ticket.number)).toMatchObject({
      version: latest.version,
      phase: 'awaiting_requester',
    });
    expect((await workflowView(ticket.number)).currentState).toBe('AwaitRequester');
  });
});

describe('Workflow signals: a lost wake-up', () => {
  it('catches up at the next clock event: a ticket resolved unseen moves to the reopen window, then closes', async () => {
    const requester: DevIdentity = { email: person('lost'), role: 'requester' };
    const ticket = await open(requester);
    // What the parked workflow sleeps until: the Tier 1 OLA warning, 90 business minutes on.
    const { nextClockEvent: sleepsUntil } = await workflowView(ticket.number);
    expect(sleepsUntil?.key).toBe('ola.t1#0.warning');
    const wakesAt = Date.parse(sleepsUntil?.at ?? '');
    await moveClock({ advance: 'PT30M' });
    // The parking record is gone when the resolution's stream record is processed: nobody is woken.
    await dynamo.send(new DeleteCommand({ TableName: stack.tableName, Key: workflowKey(ticket.number) }));
    await act(ticket.number, 'resolve', priya, { resolution: 'Replaced the dock cable.' });
    await moveClock({ set: new Date(wakesAt - 60_000).toISOString() });
    expect(entered(ticket.number, 'Evaluate')).toBe(0);
    expect((await workflowView(ticket.number)).currentState).toBe('AwaitAgent');

    // At its timeout ApplyClockEvent re-reads the ticket, finds it resolved, and warns of nothing.
    await moveClock({ set: new Date(wakesAt).toISOString() });
    expect((await workflowView(ticket.number)).currentState).toBe('ReopenWindow');
    expect(entered(ticket.number, 'Evaluate')).toBe(0);
    expect(entered(ticket.number, 'ApplyClockEvent')).toBe(1);
    const events = await timeline(ticket.number);
    expect(events.filter((event) => event.type.startsWith('clock_'))).toEqual([]);
    expect(await parked(ticket.number)).toMatchObject({
      phase: 'reopen_window',
      version: (await ticketOf(ticket.number)).version,
    });

    // Five wall days after the resolution the window ends and the ticket closes.
    await moveClock({ advance: 'P5D' });
    expect(await ticketOf(ticket.number)).toMatchObject({ status: 'closed', closeReason: 'resolved' });
    const view = await workflowView(ticket.number);
    expect(view.execution?.status).toBe('SUCCEEDED');
    expect(view.steps.map(({ state, step }) => `${state}: ${step}`).slice(-4)).toEqual([
      'ApplyClockEvent: Re-read the ticket: no clock event due any more',
      expect.stringMatching(/^ReopenWindow: /),
      'ApplyClockEvent: Closed the ticket',
      'Closed: Closed',
    ]);
  });
});

describe('Workflow signals: a lost wake-up with nothing left on the clock', () => {
  it('looks again within a day, so a ticket whose every clock has run out still closes', async () => {
    const requester: DevIdentity = { email: person('idle'), role: 'requester' };
    const ticket = await open(requester);
    const work = { reason: 'Needs the next tier', summary: 'Checked the cable, the port and the driver.' };
    await act(ticket.number, 'escalate', priya, work);
    await act(ticket.number, 'escalate', sven, work);
    // A week at Tier 3 without an answer: every SLA and OLA clock has breached and been recorded.
    await moveClock({ advance: 'P7D' });
    const idle = await workflowView(ticket.number);
    expect(idle.nextClockEvent).toBeUndefined();
    expect(idle.currentState).toBe('AwaitAgent');

    await dynamo.send(new DeleteCommand({ TableName: stack.tableName, Key: workflowKey(ticket.number) }));
    await act(ticket.number, 'resolve', hana, { resolution: 'Replaced the dock.' });
    await moveClock({ advance: 'P1D' });
    expect((await workflowView(ticket.number)).currentState).toBe('ReopenWindow');

    await moveClock({ advance: 'P4D' });
    expect(await ticketOf(ticket.number)).toMatchObject({ status: 'closed', closeReason: 'resolved' });
  });
});

describe('Workflow signals: stale tokens', () => {
  it('answers a token the workflow no longer waits on with TaskTimedOut, and nothing changes', async () => {
    const requester: DevIdentity = { email: person('stale'), role: 'requester' };
    const ticket = await open(requester);
    const stale = await parked(ticket.number);
    await act(ticket.number, 'pending', priya, { reason: 'Which dock model is it?' });
    const current = await parked(ticket.number);
    expect(current).toMatchObject({ phase: 'awaiting_requester' });
    const before = { ticket: await ticketOf(ticket.number), history: history(ticket.number).length };

    await expect(complete(stale.token)).rejects.toBeInstanceOf(TaskTimedOut);
    // The stream processor's own path: a stale token is a wake nobody needs, not an error.
    const signals = new SfnWorkflowSignals(sfn, stack.workflow.stepFunctions.stateMachineArn);
    expect(await signals.wake(stale.token, ['status'])).toBe(false);
    await stack.workflow.settle();

    expect(await ticketOf(ticket.number)).toEqual(before.ticket);
    expect(history(ticket.number)).toHaveLength(before.history);
    expect(await parked(ticket.number)).toEqual(current);
  });
});

describe('Workflow signals: a change racing the park', () => {
  it('wakes itself when a change lands between its decision and its park, then parks on the change', async () => {
    const requester: DevIdentity = { email: person('park-race'), role: 'requester' };
    const ticket = await open(requester);
    // The worst interleaving, on purpose: the next park of this ticket is held until a change has
    // been written, so the change's stream record finds only the previous (stale) token.
    const storePark = DynamoWorkflowStore.prototype.park;
    let held = false;
    const park = vi.spyOn(DynamoWorkflowStore.prototype, 'park').mockImplementation(async function (
      this: DynamoWorkflowStore,
      record: ParkingRecord,
    ) {
      if (record.ticketNumber === ticket.number && !held) {
        held = true;
        await reply(ticket.number, priya, 'Is the dock’s firmware up to date?');
      }
      return storePark.call(this, record);
    });
    try {
      await complete((await parked(ticket.number)).token);
      await stack.workflow.settle();
      const outcomes = await Promise.all(park.mock.results.map((result) => result.value));
      expect(outcomes).toEqual([false, true]);
    } finally {
      park.mockRestore();
    }

    // Woken by the test, then by itself: two evaluations, and it waits on the reply's version.
    expect(entered(ticket.number, 'Evaluate')).toBe(2);
    const latest = await ticketOf(ticket.number);
    expect(latest.status).toBe('open');
    const record = await parked(ticket.number);
    expect(record).toMatchObject({ version: latest.version, phase: 'working' });
    await complete(record.token);
    await stack.workflow.settle();
    expect(entered(ticket.number, 'Evaluate')).toBe(3);
  });

  it('ends parked in the ticket’s phase with a live token, however the changes interleave with it', async () => {
    const requester: DevIdentity = { email: person('race'), role: 'requester' };
    // Changes land while the workflow triages and parks: each park either sees the version it
    // decided from, or finds the ticket moved on and wakes itself.
    const tickets = await Promise.all(
      [0, 1, 2].map(async () => {
        const ticket = await open(requester, { settled: false });
        await reply(ticket.number, priya, 'On it.');
        await reply(ticket.number, requester, 'Thanks, it is the WD19 dock.');
        return ticket;
      }),
    );
    await stack.workflow.settle();

    for (const { number } of tickets) {
      const ticket = await ticketOf(number);
      expect(ticket.status).toBe('open');
      const record = await parked(number);
      // Parked on the latest version, or on an earlier one when the changes since moved neither
      // its phase nor a clock event forward (they need no wake: see wake-decision.test.ts).
      expect(record.phase).toBe('working');
      expect(record.version).toBeLessThanOrEqual(ticket.version);
      // The stored token is the one the execution waits on: completing it wakes the workflow.
      const evaluations = entered(number, 'Evaluate');
      await complete(record.token);
      await stack.workflow.settle();
      expect(entered(number, 'Evaluate')).toBe(evaluations + 1);
      expect((await workflowView(number)).currentState).toBe('AwaitAgent');
    }
  });
});

describe('Workflow: pending too long', () => {
  it('reminds the requester after three wall days and auto-closes after seven', async () => {
    const requester: DevIdentity = { email: person('silent'), role: 'requester' };
    const ticket = await open(requester);
    await reply(ticket.number, priya, 'Can you send a photo of the dock’s status light?');
    await act(ticket.number, 'pending', priya, { reason: 'Waiting for a photo' });
    expect((await workflowView(ticket.number)).currentState).toBe('AwaitRequester');

    await moveClock({ advance: 'P3D' });
    const reminded = await ticketOf(ticket.number);
    expect(reminded.status).toBe('pending');
    const reminder = (await timeline(ticket.number)).filter((event) => event.type === 'reminder');
    expect(reminder).toMatchObject([{ public: true, data: { to: requester.email } }]);

    await moveClock({ advance: 'P4D' });
    expect(await ticketOf(ticket.number)).toMatchObject({ status: 'closed', closeReason: 'auto_closed' });
    const closed = (await timeline(ticket.number)).at(-1);
    expect(closed).toMatchObject({ type: 'closed', data: { reason: 'auto_closed' } });
    const view = await workflowView(ticket.number);
    expect(view.execution?.status).toBe('SUCCEEDED');
    expect(view.steps.map(({ state, step }) => (state === 'ApplyClockEvent' ? step : state))).toEqual(
      expect.arrayContaining(['AwaitRequester', 'Reminded the requester', 'Closed the ticket', 'Closed']),
    );
  });
});
