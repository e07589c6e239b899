import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from '#shared/store/sdk';
import { decodeCursor, encodeCursor, invalidCursor, type PositionSchema } from './cursor.ts';
import { backoff } from './errors.ts';
import { chunks, type Item } from './items.ts';
import { type IndexName, TABLE } from './table.ts';

/** One page of a list, and while the list goes on the cursor of the next page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * The most one page of a list may read: DynamoDB requests, and how many items a filtered request
 * evaluates (hidden internal notes cost reads too). A requester's timeline with hundreds of
 * internal notes answers in bounded time, with short pages and a cursor.
 */
export const PAGE_READS = { queries: 3, filteredBatch: 100 } as const;

/** How a list's cursor names a place in it, and how that place becomes a start key again. */
export interface ListPosition<P> {
  /** The partition queried; a cursor resumes only the list it came from. */
  partition: string;
  /** Its schema (built on the first cursor decoded, see `cursor.ts`). */
  position: PositionSchema<P>;
  /** The ExclusiveStartKey to resume after a position (built by keys.ts). */
  startKey: (position: P) => Item;
  positionOf: (key: Item) => P;
}

/** The Query input for one partition of a global secondary index. */
export const indexPartition = (name: IndexName, partition: string) => {
  const index = TABLE.indexes[name];
  return {
    IndexName: index.indexName,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': index.partitionKey },
    ExpressionAttributeValues: { ':pk': partition },
  };
};

/**
 * One page of a Query, in at most PAGE_READS.queries requests. It asks for one item more than
 * the page holds, so a page that ends the list carries no cursor (no empty last page); a page
 * that hits DynamoDB's 1 MB cap reads on.
 *
 * With a filter (requesters' timelines hide internal notes) DynamoDB pages come back short, or
 * empty: reading until the page is full would cost one more request per run of hidden items.
 * Once the budget is spent the page is returned as it is, short or even empty, with a cursor
 * at the last key DynamoDB evaluated, so the next page resumes after everything already read.
 */
export const queryPage = async <P>(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
  list: ListPosition<P>,
  page: PageRequest,
  {
    filteredBatch = PAGE_READS.filteredBatch,
  }: {
    /** Items a filtered request evaluates: more where the rows are small (a narrow projection). */
    filteredBatch?: number;
  } = {},
): Promise<Page<Item>> => {
  const position = decodeCursor(page.cursor, list.partition, list.position);
  let startKey: Item | undefined = position === undefined ? undefined : list.startKey(position);
  const wanted = page.limit + 1;
  const items: Item[] = [];
  for (let request = 0; request < PAGE_READS.queries; request++) {
    const remaining = wanted - items.length;
    let result: QueryCommandOutput;
    try {
      result = await db.send(
        new QueryCommand({
          ...input,
          TableName: tableName,
          Limit: input.FilterExpression ? Math.max(remaining, filteredBatch) : remaining,
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (error) {
      // The rebuilt key is well-formed by construction; should DynamoDB still refuse it, the
      // cursor is what the caller can fix (a 400), not a fault of ours (a 500).
      if (request === 0 && position !== undefined && (error as Error).name === 'ValidationException') {
        throw invalidCursor();
      }
      throw error;
    }
    const { Items = [], LastEvaluatedKey } = result;
    items.push(...Items);
    startKey = LastEvaluatedKey;
    if (!startKey || items.length >= wanted) break;
  }
  if (items.length > page.limit) {
    const pageItems = items.slice(0, page.limit);
    const last = pageItems.at(-1) as Item;
    return { items: pageItems, nextCursor: encodeCursor(list.partition, list.positionOf(last)) };
  }
  return {
    items,
    nextCursor: startKey ? encodeCursor(list.partition, list.positionOf(startKey)) : undefined,
  };
};

/** DynamoDB's limit on the keys of one BatchGetItem call. */
const BATCH_GET = 100;

/**
 * The items under these keys, in batches of 100, retrying what DynamoDB left unprocessed with
 * backoff. Missing items are simply absent; the order is DynamoDB's, not the keys'.
 */
export const batchGetItems = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  { consistentRead = false }: { consistentRead?: boolean } = {},
): Promise<Item[]> => {
  const items: Item[] = [];
  for (const batch of chunks(keys, BATCH_GET)) {
    let pending: Item[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const { Responses, UnprocessedKeys } = await db.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: pending, ...(consistentRead && { ConsistentRead: true }) } },
        }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (pending.length > 0) await backoff(attempt);
    }
  }
  return items;
};

/** Every item of one partition whose sort key starts with `prefix`, read consistently (one page: a ticket's few). */
export const itemsWithPrefix = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  partition: string,
  prefix: string,
): Promise<Item[]> => {
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
      ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
      ConsistentRead: true,
    }),
  );
  return Items;
};
