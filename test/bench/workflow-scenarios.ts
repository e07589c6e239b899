import type { DevIdentity } from '#infra/local/dev-key';
import { type LocalInvocation, observeInvocations } from '#infra/local/lambda';
import type { TestStack } from '#test/support/local-stack';
import { type SdkCall, startSdkMeter } from './sdk-meter.ts';

/**
 * The workflow part's measurements (`parts/workflow.ts` prices them): four ticket scenarios on the
 * local stack, each counted — the execution's states, every local Lambda invocation, every AWS
 * SDK call with the DynamoDB request units it consumed. Runs in a process of its own
 * (`workflow-worker.ts`): the local stack binds the handlers to its DynamoDB endpoint, one stack
 * per process, and other parts start their own.
 */

const requester = (label: string): DevIdentity => ({
  email: `bench-${label}-${Math.random().toString(36).slice(2, 8)}@example.com`,
  role: 'requester',
});
const priya: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };
const sven: DevIdentity = { email: 'sven@example.com', role: 'agent', tiers: [2] };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };

interface Driver {
  stack: TestStack;
  open(as: DevIdentity, body?: Record<string, unknown>): Promise<number>;
  act(number: number, action: string, as: DevIdentity, body?: unknown): Promise<void>;
  advance(duration: string): Promise<void>;
}

interface Scenario {
  id: string;
  title: string;
  /** Monday of the week it runs in (business hours in Berlin start at 08:00Z in winter). */
  start: string;
  run(driver: Driver): Promise<number>;
}

const SCENARIOS: Scenario[] = [
  {
    id: 'simple',
    title: 'created → agent reply → resolved → closed after the reopen window',
    start: '2026-12-07T08:00:00Z',
    run: async ({ open, act, advance }) => {
      const ticket = await open(requester('simple'));
      await act(ticket, 'comments', priya, { body: 'Re-add the account in the mail app, please.' });
      await act(ticket, 'resolve', priya, { resolution: 'Account re-added.' });
      await advance('P6D');
      return ticket;
    },
  },
  {
    id: 'ola-escalated',
    title: 'a P2 left at Tier 1 past its 2 h OLA: warned, escalated to Tier 2, answered, resolved, closed',
    start: '2026-12-14T08:00:00Z',
    run: async ({ open, act, advance }) => {
      const ticket = await open(requester('ola'), { impact: 'high', urgency: 'medium' });
      await advance('PT2H5M');
      await act(ticket, 'comments', sven, { body: 'Looking into it now.' });
      await act(ticket, 'resolve', sven, { resolution: 'Fixed the mail profile.' });
      await advance('P6D');
      return ticket;
    },
  },
  {
    id: 'escalated',
    title: 'escalated by hand to Tier 2, answered there, resolved, closed',
    start: '2026-12-21T08:00:00Z',
    run: async ({ open, act, advance }) => {
      const ticket = await open(requester('escalated'));
      await act(ticket, 'escalate', priya, {
        reason: 'Needs the next tier',
        summary: 'Checked the account and the device.',
      });
      await act(ticket, 'comments', sven, { body: 'Re-provisioned the mailbox.' });
      await act(ticket, 'resolve', sven, { resolution: 'Mailbox re-provisioned.' });
      await advance('P6D');
      return ticket;
    },
  },
  {
    id: 'vendor',
    title: 'escalated to Tier 3, handed to a vendor, reminded, resolved by the vendor, closed',
    start: '2026-12-28T08:00:00Z',
    run: async ({ open, act, advance }) => {
      const ticket = await open(requester('vendor'), {
        subject: 'Printer jams on every job',
        category: 'hardware/printer',
      });
      const work = { reason: 'Needs the next tier', summary: 'Cleared the paper path, reseated the tray.' };
      await act(ticket, 'escalate', priya, work);
      await act(ticket, 'escalate', sven, work);
      await act(ticket, 'handoff', hana, {
        vendorId: 'printix',
        message: 'Fuser unit fault, please replace.',
      });
      await advance('P1DT1H');
      await act(ticket, 'vendor-update', hana, { message: 'Fuser replaced on site.', resolved: true });
      await advance('P6D');
      return ticket;
    },
  },
];

export interface Measured {
  scenario: Pick<Scenario, 'id' | 'title'>;
  ticket: number;
  status: string;
  states: string[];
  invocations: LocalInvocation[];
  calls: SdkCall[];
  /** Wakes whose Evaluate came back to the same phase with the same next clock event. */
  idleWakes: number;
}

const historyOf = async (stack: TestStack, ticket: number) => {
  const engine = stack.workflow.stepFunctions;
  const arn = `${engine.stateMachineArn.replace(':stateMachine:', ':execution:')}:ticket-${ticket}-g0`;
  return { status: engine.describeExecution(arn).status, events: engine.getExecutionHistory(arn, {}).events };
};

type Decision = { phase?: string; action?: string; next?: { key: string; at: string } };
const decisionIn = (json: unknown): Decision | undefined => {
  try {
    return (JSON.parse(String(json)) as { Payload?: Decision }).Payload;
  } catch {
    return undefined;
  }
};

/** From a history: the states entered (each a billed transition) and the wakes that changed nothing. */
const readHistory = (events: { type: string; [key: string]: unknown }[]) => {
  const states: string[] = [];
  let parkedWith: Decision | undefined;
  let woken = false;
  let idleWakes = 0;
  for (const event of events) {
    const entered = event.stateEnteredEventDetails as { name: string; input?: string } | undefined;
    if (event.type.endsWith('StateEntered') && entered) {
      states.push(entered.name);
      if (['AwaitAgent', 'AwaitRequester', 'WithVendor', 'ReopenWindow'].includes(entered.name)) {
        parkedWith = decisionIn(entered.input);
        woken = true;
      }
    }
    if (event.type === 'TaskTimedOut') woken = false;
    if (event.type === 'TaskRetried') states.push('(retry)');
    const exited = event.stateExitedEventDetails as { name: string; output?: string } | undefined;
    if (event.type === 'TaskStateExited' && exited?.name === 'Evaluate' && woken && parkedWith) {
      const decided = decisionIn(exited.output);
      if (
        decided?.phase === parkedWith.phase &&
        decided?.action === 'none' &&
        decided?.next?.key === parkedWith.next?.key &&
        decided?.next?.at === parkedWith.next?.at
      )
        idleWakes++;
      woken = false;
    }
  }
  return { states, idleWakes };
};

const run = async (driverOf: (stack: TestStack) => Driver): Promise<Measured[]> => {
  // Production caching: a container remembers a person for a minute (the test stack's default is 0).
  process.env.TIERDESK_PRINCIPAL_TTL_MS ??= '60000';
  // Loaded here, not at the top: the handlers' logger and metrics read the environment (quieted
  // by workflow-worker.ts) when their module loads.
  const { startTestStack } = await import('#test/support/local-stack');
  const stack = await startTestStack({ clockStart: new Date('2026-11-30T07:00:00Z') });
  const meter = startSdkMeter();
  const invocations: LocalInvocation[] = [];
  const stopObserving = observeInvocations((invocation) => invocations.push(invocation));
  try {
    const driver = driverOf(stack);
    // Everyone is in the directory before the first ticket (as an admin would have put them).
    for (const agent of [priya, sven, hana]) await stack.token(agent);
    // One unmeasured ticket first: every container is warm then, as on a desk in use (a cold
    // start would be billed to whichever scenario ran first).
    await stack.api('/_local/clock', { method: 'POST', body: { set: '2026-11-30T08:00:00Z' } });
    await (SCENARIOS[0] as Scenario).run(driver);
    await stack.settle();
    const measured: Measured[] = [];
    for (const scenario of SCENARIOS) {
      await stack.api('/_local/clock', { method: 'POST', body: { set: scenario.start } });
      await stack.settle();
      meter.reset();
      invocations.length = 0;
      const ticket = await scenario.run(driver);
      await stack.settle();
      const { status, events } = await historyOf(stack, ticket);
      measured.push({
        scenario: { id: scenario.id, title: scenario.title },
        ticket,
        status,
        ...readHistory(events as never),
        invocations: [...invocations],
        calls: [...meter.calls],
      });
    }
    return measured;
  } finally {
    stopObserving();
    meter.stop();
    await stack.stop();
  }
};

const driverOf = (stack: TestStack): Driver => ({
  stack,
  open: async (as, body = {}) => {
    const response = await stack.api<{ number: number }>('/tickets', {
      method: 'POST',
      as,
      body: { subject: 'Email on my phone stopped syncing', description: 'Since this morning.', ...body },
    });
    if (response.status !== 201)
      throw new Error(`create: ${response.status} ${JSON.stringify(response.body)}`);
    await stack.settle();
    return response.body.number;
  },
  act: async (number, action, as, body = {}) => {
    const response = await stack.api(`/tickets/${number}/${action}`, { method: 'POST', as, body });
    if (response.status >= 300)
      throw new Error(`${action}: ${response.status} ${JSON.stringify(response.body)}`);
    await stack.settle();
  },
  advance: async (duration) => {
    const response = await stack.api('/_local/clock', { method: 'POST', body: { advance: duration } });
    if (response.status !== 200) throw new Error(`clock: ${response.status}`);
    await stack.settle();
  },
});

/** Runs every scenario on a fresh local stack and returns what was counted. */
export const measureScenarios = (): Promise<Measured[]> => run(driverOf);
