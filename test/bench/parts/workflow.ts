import type { DevIdentity } from '#infra/local/dev-key';
import { type LocalInvocation, observeInvocations } from '#infra/local/lambda';
import type { TestStack } from '#test/support/local-stack';
import { cost, lambdaGbSeconds, PRICE_REGION, PRICES, PRICES_AS_OF } from '../prices.ts';
import type { BenchPart, Figure, Section } from '../report.ts';
import { table } from '../report.ts';
import { type SdkCall, startSdkMeter } from '../sdk-meter.ts';

/**
 * What one ticket costs to run, from real executions on the local stack: the deployed state
 * machine definition on the local Step Functions engine, the real stream processor, mailer and
 * workflow tasks, DynamoDB Local, driven over HTTP with the clock moved on. Per scenario it counts
 * state transitions (from the execution's history), Lambda invocations and their durations, the
 * DynamoDB request units every call consumed, the mails sent, and how many stream-processor
 * invocations woke the workflow; then prices them from the one price table (`../prices.ts`).
 */

const requester = (label: string): DevIdentity => ({
  email: `bench-${label}-${Math.random().toString(36).slice(2, 8)}@example.com`,
  role: 'requester',
});
const priya: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };
const sven: DevIdentity = { email: 'sven@example.com', role: 'agent', tiers: [2] };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };

/** The memory each function is deployed with (infra/constructs): what its GB-seconds are billed at. */
const KB_MEMORY_MB = 1769;
const memoryOf = (fn: string): number =>
  ['tierdesk-stream-processor', 'tierdesk-send-mail', 'tierdesk-create-ticket'].includes(fn)
    ? KB_MEMORY_MB
    : 512;

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

interface Measured {
  scenario: Scenario;
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
  // Loaded here, not at the top: the handlers' logger and metrics read the environment (quiet in
  // the bench, see run.ts) when their module loads.
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
        scenario,
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

// ---- pricing -------------------------------------------------------------------------------------

interface Costed {
  id: string;
  transitions: number;
  invocations: number;
  gbSeconds: number;
  rru: number;
  wru: number;
  dynamoCalls: number;
  mails: number;
  streamInvocations: number;
  wakes: number;
  staleWakes: number;
  idleWakes: number;
  usd: {
    stepFunctions: number;
    lambda: number;
    dynamo: number;
    s3: number;
    ses: number;
    beforeSes: number;
    total: number;
  };
}

const priced = (measured: Measured): Costed => {
  const transitions = measured.states.length;
  const gbSeconds = measured.invocations.reduce(
    (sum, invocation) => sum + lambdaGbSeconds(invocation.ms, memoryOf(invocation.name)),
    0,
  );
  const dynamo = measured.calls.filter((call) => call.service === 'DynamoDB');
  const rru = dynamo.reduce((sum, call) => sum + call.rru, 0);
  const wru = dynamo.reduce((sum, call) => sum + call.wru, 0);
  const mails = measured.calls.filter(
    (call) => call.service === 'SES' && /^Send/.test(call.operation) && !call.error,
  ).length;
  const wakeCalls = measured.calls.filter(
    (call) => call.fn === 'tierdesk-stream-processor' && call.operation === 'SendTaskSuccess',
  );
  const s3 = measured.calls.filter((call) => call.service === 'S3');
  const s3Puts = s3.filter((call) => /^(Put|Copy|CreateMultipart|UploadPart)/.test(call.operation)).length;
  const usd = {
    stepFunctions: cost('stateTransitions', transitions),
    lambda: cost('lambdaRequests', measured.invocations.length) + cost('lambdaArmGbSeconds', gbSeconds),
    dynamo: cost('dynamoReadRequestUnits', rru) + cost('dynamoWriteRequestUnits', wru),
    s3: cost('s3Puts', s3Puts) + cost('s3Gets', s3.length - s3Puts),
    ses: cost('sesMails', mails),
  };
  const beforeSes = usd.stepFunctions + usd.lambda + usd.dynamo + usd.s3;
  return {
    id: measured.scenario.id,
    transitions,
    invocations: measured.invocations.length,
    gbSeconds,
    rru,
    wru,
    dynamoCalls: dynamo.length,
    mails,
    streamInvocations: measured.invocations.filter((i) => i.name === 'tierdesk-stream-processor').length,
    wakes: wakeCalls.length,
    staleWakes: wakeCalls.filter((call) => call.error).length,
    idleWakes: measured.idleWakes,
    usd: { ...usd, beforeSes, total: beforeSes + usd.ses },
  };
};

/** Per 1,000 tickets, to the tenth of a cent. */
const per1000 = (usd: number) => Math.round(usd * 1000 * 1000) / 1000;

/**
 * Transitions per scenario may not grow (the counts are deterministic: every step settles before
 * the next). A simple ticket's budget is the product's promise; the others are what they take now.
 */
const TRANSITION_BUDGET: Record<string, number> = {
  simple: 14,
  'ola-escalated': 24,
  escalated: 17,
  vendor: 32,
};
const COST_TARGETS: Record<string, number> = { simple: 0.45, 'ola-escalated': 0.6 };

/** Calls per function and operation, e.g. `triage: GetItem 3, Query 2, TransactWriteItems 1`. */
const callsByFunction = (calls: SdkCall[], invocations: LocalInvocation[]) => {
  const names = [...new Set([...invocations.map((i) => i.name), ...calls.map((c) => c.fn)])].sort();
  return names.map((fn) => {
    const own = calls.filter((call) => call.fn === fn);
    const ops = new Map<string, number>();
    for (const call of own)
      ops.set(
        `${call.operation}${call.error ? ` (${call.error})` : ''}`,
        (ops.get(`${call.operation}${call.error ? ` (${call.error})` : ''}`) ?? 0) + 1,
      );
    const mine = invocations.filter((i) => i.name === fn);
    return [
      fn.replace(/^tierdesk-/, ''),
      mine.length,
      Math.round(mine.reduce((sum, i) => sum + i.ms, 0)),
      [...ops].map(([op, n]) => `${op} ${n}`).join(', ') || '—',
      Math.round(own.reduce((sum, call) => sum + call.rru, 0) * 10) / 10,
      Math.round(own.reduce((sum, call) => sum + call.wru, 0) * 10) / 10,
    ];
  });
};

export const workflowPart: BenchPart = {
  id: 'workflow',
  quick: true,
  run: async ({ quick, progress }): Promise<Section> => {
    progress('starting the local stack and running four scenarios…');
    const measured = await run(driverOf);
    for (const m of measured)
      if (m.status !== 'SUCCEEDED')
        throw new Error(`${m.scenario.id}: the execution of #${m.ticket} ended ${m.status}, not SUCCEEDED`);
    const costed = measured.map(priced);
    const figures: Figure[] = costed.map((c) => ({
      name: `${c.id}: state transitions`,
      value: c.transitions,
      unit: 'transitions',
      gated: true,
      ...(TRANSITION_BUDGET[c.id] !== undefined && {
        target: { op: '<=' as const, value: TRANSITION_BUDGET[c.id] as number },
      }),
      detail: measured.find((m) => m.scenario.id === c.id)?.states.join(' → '),
    }));
    const intro = [
      'Real executions on the local stack (the deployed definition on the local Step Functions engine,',
      'the real stream processor, mailer and workflow tasks on DynamoDB Local), driven over HTTP with the',
      'clock moved on. Transitions are the states each execution entered; per scenario one ticket.',
    ].join(' ');
    if (quick) return { id: 'workflow', title: 'Workflow cost per ticket', intro, figures };

    for (const c of costed) {
      figures.push(
        {
          name: `${c.id}: $ per 1,000 tickets before SES`,
          value: per1000(c.usd.beforeSes),
          unit: '$',
          ...(COST_TARGETS[c.id] !== undefined && {
            target: { op: '<=' as const, value: COST_TARGETS[c.id] as number },
          }),
          detail: `Step Functions ${Math.round((c.usd.stepFunctions / c.usd.beforeSes) * 100)} %`,
        },
        { name: `${c.id}: $ per 1,000 tickets with SES`, value: per1000(c.usd.total), unit: '$' },
      );
    }
    const notes = [
      table(
        [
          'scenario',
          'transitions',
          'Lambda invocations',
          'GB-s',
          'DynamoDB calls',
          'RRU',
          'WRU',
          'mails',
          'stream invocations',
          'wakes (stale)',
          'wakes that changed nothing',
          '$/1k Step Functions',
          '$/1k Lambda',
          '$/1k DynamoDB',
          '$/1k before SES',
          '$/1k SES',
          '$/1k total',
        ],
        costed.map((c) => [
          c.id,
          c.transitions,
          c.invocations,
          Math.round(c.gbSeconds * 1000) / 1000,
          c.dynamoCalls,
          Math.round(c.rru * 10) / 10,
          Math.round(c.wru * 10) / 10,
          c.mails,
          c.streamInvocations,
          `${c.wakes} (${c.staleWakes})`,
          c.idleWakes,
          per1000(c.usd.stepFunctions),
          per1000(c.usd.lambda),
          per1000(c.usd.dynamo),
          per1000(c.usd.beforeSes),
          per1000(c.usd.ses),
          per1000(c.usd.total),
        ]),
      ),
      ...measured.map(
        (m) =>
          `**${m.scenario.id}** (${m.scenario.title}), ticket #${m.ticket}:\n\n${table(
            ['function', 'invocations', 'ms (local)', 'calls', 'RRU', 'WRU'],
            callsByFunction(m.calls, m.invocations),
          )}`,
      ),
      [
        `Prices (${PRICE_REGION}, list, as of ${PRICES_AS_OF}; test/bench/prices.ts):`,
        ...Object.values(PRICES).map(
          (price) =>
            `- $${price.usd} per ${price.per.toLocaleString('en')} ${price.unit} — ${price.sources[0]}`,
        ),
        "Lambda durations are this machine's in-process times on DynamoDB Local, billed at each",
        "function's deployed memory (workflow tasks and API handlers 512 MB; stream processor, mailer",
        'and create-ticket 1,769 MB).',
      ].join('\n'),
    ];
    return { id: 'workflow', title: 'Workflow cost per ticket', intro, figures, notes };
  },
};
