/**
 * The `requests` part: DynamoDB calls per request against the physical minimum (gated: a request
 * that makes more calls than its budget fails the build), no Scan on any request path (gated),
 * and, in the full run, handler latency ÷ the same calls issued raw, at 1k and 100k tickets.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localClientConfig, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import type { Ticket } from '#shared/domain/ticket';
import { documentClient } from '#shared/store/client';
import { TICKET_ENTITY } from '#shared/store/entities';
import { counterKey, ticketIndexKeys, ticketKey } from '#shared/store/keys';
import { createTableInput } from '#shared/store/table';
import { ticketDraft } from '#test/support/fixtures';
import type { Figure, Section } from '../report.ts';
import { type BenchPart, median, table, workerEnv } from '../report.ts';
import { benchApi, expectOk, makeTicket, REQUESTS, type RecordedCall } from '../requests-calls.ts';

/**
 * The most calls each request may make (a warm container): the physical minimum wherever it is
 * reached. A change that adds a round trip to a request path fails here.
 */
const CALL_BUDGETS: Record<string, number> = {
  create: 1,
  'create (Idempotency-Key)': 1,
  get: 1,
  queue: 1,
  'my tickets': 1,
  'timeline (requester)': 1,
  'timeline (agent)': 1,
  comment: 2,
  escalate: 2,
  resolve: 2,
  'find by number': 1,
  'find by requester': 1,
  'find by status': 2,
  'presence (read)': 1,
};

const summary = (calls: readonly RecordedCall[]): string => {
  const counts = new Map<string, number>();
  for (const { command } of calls) counts.set(command, (counts.get(command) ?? 0) + 1);
  return [...counts].map(([command, count]) => (count > 1 ? `${command} ×${count}` : command)).join(' + ');
};

/** Each request once, warm (a first call of the same kind filled the container's caches). */
const countCalls = async (endpoint: string) => {
  const { api, calls, client } = await benchApi(endpoint, 'bench-calls');
  try {
    const rows: { id: string; calls: RecordedCall[]; minimum: number; why: string }[] = [];
    for (const kind of REQUESTS) {
      // Warm: the caller and the configuration are known to the container, as in steady state.
      const warm = await makeTicket(api, 0);
      await expectOk(api, kind.call(warm, 0));
      const ticket = await makeTicket(api, 1);
      calls.length = 0;
      await expectOk(api, kind.call(ticket, 1));
      rows.push({ id: kind.id, calls: [...calls], minimum: kind.minimum, why: kind.why });
    }
    return rows;
  } finally {
    client.destroy();
  }
};

/** The requests timed against their raw calls, each in its function's own process. */
const TIMED = ['create', 'get', 'queue', 'timeline (requester)', 'comment', 'escalate', 'resolve'];
const SCALES = [1_000, 100_000];
const ROUNDS = 60;
const WARMUP = 8;

/**
 * `count` stored tickets, as the store writes them (the ticket item with its index keys): one in
 * ten still open (in the Tier 1 queue), the others closed, from 5,000 requesters.
 */
const seedTickets = async (db: DynamoDBDocumentClient, tables: readonly string[], count: number) => {
  const at = Date.parse('2026-06-01T00:00:00.000Z');
  const item = (number: number) => {
    const createdAt = new Date(at + number * 60_000).toISOString();
    const person = `person${number % 5_000}@example.com`;
    const ticket: Ticket = {
      ...ticketDraft(createdAt, {
        subject: `Seeded ticket ${number}`,
        description: 'Seeded for the scale benchmark.',
        requester: person,
        createdBy: person,
        status: number % 10 === 0 ? 'new' : 'closed',
        ...(number % 10 !== 0 && { resolvedAt: createdAt, closedAt: createdAt }),
      }),
      number,
      version: 1,
    };
    return { ...ticketKey(number), ...ticketIndexKeys(ticket), entity: TICKET_ENTITY.ticket, ...ticket };
  };
  const batches: { table: string; from: number }[] = [];
  for (const table of tables) for (let from = 1; from <= count; from += 25) batches.push({ table, from });
  const write = async ({ table, from }: { table: string; from: number }) => {
    let requests = Array.from({ length: Math.min(25, count - from + 1) }, (_, i) => ({
      PutRequest: { Item: item(from + i) },
    }));
    while (requests.length > 0) {
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) await write(batches[next++] as (typeof batches)[number]);
    }),
  );
  const counter = { ...counterKey('ticket'), entity: TICKET_ENTITY.counter, value: count };
  for (const table of tables) {
    await db.send(new BatchWriteCommand({ RequestItems: { [table]: [{ PutRequest: { Item: counter } }] } }));
  }
};

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('../requests-worker.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

interface Timing {
  handler: number;
  raw: number;
  /** The median of each round's handler latency ÷ its raw calls' (the two timed next to each other). */
  ratio: number;
}

/**
 * One request kind in its own process, on every table: median handler and raw latencies per table,
 * and the median of the rounds' ratios. The ratio of each round pairs two timings taken within
 * milliseconds of each other, so a pause of the shared machine or of DynamoDB Local (a GC, another
 * process) that slows a stretch of rounds moves both; the ratio of the medians did not pair them.
 */
const timeInProcess = async (
  endpoint: string,
  tables: readonly string[],
  kind: string,
): Promise<Map<string, Timing>> => {
  const { stdout, stderr } = await run(
    TSX,
    [WORKER, JSON.stringify({ endpoint, tables, kind, rounds: ROUNDS, warmup: WARMUP })],
    { maxBuffer: 16 * 1024 * 1024, env: workerEnv() },
  );
  if (stderr.trim()) process.stderr.write(stderr);
  const { results, rawErrors } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    results: Record<string, { handler: number[]; raw: number[] }>;
    rawErrors: number;
  };
  // A refused call is timed like a call made, but it is not the work the handler did.
  if (rawErrors > 0)
    throw new Error(`${kind}: DynamoDB refused ${rawErrors} of the calls sent again (the first is above)`);
  return new Map(
    Object.entries(results).map(([table, { handler, raw }]) => [
      table,
      {
        handler: median(handler),
        raw: median(raw),
        ratio: median(handler.map((ms, round) => ms / (raw[round] as number))),
      },
    ]),
  );
};

/**
 * Every timed request on a table of each size: one process per function serves both, round by
 * round in alternation, so the machine's drift (it is shared) moves both sizes alike.
 */
const timeAtScales = async (endpoint: string, progress: (message: string) => void) => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const db = documentClient(client);
  const timings = new Map<number, Map<string, Timing>>(SCALES.map((scale) => [scale, new Map()]));
  const tableOf = (scale: number) => `bench-scale-${scale}`;
  try {
    for (const scale of SCALES) {
      await client.send(new CreateTableCommand(createTableInput(tableOf(scale))));
      const t0 = performance.now();
      await seedTickets(db, [tableOf(scale)], scale);
      progress(`seeded ${scale} tickets in ${Math.round((performance.now() - t0) / 1000)} s`);
    }
    for (const kind of TIMED) {
      const byTable = await timeInProcess(endpoint, SCALES.map(tableOf), kind);
      for (const scale of SCALES) timings.get(scale)?.set(kind, byTable.get(tableOf(scale)) as Timing);
      progress(
        `${kind}: ${SCALES.map((scale) => {
          const { handler, raw } = byTable.get(tableOf(scale)) as Timing;
          return `${handler.toFixed(2)} ms vs ${raw.toFixed(2)} ms raw at ${scale}`;
        }).join(', ')}`,
      );
    }
  } finally {
    client.destroy();
  }
  return timings;
};

export const requestsPart: BenchPart = {
  id: 'requests',
  quick: true,
  run: async ({ quick, progress }): Promise<Section> => {
    const dynamo = await startDynamoDbLocal();
    try {
      progress('counting DynamoDB calls per request');
      const rows = await countCalls(dynamo.endpoint);
      const scans = rows.reduce(
        (sum, row) => sum + row.calls.filter(({ command }) => command === 'Scan').length,
        0,
      );
      const figures: Figure[] = [
        ...rows.map(
          (row): Figure => ({
            name: `calls: ${row.id}`,
            value: row.calls.length,
            unit: 'calls',
            target: { op: '<=', value: CALL_BUDGETS[row.id] ?? row.minimum },
            gated: true,
            detail: summary(row.calls),
          }),
        ),
        {
          name: 'Scan calls on request paths',
          value: scans,
          unit: 'calls',
          target: { op: '==', value: 0 },
          gated: true,
        },
      ];
      const notes = [
        table(
          ['request', 'calls', 'minimum', 'budget', 'what it sends', 'the minimum'],
          rows.map((row) => [
            row.id,
            row.calls.length,
            row.minimum,
            CALL_BUDGETS[row.id] ?? row.minimum,
            summary(row.calls),
            row.why,
          ]),
        ),
      ];
      if (quick) return { id: 'requests', title: 'DynamoDB calls per request', figures, notes };
      const timings = await timeAtScales(dynamo.endpoint, progress);
      const at = (scale: number, kind: string) => timings.get(scale)?.get(kind) as Timing;
      const [small, large] = SCALES as [number, number];
      const ratio = (timing: Timing) => timing.ratio;
      for (const kind of TIMED) {
        const timing = at(small, kind);
        figures.push({
          name: `handler ÷ raw calls: ${kind}`,
          value: ratio(timing),
          unit: '×',
          target: { op: '<=', value: 1.2 },
          detail: `median ${timing.handler.toFixed(2)} ms vs ${timing.raw.toFixed(2)} ms raw, ${small} tickets`,
        });
      }
      for (const kind of TIMED) {
        const a = at(small, kind);
        const b = at(large, kind);
        figures.push({
          name: `flat at scale: ${kind}`,
          value: b.ratio / a.ratio,
          unit: '×',
          target: { op: '<=', value: 1.1 },
          detail: `handler ${(b.handler / a.handler).toFixed(2)}×, raw calls ${(b.raw / a.raw).toFixed(2)}×, ${small} → ${large} tickets`,
        });
      }
      notes.push(
        table(
          [
            'request',
            ...SCALES.flatMap((scale) => [`handler ms (${scale})`, `raw ms (${scale})`, `ratio (${scale})`]),
          ],
          TIMED.map((kind) => [
            kind,
            ...SCALES.flatMap((scale) => [
              at(scale, kind).handler,
              at(scale, kind).raw,
              ratio(at(scale, kind)),
            ]),
          ]),
        ),
      );
      return {
        id: 'requests',
        title: 'Requests: DynamoDB calls, latency against the raw calls, flat at scale',
        intro: [
          'Calls are counted by command name with a middleware on the client, each request once in a',
          'warm container (the caller and the configuration cached, as deployed). Latency: each',
          'function alone in its own Node process (its handler in process, as `apiFor` calls it),',
          `${ROUNDS} rounds after ${WARMUP} warm-up rounds, each round the request through the handler and`,
          'then the very DynamoDB calls it made, sent again by a bare client (each write condition',
          'widened with `OR attribute_not_exists(<an attribute nothing writes>)`, so it is evaluated',
          'and holds; a write to an item that exists rewrites it, and a Put that created an item creates',
          'one again, under partition keys no request reads, since an insert costs more than an',
          'overwrite as the table grows; where each round acts on a fresh ticket, escalate and resolve,',
          'on a twin made beside it and untouched since, not on the ticket the handler has just touched);',
          'in every other round the calls',
          'of the round before go first and then the handler, so that neither always finds the items',
          'the other just touched in the cache; latencies are medians, a ratio is the median of the',
          "rounds' ratios (each pairs two timings taken next to each other). Scale: the same at 1k and",
          '100k seeded tickets (one in ten open) on DynamoDB Local in memory, both served by the same process round by round in alternation; the',
          'ratio at 100k over the ratio at 1k stays near 1 when no request reads more as the table grows. Latency',
          'figures are reported, not gated.',
        ].join(' '),
        figures,
        notes,
      };
    } finally {
      await dynamo.stop();
    }
  },
};
