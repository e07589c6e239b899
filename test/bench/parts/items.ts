/**
 * Item growth: what a comment writes, and how long it takes, on a ticket with 10 comments and on
 * one with 10,000 (seeded fast: `item-growth.ts`), on DynamoDB Local with ConsumedCapacity per
 * index. Write units and item sizes are deterministic: gated, also under `--quick` (where the long
 * ticket is seeded without its comments' timeline items, which no comment reads or writes). The
 * latency ratio is reported: interleaved rounds, medians.
 */
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { fixedClock } from '#shared/domain/clock';
import { documentClient } from '#shared/store/client';
import { createTableInput } from '#shared/store/table';
import { DynamoAssignmentLedger } from '#shared/tickets/adapters/dynamodb/assignment';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { type Capacity, recordWriteCapacity, seedTicket, storedBytes, timedComment } from '../item-growth.ts';
import { type BenchPart, type Figure, median, table } from '../report.ts';

const SHORT = 10;
const LONG = 10_000;
const ROUNDS = 25;
/**
 * A comment on a ticket with 10 comments writes the ticket (3 KB), its event and its fact item,
 * and the ticket's copies in the person and queue indexes (projected ALL: the lists render them).
 */
const COMMENT_WRU_BUDGET = 26;
/** The same on AWS: the ticket (3 KB: 6), its event (2) and its fact item (2). */
const COMMENT_AWS_BUDGET = 10;
/** A ticket item: its fields, its pinned policy, its clock checkpoint. */
const ITEM_BYTES_BUDGET = 4_096;
/** What may differ between the two items: a few more digits in counters and instants. */
const ITEM_GROWTH_BYTES = 64;

/**
 * The same comment on `main` before fact items and narrow indexes (2834b56, measured the same way
 * on DynamoDB Local on 3 December 2026): the ticket item carried every clock fact, and the person
 * and queue indexes projected ALL.
 */
const BEFORE = {
  fresh: { total: 26, table: 8, indexes: { gsi1: 6, gsi2: 6, gsi3: 6 } },
  /** The ticket item (2.5 KB: 6) and its event (2). */
  freshTableOnAws: 8,
  thousand: { total: 410, table: 104, indexes: { gsi1: 102, gsi2: 102, gsi3: 102 }, itemKiB: 59 },
};

export const itemsPart: BenchPart = {
  id: 'items',
  quick: true,
  run: async ({ quick, progress }) => {
    const dynamo = await startDynamoDbLocal();
    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    const tableName = 'tierdesk-bench-items';
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
      const db = documentClient(client);
      const capacity = recordWriteCapacity(db);
      const clock = fixedClock('2026-11-20T14:00:00.000Z');
      const configs = new DynamoConfigStore(db, tableName);
      const deps: TicketDeps = {
        store: new DynamoTicketStore(db, tableName, clock),
        directory: new DynamoDirectory(db, tableName),
        assignments: new DynamoAssignmentLedger(db, tableName),
        config: configReader(configs),
        clock,
        orgDomains: ['example.com'],
      };
      progress(`seeding tickets with ${SHORT} and ${LONG} comments${quick ? ' (no timeline items)' : ''}`);
      const t0 = performance.now();
      const short = await seedTicket(db, tableName, clock, 1, SHORT);
      const long = await seedTicket(db, tableName, clock, 2, LONG, { events: !quick });
      const seedSeconds = (performance.now() - t0) / 1000;

      const comment = (number: number) => {
        clock.advance(1000);
        return timedComment(deps, capacity, number);
      };
      // Warm-up: the first requests of a process pay for connections and code loading.
      for (let round = 0; round < 2; round++) for (const { number } of [short, long]) await comment(number);
      const onShort = await comment(short.number);
      const onLong = await comment(long.number);
      const [shortBytes, longBytes] = [
        await storedBytes(db, tableName, short.number),
        await storedBytes(db, tableName, long.number),
      ];

      const figures: Figure[] = [
        {
          name: `comment on a ticket with ${SHORT} comments: write units`,
          value: onShort.capacity.total,
          unit: 'WRU',
          target: { op: '<=', value: COMMENT_WRU_BUDGET },
          gated: true,
          detail: `table ${onShort.capacity.table}, indexes ${indexText(onShort.capacity)}; before: ${BEFORE.fresh.total}`,
        },
        {
          name: `comment on a ticket with ${SHORT} comments: table write units as AWS bills them`,
          value: onShort.capacity.tableOnAws,
          unit: 'WRU',
          target: { op: '<=', value: COMMENT_AWS_BUDGET },
          gated: true,
          detail: `2 per started KB of each item written (the ticket, its event, its fact item); DynamoDB Local rounds them together; before: ${BEFORE.freshTableOnAws}`,
        },
        {
          name: `comment on a ticket with ${LONG.toLocaleString('en')} comments: table write units as AWS bills them`,
          value: onLong.capacity.tableOnAws,
          unit: 'WRU',
          target: { op: '<=', value: onShort.capacity.tableOnAws + 1 },
          gated: true,
        },
        {
          name: `comment on a ticket with ${LONG.toLocaleString('en')} comments: write units`,
          value: onLong.capacity.total,
          unit: 'WRU',
          target: { op: '<=', value: onShort.capacity.total + 1 },
          gated: true,
          detail: `the same as on a young ticket (±1); before: ${BEFORE.thousand.total} WRU at 1,000 comments, and no write at all past ~7,800`,
        },
        {
          name: `ticket item with ${SHORT} comments`,
          value: shortBytes,
          unit: 'B',
          target: { op: '<=', value: ITEM_BYTES_BUDGET },
          gated: true,
        },
        {
          name: `ticket item with ${LONG.toLocaleString('en')} comments`,
          value: longBytes,
          unit: 'B',
          target: { op: '<=', value: shortBytes + ITEM_GROWTH_BYTES },
          gated: true,
          detail: `before: ${BEFORE.thousand.itemKiB} KiB at 1,000 comments (DynamoDB's limit: 400 KB)`,
        },
      ];
      if (quick) return section(figures, [], seedSeconds, short.items + long.items);

      progress(`${ROUNDS} interleaved rounds of comments`);
      const times: Record<'short' | 'long', number[]> = { short: [], long: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['short', 'long'] as const) : (['long', 'short'] as const);
        for (const which of order) {
          const { ms } = await comment(which === 'short' ? short.number : long.number);
          times[which].push(ms);
        }
      }
      const [shortMs, longMs] = [median(times.short), median(times.long)];
      figures.push(
        { name: `comment on ${SHORT} comments: latency (median)`, value: shortMs, unit: 'ms' },
        {
          name: `comment on ${LONG.toLocaleString('en')} comments: latency (median)`,
          value: longMs,
          unit: 'ms',
        },
        {
          name: `comment latency, ${LONG.toLocaleString('en')} ÷ ${SHORT} comments`,
          value: longMs / shortMs,
          unit: '×',
          target: { op: '<=', value: 1.2 },
          detail: `${ROUNDS} interleaved rounds, medians; before: 3.2× at 1,015 comments`,
        },
      );
      return section(figures, [splitTable(onShort.capacity)], seedSeconds, short.items + long.items);
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
      await dynamo.stop();
    }
  },
};

const indexText = (capacity: Capacity): string => {
  const entries = Object.entries(capacity.indexes).filter(([, units]) => units > 0);
  return entries.length === 0 ? 'none' : entries.map(([name, units]) => `${name} ${units}`).join(', ');
};

/** Where a young ticket's comment spends its write units, before and now. */
const splitTable = (now: Capacity): string => {
  const names = ['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5'];
  const before = BEFORE.fresh.indexes as Record<string, number>;
  return [
    `Write units of one requester comment on a ticket with ${SHORT} comments (DynamoDB Local, ReturnConsumedCapacity INDEXES):`,
    '',
    table(
      ['', 'table', ...names, 'total'],
      [
        [
          'before (2834b56)',
          BEFORE.fresh.table,
          ...names.map((name) => before[name] ?? 0),
          BEFORE.fresh.total,
        ],
        ['now', now.table, ...names.map((name) => now.indexes[name] ?? 0), now.total],
      ],
    ),
  ].join('\n');
};

const section = (figures: Figure[], notes: string[], seedSeconds: number, items: number) => ({
  id: 'items',
  title: 'Item growth: a comment on a long-lived ticket',
  intro:
    'A ticket keeps a clock checkpoint and the facts of its latest version; every version’s facts are ' +
    'items of their own, so neither the ticket nor its index copies grow with its history. Two triaged ' +
    `tickets seeded with BatchWriteItem (${items.toLocaleString('en')} items in ${seedSeconds.toFixed(1)} s), then ` +
    'requester comments through `addComment` (the API’s use case), write units as DynamoDB Local reports them.',
  figures,
  notes,
});
