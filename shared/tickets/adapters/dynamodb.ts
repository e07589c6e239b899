import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { type Clock, systemClock } from '#shared/domain/clock';
import {
  ContentionError,
  IdempotencyKeyReuseError,
  NotFoundError,
  VersionMismatchError,
} from '#shared/domain/errors';
import type { Ticket } from '#shared/domain/ticket';
import type { Status, Tier } from '#shared/domain/ticket-fields';
import type { NewTimelineEvent, TimelineEvent } from '#shared/domain/timeline';
import {
  decodeCursor,
  EventPositionSchema,
  encodeCursor,
  invalidCursor,
  PersonListPositionSchema,
  QueuePositionSchema,
} from '#shared/store/cursor';
import {
  assigneePartition,
  assignmentCounterKey,
  counterKey,
  EVENT_PREFIX,
  eventId,
  eventKey,
  eventPosition,
  eventStartKey,
  idempotencyKey,
  type Key,
  memberKey,
  personListPosition,
  personListStartKey,
  personPartition,
  type QueueIndex,
  queuePosition,
  queueStartKey,
  SUPERVISOR_MEMBER_PARTITION,
  ticketIndexKeys,
  ticketKey,
  tierMemberPartition,
  tierQueuePartition,
  tierStatusPartition,
  userKey,
  watcherIndexKeys,
  watcherKey,
} from '#shared/store/keys';
import { keyAttributes, TABLE } from '#shared/store/table';
import type {
  CreateOptions,
  CreateResult,
  DirectoryUser,
  IdempotencyClaim,
  MutateOptions,
  MutateResult,
  Page,
  PageRequest,
  TicketChange,
  TicketDraft,
  TicketStore,
  TicketTarget,
} from '#shared/tickets/ticket-store';

type Item = Record<string, unknown>;

/** How long an Idempotency-Key is remembered (Stripe and the IETF draft use 24 h). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Lost races on one ticket are retried with full-jitter backoff, for at most `budgetMs` of wall
 * clock: half the 10 s Lambda timeout, so a writer that keeps losing (a mail storm, a bulk update
 * on one hot ticket) gets a 503 with Retry-After, and nothing written, rather than a timeout.
 */
const RETRY = { baseMs: 8, capMs: 250, budgetMs: 5_000 } as const;

export interface DynamoTicketStoreOptions {
  /** How long lost races are retried before ContentionError (default RETRY.budgetMs). */
  retryBudgetMs?: number;
}

/**
 * The most one page of a list may read: DynamoDB requests, and how many items a filtered request
 * evaluates (hidden internal notes cost reads too). A requester's timeline with hundreds of
 * internal notes answers in bounded time, with short pages and a cursor.
 */
export const PAGE_READS = { queries: 3, filteredBatch: 100 } as const;

/** DynamoDB's limit on the items of one TransactWriteItems call. */
const MAX_TRANSACTION_ITEMS = 100;

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

const KEY_ATTRIBUTES = new Set([...keyAttributes(), 'entity', TABLE.timeToLiveAttribute]);

/** Strips the storage attributes off an item, leaving the entity as the domain knows it. */
const entityOf = <T>(item: Item): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !KEY_ATTRIBUTES.has(name))) as T;

/** A directory entry's optimistic-lock counter; storage only, never part of the entry. */
const USER_REVISION = 'revision';

const directoryUserOf = (item: Item): DirectoryUser => {
  const { [USER_REVISION]: _revision, ...user } = entityOf<DirectoryUser & { [USER_REVISION]?: number }>(
    item,
  );
  return user;
};

/** The tiers a directory entry is a member of: agents only. */
/** The membership partitions a directory entry is copied into (see `tierMemberPartition`). */
const membershipsOf = (user: Pick<DirectoryUser, 'role' | 'tiers'>): string[] => {
  if (user.role === 'agent') return user.tiers.map(tierMemberPartition);
  return user.role === 'supervisor' ? [SUPERVISOR_MEMBER_PARTITION] : [];
};

const ticketItem = (ticket: Ticket): Item => ({
  ...ticketKey(ticket.number),
  ...ticketIndexKeys(ticket),
  entity: 'ticket',
  ...ticket,
});

const eventItems = (number: number, version: number, events: NewTimelineEvent[]) =>
  events.map((event, index) => {
    const key = eventKey(number, version, index);
    return {
      key,
      item: { ...key, entity: 'event', ...event } as Item,
      event: { id: eventId(key), ...event },
    };
  });

const cancellationCode = (error: unknown, position: number): string | undefined =>
  error instanceof TransactionCanceledException ? error.CancellationReasons?.[position]?.Code : undefined;

/** A lost race: a condition on a version failed, or another transaction held an item. */
const isConditionFailure = (error: unknown): boolean => {
  if (error instanceof TransactionConflictException) return true;
  if (!(error instanceof TransactionCanceledException)) return false;
  return (error.CancellationReasons ?? []).some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const backoff = (attempt: number) =>
  sleep(Math.random() * Math.min(RETRY.capMs, RETRY.baseMs * 2 ** attempt));

/** Backs off before another attempt; false (without waiting) when it would end past the deadline. */
const backoffUntil = async (deadline: number, attempt: number): Promise<boolean> => {
  const delay = Math.random() * Math.min(RETRY.capMs, RETRY.baseMs * 2 ** attempt);
  if (performance.now() + delay >= deadline) return false;
  await sleep(delay);
  return true;
};

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

export class DynamoTicketStore implements TicketStore {
  private readonly retryBudgetMs: number;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
    options: DynamoTicketStoreOptions = {},
  ) {
    this.retryBudgetMs = options.retryBudgetMs ?? RETRY.budgetMs;
  }

  /** When retries of a lost race must stop (monotonic milliseconds). */
  private retryDeadline(): number {
    return performance.now() + this.retryBudgetMs;
  }

  async createTicket(
    draft: TicketDraft,
    idempotency?: IdempotencyClaim,
    options: CreateOptions = {},
  ): Promise<CreateResult> {
    if (idempotency) {
      const earlier = await this.replay(idempotency);
      if (earlier) return earlier;
    }
    const number = await this.nextTicketNumber();
    const ticket: Ticket = { ...draft, number, version: 1 };
    const data = options.createdData?.(number);
    const created: NewTimelineEvent = {
      type: 'created',
      at: ticket.createdAt,
      actor: ticket.createdBy,
      public: true,
      ...(data && { data }),
    };
    const writes: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Put: {
          TableName: this.tableName,
          Item: ticketItem(ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...eventItems(number, 1, [created]).map(({ item }) => ({
        Put: { TableName: this.tableName, Item: item },
      })),
      ...ticket.watchers.map((email) => ({
        Put: { TableName: this.tableName, Item: this.watcherItem(ticket, email) },
      })),
    ];
    if (idempotency) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...idempotencyKey(idempotency.caller, idempotency.key),
            entity: 'idempotency',
            fingerprint: idempotency.fingerprint,
            ticketNumber: number,
            [TABLE.timeToLiveAttribute]: epochSeconds(this.clock.now()) + IDEMPOTENCY_TTL_SECONDS,
          },
          // An expired record may linger until TTL deletes it (up to days later): it is no claim.
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#expiresAt': TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':now': epochSeconds(this.clock.now()) },
        },
      });
    }
    const deadline = this.retryDeadline();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: writes }));
        return { ticket, replayed: false };
      } catch (error) {
        // A taken ticket number would be a broken counter, not a race to retry.
        if (!isConditionFailure(error) || cancellationCode(error, 0) === 'ConditionalCheckFailed')
          throw error;
        // A concurrent request with the same key won the race (ConditionalCheckFailed on the
        // record) or is committing it right now (TransactionConflict): once it has landed, answer
        // as it did. The number this request drew stays unused: a gap, never a duplicate.
        if (idempotency) {
          const earlier = await this.replay(idempotency);
          if (earlier) return earlier;
        }
        if (!(await backoffUntil(deadline, attempt))) {
          throw new ContentionError(
            'Too many concurrent requests create this ticket; try again in a moment.',
          );
        }
      }
    }
  }

  async getTicket(number: number): Promise<Ticket | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: ticketKey(number), ConsistentRead: true }),
    );
    return Item ? entityOf<Ticket>(Item) : undefined;
  }

  async mutateTicket(
    number: number,
    change: TicketChange,
    options: MutateOptions = {},
  ): Promise<MutateResult> {
    const [result] = await this.mutateTickets(
      [{ number, expectedVersion: options.expectedVersion }],
      ([current]) => [change(current as Ticket)],
    );
    return result as MutateResult;
  }

  async mutateTickets(
    targets: readonly TicketTarget[],
    change: (current: Ticket[]) => ReturnType<TicketChange>[],
  ): Promise<MutateResult[]> {
    if (new Set(targets.map(({ number }) => number)).size !== targets.length) {
      throw new Error('mutateTickets changes distinct tickets; name each ticket once.');
    }
    const deadline = this.retryDeadline();
    for (let attempt = 0; ; attempt++) {
      const currents = await Promise.all(
        targets.map(async ({ number, expectedVersion }) => {
          const current = await this.getTicket(number);
          if (!current) throw new NotFoundError(`Ticket #${number} does not exist.`);
          if (expectedVersion !== undefined && current.version !== expectedVersion) {
            throw new VersionMismatchError(expectedVersion, current.version);
          }
          return current;
        }),
      );
      const proposals = change(currents);
      const writes: TransactItems = [];
      const results = currents.map((current, position): MutateResult => {
        const proposed = proposals[position];
        if (!proposed) return { ticket: current, events: [] };
        const ticket: Ticket = { ...proposed.ticket, number: current.number, version: current.version + 1 };
        const events = eventItems(current.number, ticket.version, proposed.events);
        writes.push(
          {
            Put: {
              TableName: this.tableName,
              Item: ticketItem(ticket),
              // Each ticket lands only on the version its change was computed from.
              ConditionExpression: 'version = :read',
              ExpressionAttributeValues: { ':read': current.version },
            },
          },
          ...events.map(({ item }) => ({ Put: { TableName: this.tableName, Item: item } })),
          ...this.watcherWrites(current, ticket),
        );
        return { ticket, events: events.map(({ event }) => event) };
      });
      if (writes.length === 0) return results;
      if (writes.length > MAX_TRANSACTION_ITEMS) {
        throw new Error(
          `Changing tickets ${targets.map(({ number }) => `#${number}`).join(', ')} takes ${writes.length} writes; ` +
            `one transaction holds at most ${MAX_TRANSACTION_ITEMS}.`,
        );
      }
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: writes }));
        return results;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A pinned ticket that moved on fails fast; any other lost race is retried on a fresh read.
        for (const { number, expectedVersion } of targets) {
          if (expectedVersion === undefined) continue;
          const latest = await this.getTicket(number);
          if (latest?.version !== expectedVersion) {
            throw new VersionMismatchError(expectedVersion, latest?.version ?? expectedVersion + 1);
          }
        }
        if (!(await backoffUntil(deadline, attempt))) {
          const names = targets.map(({ number }) => `#${number}`).join(', ');
          throw new ContentionError(
            `${targets.length === 1 ? `Ticket ${names} is` : `Tickets ${names} are`} changing too fast; try again in a moment.`,
          );
        }
      }
    }
  }

  async timeline(
    number: number,
    page: PageRequest & { includeInternal: boolean },
  ): Promise<Page<TimelineEvent>> {
    const { pk } = ticketKey(number);
    const result = await this.queryPage(
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: {
          ':pk': pk,
          ':events': EVENT_PREFIX,
          ...(page.includeInternal ? {} : { ':yes': true }),
        },
        ...(page.includeInternal
          ? {}
          : { FilterExpression: '#public = :yes', ExpressionAttributeNames: { '#public': 'public' } }),
      },
      {
        partition: pk,
        position: EventPositionSchema,
        startKey: (at) => eventStartKey(number, at),
        positionOf: eventPosition,
      },
      page,
    );
    return {
      items: result.items.map((item) => ({
        id: eventId(item as unknown as Key),
        ...entityOf<Omit<TimelineEvent, 'id'>>(item),
      })),
      nextCursor: result.nextCursor,
    };
  }

  async ticketsOfPerson(email: string, page: PageRequest): Promise<Page<Ticket>> {
    const index = TABLE.indexes.byPerson;
    const partition = personPartition(email);
    const result = await this.queryPage(
      {
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        // Newest first.
        ScanIndexForward: false,
      },
      {
        partition,
        position: PersonListPositionSchema,
        startKey: (at) => personListStartKey(email, at),
        positionOf: personListPosition,
      },
      page,
    );
    // Watched tickets are represented by link items; fetch the tickets they point to, in order.
    const linked = result.items
      .filter((item) => item.entity === 'watcher')
      .map((item) => item.ticketNumber as number);
    const fetched = new Map((await this.batchGetTickets(linked)).map((ticket) => [ticket.number, ticket]));
    const items = result.items.flatMap((item) => {
      if (item.entity === 'ticket') return [entityOf<Ticket>(item)];
      const ticket = fetched.get(item.ticketNumber as number);
      return ticket ? [ticket] : [];
    });
    return { items, nextCursor: result.nextCursor };
  }

  async tierQueue(tier: Tier, status: Status | undefined, page: PageRequest): Promise<Page<Ticket>> {
    return status
      ? this.queryQueue('tierStatusQueue', tierStatusPartition(tier, status), page)
      : this.queryQueue('tierQueue', tierQueuePartition(tier), page);
  }

  async assignedTo(email: string, page: PageRequest): Promise<Page<Ticket>> {
    return this.queryQueue('byAssignee', assigneePartition(email), page);
  }

  async getUser(email: string): Promise<DirectoryUser | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: userKey(email) }));
    return Item ? directoryUserOf(Item) : undefined;
  }

  /**
   * The entry and its tier memberships in one transaction, conditional on the revision the
   * memberships to drop were computed from: two admins changing one person cannot leave a
   * membership behind.
   */
  async putUser(user: DirectoryUser): Promise<void> {
    const deadline = this.retryDeadline();
    for (let attempt = 0; ; attempt++) {
      const { Item: before } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: userKey(user.email), ConsistentRead: true }),
      );
      const revision = before?.[USER_REVISION] as number | undefined;
      const memberships = membershipsOf(user);
      const dropped = before
        ? membershipsOf(directoryUserOf(before)).filter((partition) => !memberships.includes(partition))
        : [];
      const condition = !before
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : revision === undefined
          ? {
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#revision)',
              ExpressionAttributeNames: { '#revision': USER_REVISION },
            }
          : {
              ConditionExpression: '#revision = :seen',
              ExpressionAttributeNames: { '#revision': USER_REVISION },
              ExpressionAttributeValues: { ':seen': revision },
            };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...userKey(user.email),
                    entity: 'user',
                    ...user,
                    [USER_REVISION]: (revision ?? 0) + 1,
                  },
                  ...condition,
                },
              },
              ...memberships.map((partition) => ({
                Put: {
                  TableName: this.tableName,
                  Item: { ...memberKey(partition, user.email), entity: 'member', ...user },
                },
              })),
              ...dropped.map((partition) => ({
                Delete: { TableName: this.tableName, Key: memberKey(partition, user.email) },
              })),
            ],
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (!(await backoffUntil(deadline, attempt))) {
          throw new ContentionError(`The directory entry of ${user.email} is changing too fast; try again.`);
        }
      }
    }
  }

  tierMembers(tier: Tier): Promise<DirectoryUser[]> {
    return this.membersOf(tierMemberPartition(tier));
  }

  supervisors(): Promise<DirectoryUser[]> {
    return this.membersOf(SUPERVISOR_MEMBER_PARTITION);
  }

  private async membersOf(partition: string): Promise<DirectoryUser[]> {
    const members: DirectoryUser[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      },
    );
    for await (const { Items = [] } of pages) members.push(...Items.map(directoryUserOf));
    return members;
  }

  /** A COUNT query on the sparse assignee index: resolved and closed tickets are not in it. */
  async countAssigned(email: string): Promise<number> {
    const index = TABLE.indexes.byAssignee;
    let count = 0;
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': assigneePartition(email) },
        Select: 'COUNT',
      },
    );
    for await (const { Count = 0 } of pages) count += Count;
    return count;
  }

  async nextAssignmentTurn(groupId: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: assignmentCounterKey(groupId),
        UpdateExpression: 'ADD #value :one SET entity = :entity',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.value as number;
  }

  /** Ticket numbers are human and sequential (#1, #2, …): one atomic counter. */
  private async nextTicketNumber(): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: counterKey('ticket'),
        UpdateExpression: 'ADD #value :one SET entity = :entity',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':one': 1, ':entity': 'counter' },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Attributes?.value as number;
  }

  private async replay(claim: IdempotencyClaim): Promise<CreateResult | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: idempotencyKey(claim.caller, claim.key),
        ConsistentRead: true,
      }),
    );
    // Past its 24 hours a record is no longer a claim, even while TTL has not deleted it yet.
    if (!Item || (Item[TABLE.timeToLiveAttribute] as number) < epochSeconds(this.clock.now()))
      return undefined;
    if (Item.fingerprint !== claim.fingerprint) {
      throw new IdempotencyKeyReuseError(
        'This Idempotency-Key was already used for a different request; use a new key for a new ticket.',
      );
    }
    const ticket = await this.getTicket(Item.ticketNumber as number);
    if (!ticket) throw new NotFoundError(`Ticket #${Item.ticketNumber} no longer exists.`);
    return { ticket, replayed: true };
  }

  private watcherItem(ticket: Ticket, email: string): Item {
    return {
      ...watcherKey(ticket.number, email),
      ...watcherIndexKeys(ticket, email),
      entity: 'watcher',
      ticketNumber: ticket.number,
      email,
    };
  }

  /** Link items follow the watcher list: added watchers get one, removed ones lose theirs. */
  private watcherWrites(
    before: Ticket,
    after: Ticket,
  ): NonNullable<TransactWriteCommandInput['TransactItems']> {
    const added = after.watchers.filter((email) => !before.watchers.includes(email));
    const removed = before.watchers.filter((email) => !after.watchers.includes(email));
    return [
      ...added.map((email) => ({ Put: { TableName: this.tableName, Item: this.watcherItem(after, email) } })),
      ...removed.map((email) => ({
        Delete: { TableName: this.tableName, Key: watcherKey(after.number, email) },
      })),
    ];
  }

  private async batchGetTickets(numbers: number[]): Promise<Ticket[]> {
    const tickets: Ticket[] = [];
    let keys: Item[] = numbers.map((number) => ({ ...ticketKey(number) }));
    for (let attempt = 0; keys.length > 0; attempt++) {
      const { Responses, UnprocessedKeys } = await this.db.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
      );
      tickets.push(...(Responses?.[this.tableName] ?? []).map((item) => entityOf<Ticket>(item)));
      keys = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (keys.length > 0) await backoff(attempt);
    }
    return tickets;
  }

  /** A queue of tickets on one of the deadline-ordered indexes, soonest due first. */
  private async queryQueue(name: QueueIndex, partition: string, page: PageRequest): Promise<Page<Ticket>> {
    const index = TABLE.indexes[name];
    const result = await this.queryPage(
      {
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
      },
      {
        partition,
        position: QueuePositionSchema,
        startKey: (at) => queueStartKey(name, partition, at),
        positionOf: (key) => queuePosition(name, key),
      },
      page,
    );
    return { items: result.items.map((item) => entityOf<Ticket>(item)), nextCursor: result.nextCursor };
  }

  /**
   * One page of a Query, in at most PAGE_READS.queries requests. It asks for one item more than
   * the page holds, so a page that ends the list carries no cursor (no empty last page).
   *
   * With a filter (requesters' timelines hide internal notes) DynamoDB pages come back short, or
   * empty: reading until the page is full would cost one more request per run of hidden items.
   * Once the budget is spent the page is returned as it is, short or even empty, with a cursor
   * at the last key DynamoDB evaluated, so the next page resumes after everything already read.
   */
  private async queryPage<P>(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    list: {
      /** The partition queried; a cursor resumes only the list it came from. */
      partition: string;
      position: z.ZodType<P>;
      /** The ExclusiveStartKey to resume after a position (built by keys.ts). */
      startKey: (position: P) => Item;
      positionOf: (key: Item) => P;
    },
    page: PageRequest,
  ): Promise<{ items: Item[]; nextCursor?: string }> {
    const position = decodeCursor(page.cursor, list.partition, list.position);
    let startKey: Item | undefined = position === undefined ? undefined : list.startKey(position);
    const wanted = page.limit + 1;
    const items: Item[] = [];
    for (let request = 0; request < PAGE_READS.queries; request++) {
      const remaining = wanted - items.length;
      let result: QueryCommandOutput;
      try {
        result = await this.db.send(
          new QueryCommand({
            ...input,
            TableName: this.tableName,
            Limit: input.FilterExpression ? Math.max(remaining, PAGE_READS.filteredBatch) : remaining,
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
  }
}
