/**
 * Item growth: what a comment costs on a ticket with a long history, against one on a young
 * ticket. The long history is seeded fast and well formed: the ticket's versions are computed in
 * memory by the same lifecycle and clock code the API runs (`comment`, `recordClocks`), and their
 * items — the timeline events, the clock-fact items, the ticket item as the store writes it — are
 * written with BatchWriteItem. The comments measured then go through `addComment`, the use case of
 * `POST /tickets/{n}/comments`, with DynamoDB's ConsumedCapacity (TOTAL and per index) recorded.
 * Shared by the benchmark part `items` and the acceptance test.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import type { Clock } from '#shared/domain/clock';
import { recordClocks } from '#shared/domain/clocks';
import { comment } from '#shared/domain/lifecycle';
import { type Principal, principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import { TICKET_ENTITY } from '#shared/store/entities';
import { chunks, type Item } from '#shared/store/items';
import { clockFactsKey, eventKey, ticketIndexKeys, ticketKey } from '#shared/store/keys';
import { addComment, type TicketDeps } from '#shared/tickets/ticket-service';
import { ticketDraft } from '#test/support/fixtures';

export const REQUESTER = principalFromGroups('alice@example.com', ['requesters']);
export const AGENT = principalFromGroups('t1@example.com', ['tier1']);

/** A comment as people write them: a few sentences. */
const BODY =
  'Still the same here: the printer on the 3rd floor shows offline after a restart. ' +
  'I tried the other tray as suggested; no change. Anything else I can try?';

export interface Capacity {
  total: number;
  table: number;
  indexes: Record<string, number>;
  /**
   * The table's units as AWS bills a transaction: 2 per started KB of each item. DynamoDB Local
   * rounds the items' sizes together, so it reports fewer for a transaction of small items.
   */
  tableOnAws: number;
}

/**
 * Records the write capacity DynamoDB reports for every TransactWriteItems the client sends
 * (asking for it per index), in order.
 */
export const recordWriteCapacity = (db: DynamoDBDocumentClient): Capacity[] => {
  const seen: Capacity[] = [];
  db.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      const writes = Array.isArray(input.TransactItems);
      if (writes) input.ReturnConsumedCapacity = 'INDEXES';
      const result = await next(args);
      if (writes) {
        const consumed = (result.output as { ConsumedCapacity?: ConsumedEntry[] }).ConsumedCapacity ?? [];
        seen.push({
          ...capacityOf(consumed),
          tableOnAws: awsTableUnits(input.TransactItems as TransactItem[]),
        });
      }
      return result;
    },
    { step: 'initialize', name: 'recordWriteCapacity' },
  );
  return seen;
};

interface ConsumedEntry {
  CapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits?: number; WriteCapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number; WriteCapacityUnits?: number }>;
}

type TransactItem = { Put?: { Item: Item } } & Record<string, unknown>;

/** 2 units per started KB of every Put item; a delete, update or check of a small item: 2. */
const awsTableUnits = (items: readonly TransactItem[]): number =>
  items.reduce(
    (sum, item) => sum + 2 * (item.Put ? Math.max(1, Math.ceil(itemBytes(item.Put.Item) / 1024)) : 1),
    0,
  );

const units = (entry: { CapacityUnits?: number; WriteCapacityUnits?: number } | undefined) =>
  entry?.WriteCapacityUnits ?? entry?.CapacityUnits ?? 0;

const capacityOf = (consumed: readonly ConsumedEntry[]): Omit<Capacity, 'tableOnAws'> => {
  const indexes: Record<string, number> = {};
  let total = 0;
  let table = 0;
  for (const entry of consumed) {
    total += units(entry);
    table += units(entry.Table);
    for (const [name, index] of Object.entries(entry.GlobalSecondaryIndexes ?? {}))
      indexes[name] = (indexes[name] ?? 0) + units(index);
  }
  return { total, table, indexes };
};

/**
 * An item's size as DynamoDB counts it (attribute names and values, UTF-8): what its 1 KB write
 * units and its 400 KB limit apply to.
 */
export const itemBytes = (item: Item): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueBytes(value), 0);

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

const valueBytes = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace(/[.-]|e.*$/g, '')
      .replace(/^0+/, '').length;
    return Math.ceil(digits / 2) + 1;
  }
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, item) => sum + 1 + valueBytes(item), 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .reduce((sum, [name, item]) => sum + 1 + utf8(name) + valueBytes(item), 0)
    );
  return 0;
};

/** The ticket item as the store writes it. */
const ticketItemOf = (ticket: Ticket): Item => ({
  ...ticketKey(ticket.number),
  ...ticketIndexKeys(ticket),
  entity: TICKET_ENTITY.ticket,
  ...ticket,
  clocks: { ...ticket.clocks, itemized: true },
});

/** Writes items with BatchWriteItem, a few batches in flight, retrying what DynamoDB leaves unprocessed. */
const batchWrite = async (db: DynamoDBDocumentClient, tableName: string, items: readonly Item[]) => {
  const batches = chunks(items, 25);
  const inFlight = 32;
  for (let start = 0; start < batches.length; start += inFlight) {
    await Promise.all(
      batches.slice(start, start + inFlight).map(async (batch) => {
        let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
          );
          requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }),
    );
  }
};

/**
 * Seeds a triaged ticket (the demo standard policy pinned, at Tier 1) with `comments` public
 * comments, requester and agent in turn (each one a clock fact: a waiting message, a reply), a
 * minute apart, ending before `clock`'s now. Returns its number, its item's size and how many
 * items were written. Without `events` the comments' timeline items are left out (the ticket
 * item and its fact items are the same): what a comment writes does not depend on them.
 */
export const seedTicket = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  number: number,
  comments: number,
  { events = true }: { events?: boolean } = {},
): Promise<{ number: number; bytes: number; items: number }> => {
  const end = clock.now().getTime();
  const start = end - (comments + 2) * 60_000;
  const createdAt = new Date(start).toISOString();
  let ticket: Ticket = {
    ...ticketDraft(createdAt, {
      description: 'The 3rd floor printer says offline since this morning; restarting it did not help.',
      requester: REQUESTER.id,
      createdBy: REQUESTER.id,
    }),
    number,
    version: 1,
  };
  const items: Item[] = [
    {
      ...eventKey(number, 1, 0),
      entity: TICKET_ENTITY.event,
      type: 'created',
      at: createdAt,
      actor: REQUESTER.id,
      public: true,
    },
    { ...clockFactsKey(number, 1), entity: TICKET_ENTITY.clockFacts, facts: ticket.clocks.facts },
  ];
  // Triage: the policy pinned (the clocks fold from here on).
  const pinned = recordClocks(ticket.clocks, { ...ticket.clocks, policy: DEMO_STANDARD_POLICY });
  ticket = { ...ticket, clocks: pinned.clocks, version: 2 };
  items.push({
    ...eventKey(number, 2, 0),
    entity: TICKET_ENTITY.event,
    type: 'routed',
    at: createdAt,
    actor: 'tierdesk',
    public: false,
    data: { tier: 1, group: 'tier1', rule: null, policy: 'standard@v1' },
  });
  for (let n = 0; n < comments; n++) {
    const by: Principal = n % 2 === 0 ? REQUESTER : AGENT;
    const at = new Date(start + (n + 1) * 60_000);
    const transition = comment(ticket, by, { body: BODY, public: true }, at);
    const { clocks, recorded } = recordClocks(ticket.clocks, transition.ticket.clocks);
    const version = ticket.version + 1;
    ticket = { ...transition.ticket, clocks, version };
    if (events)
      transition.events.forEach((event, index) => {
        items.push({ ...eventKey(number, version, index), entity: TICKET_ENTITY.event, ...event });
      });
    if (recorded.length > 0)
      items.push({ ...clockFactsKey(number, version), entity: TICKET_ENTITY.clockFacts, facts: recorded });
  }
  const item = ticketItemOf(ticket);
  items.push(item);
  await batchWrite(db, tableName, items);
  return { number, bytes: itemBytes(item), items: items.length };
};

/** The ticket item's size as stored now. */
export const storedBytes = async (db: DynamoDBDocumentClient, tableName: string, number: number) => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: ticketKey(number) }));
  return Item ? itemBytes(Item) : 0;
};

/** One requester comment through the API's use case: its write capacity and how long it took. */
export const timedComment = async (
  deps: TicketDeps,
  capacity: Capacity[],
  number: number,
): Promise<{ ms: number; capacity: Capacity }> => {
  const seen = capacity.length;
  const t0 = performance.now();
  await addComment(deps, REQUESTER, number, { body: BODY, public: true });
  const ms = performance.now() - t0;
  const written = capacity.slice(seen);
  if (written.length !== 1) throw new Error(`A comment made ${written.length} transactions, not one.`);
  return { ms, capacity: written[0] as Capacity };
};
