/**
 * Throughput of the whole local stack: a bounded load with autocannon over HTTP — creates, then
 * mixed reads (a ticket, a tier queue, a requester's tickets) — each for a fixed time at a fixed
 * concurrency, while the stream poller starts every new ticket's workflow as on AWS. Afterwards
 * the table must hold exactly one ticket per 201 answer, with unique numbers.
 *
 * DynamoDB Local, the local API Gateway and every handler share this machine's cores: the figures
 * say how the local stack holds up under load (no errors, no lost or doubled ticket), not what AWS
 * would serve.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { documentClient } from '#shared/store/client';
import { FINDER_PARTITION, ticketNumberOfKey } from '#shared/store/keys';
import { TABLE } from '#shared/store/table';
import { startTestStack } from '#test/support/local-stack';
import { type BenchPart, type Figure, type Section, table, workerEnv } from '../report.ts';

const CONNECTIONS = 10;
/** Creates are counted, not timed: every request sent is answered before the table is checked. */
const CREATES = 300;
const READ_SECONDS = 15;

/**
 * The part runs in a worker process of its own: a process holds one local stack (the handlers'
 * clients are bound to its endpoints), and the console part starts one in the runner.
 */
export const throughputPart: BenchPart = {
  id: 'throughput',
  quick: false,
  run: async ({ progress }) => {
    progress('in a worker process with a local stack of its own');
    const { stdout, stderr } = await promisify(execFile)(TSX, [WORKER], {
      maxBuffer: 16 * 1024 * 1024,
      env: workerEnv(),
    });
    if (stderr.trim()) process.stderr.write(stderr);
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Section;
  },
};

const WORKER = fileURLToPath(new URL('../throughput-worker.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** The bounded loads and the check of the table afterwards (what the worker runs). */
export const measureThroughput = async (progress: (message: string) => void): Promise<Section> => {
  const stack = await startTestStack({ logLevel: 'ERROR' });
  try {
    const requester = { email: 'load-requester@example.com', role: 'requester' as const };
    const agent = { email: 'load-agent@example.com', role: 'agent' as const, tiers: [1 as const] };
    const requesterAuth = `Bearer ${await stack.token(requester, '1h')}`;
    const agentAuth = `Bearer ${await stack.token(agent, '1h')}`;
    const url = new URL(stack.apiUrl);

    progress(`${CREATES} creates at concurrency ${CONNECTIONS}`);
    const created: number[] = [];
    let sequence = 0;
    const creates = await autocannon({
      url: url.origin,
      connections: CONNECTIONS,
      amount: CREATES,
      requests: [
        {
          method: 'POST',
          path: `${url.pathname.replace(/\/$/, '')}/tickets`,
          headers: { authorization: requesterAuth, 'content-type': 'application/json' },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              subject: `Load ticket ${++sequence}`,
              description: 'Opened by the benchmark load.',
            }),
          }),
          onResponse: (status, body) => {
            if (status === 201) created.push((JSON.parse(body) as { number: number }).number);
          },
        },
      ],
    });

    progress(`mixed reads: ${READ_SECONDS} s at concurrency ${CONNECTIONS}`);
    const base = url.pathname.replace(/\/$/, '');
    const pick = () => created[Math.floor(Math.random() * created.length)] ?? 1;
    const reads = await autocannon({
      url: url.origin,
      connections: CONNECTIONS,
      duration: READ_SECONDS,
      requests: [
        {
          method: 'GET',
          headers: { authorization: requesterAuth },
          setupRequest: (request) => ({ ...request, path: `${base}/tickets/${pick()}` }),
        },
        {
          method: 'GET',
          path: `${base}/tickets?view=queue&tier=1&limit=25`,
          headers: { authorization: agentAuth },
        },
        {
          method: 'GET',
          path: `${base}/tickets?view=mine&limit=25`,
          headers: { authorization: requesterAuth },
        },
      ],
    });

    progress('waiting for the workflows the creates started');
    await stack.settle();
    const stored = await ticketNumbers(stack.dynamoEndpoint, stack.tableName);
    const answered = new Set(created);
    const answeredTwice = created.length - answered.size;
    const notStored = [...answered].filter((number) => !stored.has(number)).length;
    const notAnswered = [...stored].filter((number) => !answered.has(number)).length;

    const failures = (result: autocannon.Result, ok: number) =>
      result.errors +
      result.timeouts +
      Object.entries(result.statusCodeStats ?? {})
        .filter(([code]) => Number(code) !== ok)
        .reduce((sum, [, stats]) => sum + (stats.count ?? 0), 0);
    const figures: Figure[] = [
      { name: 'creates: requests/s', value: creates.requests.average, unit: 'req/s' },
      { name: 'creates: p50 latency', value: creates.latency.p50, unit: 'ms' },
      { name: 'creates: p99 latency', value: creates.latency.p99, unit: 'ms' },
      {
        name: 'creates: errors and non-201 answers',
        value: failures(creates, 201),
        unit: '',
        target: { op: '==', value: 0 },
      },
      { name: 'mixed reads: requests/s', value: reads.requests.average, unit: 'req/s' },
      { name: 'mixed reads: p50 latency', value: reads.latency.p50, unit: 'ms' },
      { name: 'mixed reads: p99 latency', value: reads.latency.p99, unit: 'ms' },
      {
        name: 'mixed reads: errors and non-200 answers',
        value: failures(reads, 200),
        unit: '',
        target: { op: '==', value: 0 },
      },
      {
        name: 'tickets in the table − 201 answers',
        value: stored.size - created.length,
        unit: '',
        target: { op: '==', value: 0 },
        detail: `${created.length} created, ${stored.size} stored`,
      },
      {
        name: 'ticket numbers answered twice, answered but not stored, or stored but not answered',
        value: answeredTwice + notStored + notAnswered,
        unit: '',
        target: { op: '==', value: 0 },
        detail: `${answeredTwice} twice, ${notStored} not stored, ${notAnswered} not answered`,
      },
    ];
    return {
      id: 'throughput',
      title: `Throughput of the local stack (autocannon, ${CONNECTIONS} connections: ${CREATES} creates, ${READ_SECONDS} s of reads)`,
      intro:
        'Over HTTP through the local API Gateway, every handler and DynamoDB Local on this machine, ' +
        "while the stream poller starts each new ticket's workflow. Reads mix `GET /tickets/{n}`, " +
        '`GET /tickets?view=queue&tier=1` and `GET /tickets?view=mine`.',
      figures,
      notes: [
        table(
          ['load', 'requests', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', 'max ms'],
          [creates, reads].map((result, index) => [
            index === 0 ? 'creates' : 'mixed reads',
            result.requests.total,
            result.requests.average,
            result.latency.p50,
            result.latency.p97_5,
            result.latency.p99,
            result.latency.max,
          ]),
        ),
      ],
    };
  } finally {
    await stack.stop();
  }
};

/** Every ticket number in the table, read page by page from the finder index (one partition, every ticket). */
const ticketNumbers = async (endpoint: string, tableName: string): Promise<Set<number>> => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const db = documentClient(client);
  const numbers = new Set<number>();
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: TABLE.indexes.finder.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.indexes.finder.partitionKey },
          ExpressionAttributeValues: { ':pk': FINDER_PARTITION },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) numbers.add(ticketNumberOfKey(item) as number);
      start = page.LastEvaluatedKey;
    } while (start);
  } finally {
    client.destroy();
  }
  return numbers;
};
