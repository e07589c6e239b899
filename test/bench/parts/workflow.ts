import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LocalInvocation } from '#infra/local/lambda';
import { cost, lambdaGbSeconds, PRICE_REGION, PRICES, PRICES_AS_OF } from '../prices.ts';
import type { BenchPart, Figure, Section } from '../report.ts';
import { table, workerEnv } from '../report.ts';
import type { SdkCall } from '../sdk-meter.ts';
import type { Measured } from '../workflow-scenarios.ts';

/**
 * What one ticket costs to run, from real executions on the local stack: the deployed state
 * machine definition on the local Step Functions engine, the real stream processor, mailer and
 * workflow tasks, DynamoDB Local, driven over HTTP with the clock moved on. Per scenario it counts
 * state transitions (from the execution's history), Lambda invocations and their durations, the
 * DynamoDB request units every call consumed, the mails sent, and how many stream-processor
 * invocations woke the workflow; then prices them from the one price table (`../prices.ts`).
 */

/** The memory each function is deployed with (infra/constructs): what its GB-seconds are billed at. */
const KB_MEMORY_MB = 1769;
const memoryOf = (fn: string): number =>
  ['tierdesk-stream-processor', 'tierdesk-send-mail'].includes(fn) ? KB_MEMORY_MB : 512;

const WORKER = fileURLToPath(new URL('../workflow-worker.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** The scenarios, measured in a process of their own (see workflow-scenarios.ts). */
const measureInWorker = async (): Promise<Measured[]> => {
  const dir = await mkdtemp(join(tmpdir(), 'tierdesk-bench-workflow-'));
  try {
    const out = join(dir, 'measured.json');
    const { stderr } = await promisify(execFile)(TSX, [WORKER, out], {
      maxBuffer: 16 * 1024 * 1024,
      env: workerEnv(),
    });
    if (stderr.trim()) process.stderr.write(stderr);
    return JSON.parse(await readFile(out, 'utf8')) as Measured[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

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
 * the next): what each takes now. A timed-out park applies its clock event straight away
 * (ApplyClockEvent, Route, the next park: 3 per event, was 5), a change that only moves a
 * deadline later wakes nothing (the store keeps `dueAt` current), and Triage parks without Route:
 * simple 11 → 8, ola-escalated 24 → 14, escalated 17 → 8, vendor 32 → 20. The product promises
 * at most 14 for a simple ticket.
 */
const TRANSITION_BUDGET: Record<string, number> = {
  simple: 8,
  'ola-escalated': 14,
  escalated: 8,
  vendor: 20,
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
    const measured = await measureInWorker();
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
        "function's deployed memory (workflow tasks and API handlers, create-ticket included, 512 MB;",
        'stream processor and mailer 1,769 MB).',
      ].join('\n'),
    ];
    return { id: 'workflow', title: 'Workflow cost per ticket', intro, figures, notes };
  },
};
