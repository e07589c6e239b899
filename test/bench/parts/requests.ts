/**
 * The `requests` part: DynamoDB calls per request against the physical minimum (gated: a request
 * that makes more calls than its budget fails the build), no Scan on any request path (gated),
 * and, in the full run, handler latency ÷ the same calls issued raw, at 1k and 100k tickets.
 */
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';
import type { Figure, Section } from '../report.ts';
import { type BenchPart, table } from '../report.ts';
import { benchApi, expectOk, makeTicket, REQUESTS, type RecordedCall } from '../requests-calls.ts';

/**
 * The most calls each request may make (a warm container): the physical minimum wherever it is
 * reached. A change that adds a round trip to a request path fails here.
 */
export const CALL_BUDGETS: Record<string, number> = {
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
export const countCalls = async (endpoint: string) => {
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
      return {
        id: 'requests',
        title: 'Requests: DynamoDB calls, latency against the raw calls, flat at scale',
        intro:
          'Calls are counted by command name with a middleware on the client, each request once in a ' +
          'warm container (the caller and the configuration cached, as deployed).',
        figures,
        notes,
      };
    } finally {
      await dynamo.stop();
    }
  },
};
