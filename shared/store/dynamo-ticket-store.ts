import { TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '#shared/domain/clock';
import {
  ContentionError,
  IdempotencyKeyReuseError,
  NotFoundError,
  VersionMismatchError,
} from '#shared/domain/errors';
import type { Status, Ticket, Tier } from '#shared/domain/ticket';
import type { NewTimelineEvent, TimelineEvent } from '#shared/domain/timeline';
import { type CursorKey, decodeCursor, encodeCursor } from './cursor.ts';
import {
  assigneePartition,
  assignmentCounterKey,
  counterKey,
  EVENT_PREFIX,
  eventId,
  eventKey,
  idempotencyKey,
  type Key,
  personPartition,
  ticketIndexKeys,
  ticketKey,
  tierMemberKey,
  tierMemberPartition,
  tierQueuePartition,
  tierStatusPartition,
  userKey,
  watcherIndexKeys,
  watcherKey,
} from './keys.ts';
import { type IndexName, keyAttributes, TABLE } from './table.ts';
import type {
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
} from './ticket-store.ts';

type Item = Record<string, unknown>;

/** How long an Idempotency-Key is remembered (Stripe and the IETF draft use 24 h). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * Lost races on one ticket are retried with full-jitter backoff. A burst of writers on one hot
 * ticket (a mail storm, a bulk update) converges well inside these bounds.
 */
const RETRY = { attempts: 60, baseMs: 8, capMs: 250 } as const;

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
const memberTiers = (user: Pick<DirectoryUser, 'role' | 'tiers'>): Tier[] =>
  user.role === 'agent' ? user.tiers : [];

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

const isConditionFailure = (error: unknown, position?: number): boolean => {
  if (error instanceof TransactionConflictException) return true;
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  if (position !== undefined) return reasons[position]?.Code === 'ConditionalCheckFailed';
  return reasons.some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const backoff = (attempt: number) =>
  sleep(Math.random() * Math.min(RETRY.capMs, RETRY.baseMs * 2 ** attempt));

export class DynamoTicketStore implements TicketStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async createTicket(draft: TicketDraft, idempotency?: IdempotencyClaim): Promise<CreateResult> {
    if (idempotency) {
      const earlier = await this.replay(idempotency);
      if (earlier) return earlier;
    }
    const number = await this.nextTicketNumber();
    const ticket: Ticket = { ...draft, number, version: 1 };
    const created: NewTimelineEvent = {
      type: 'created',
      at: ticket.createdAt,
      actor: ticket.createdBy,
      public: true,
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
            [TABLE.timeToLiveAttribute]:
              Math.floor(this.clock.now().getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: writes }));
    } catch (error) {
      // A concurrent request with the same key won the race: answer as it did. The number this
      // request drew from the counter stays unused — a gap, never a duplicate.
      if (idempotency && isConditionFailure(error, writes.length - 1)) {
        const earlier = await this.replay(idempotency);
        if (earlier) return earlier;
      }
      throw error;
    }
    return { ticket, replayed: false };
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
    for (let attempt = 0; attempt < RETRY.attempts; attempt++) {
      const current = await this.getTicket(number);
      if (!current) throw new NotFoundError(`Ticket #${number} does not exist.`);
      if (options.expectedVersion !== undefined && current.version !== options.expectedVersion) {
        throw new VersionMismatchError(options.expectedVersion, current.version);
      }
      const proposed = change(current);
      // Nothing to change on this version (e.g. a clock event another run already applied).
      if (proposed === null) return { ticket: current, events: [] };
      const ticket: Ticket = { ...proposed.ticket, number, version: current.version + 1 };
      const events = eventItems(number, ticket.version, proposed.events);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: ticketItem(ticket),
                  // Optimistic lock: the write lands only on the version the change was computed from.
                  ConditionExpression: 'version = :read',
                  ExpressionAttributeValues: { ':read': current.version },
                },
              },
              ...events.map(({ item }) => ({ Put: { TableName: this.tableName, Item: item } })),
              ...this.watcherWrites(current, ticket),
            ],
          }),
        );
        return { ticket, events: events.map(({ event }) => event) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (options.expectedVersion !== undefined) {
          const latest = await this.getTicket(number);
          throw new VersionMismatchError(options.expectedVersion, latest?.version ?? current.version + 1);
        }
        await backoff(attempt);
      }
    }
    throw new ContentionError(`Ticket #${number} is changing too fast; try again in a moment.`);
  }

  async mutateTickets(
    targets: readonly TicketTarget[],
    change: (current: Ticket[]) => ReturnType<TicketChange>[],
  ): Promise<MutateResult[]> {
    if (new Set(targets.map(({ number }) => number)).size !== targets.length) {
      throw new Error('mutateTickets changes distinct tickets; name each ticket once.');
    }
    for (let attempt = 0; attempt < RETRY.attempts; attempt++) {
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
        await backoff(attempt);
      }
    }
    throw new ContentionError(
      `Tickets ${targets.map(({ number }) => `#${number}`).join(', ')} are changing too fast; try again in a moment.`,
    );
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
        partitionAttribute: TABLE.partitionKey,
        partition: pk,
        attributes: [TABLE.partitionKey, TABLE.sortKey],
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
    const result = await this.queryIndex('byPerson', personPartition(email), page, { newestFirst: true });
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
    const result = status
      ? await this.queryIndex('tierStatusQueue', tierStatusPartition(tier, status), page)
      : await this.queryIndex('tierQueue', tierQueuePartition(tier), page);
    return { items: result.items.map((item) => entityOf<Ticket>(item)), nextCursor: result.nextCursor };
  }

  async assignedTo(email: string, page: PageRequest): Promise<Page<Ticket>> {
    const result = await this.queryIndex('byAssignee', assigneePartition(email), page);
    return { items: result.items.map((item) => entityOf<Ticket>(item)), nextCursor: result.nextCursor };
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
    for (let attempt = 0; attempt < RETRY.attempts; attempt++) {
      const { Item: before } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: userKey(user.email), ConsistentRead: true }),
      );
      const revision = before?.[USER_REVISION] as number | undefined;
      const tiers = memberTiers(user);
      const dropped = before
        ? memberTiers(directoryUserOf(before)).filter((tier) => !tiers.includes(tier))
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
              ...tiers.map((tier) => ({
                Put: {
                  TableName: this.tableName,
                  Item: { ...tierMemberKey(tier, user.email), entity: 'tier_member', ...user },
                },
              })),
              ...dropped.map((tier) => ({
                Delete: { TableName: this.tableName, Key: tierMemberKey(tier, user.email) },
              })),
            ],
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        await backoff(attempt);
      }
    }
    throw new ContentionError(`The directory entry of ${user.email} is changing too fast; try again.`);
  }

  async tierMembers(tier: Tier): Promise<DirectoryUser[]> {
    const members: DirectoryUser[] = [];
    let startKey: Item | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': tierMemberPartition(tier) },
          ExclusiveStartKey: startKey,
        }),
      );
      members.push(...Items.map(directoryUserOf));
      startKey = LastEvaluatedKey;
    } while (startKey);
    return members;
  }

  /** A COUNT query on the sparse assignee index: resolved and closed tickets are not in it. */
  async countAssigned(email: string): Promise<number> {
    const index = TABLE.indexes.byAssignee;
    let count = 0;
    let startKey: Item | undefined;
    do {
      const { Count = 0, LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey },
          ExpressionAttributeValues: { ':pk': assigneePartition(email) },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      count += Count;
      startKey = LastEvaluatedKey;
    } while (startKey);
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
    if (!Item) return undefined;
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

  private queryIndex(name: IndexName, partition: string, page: PageRequest, order = { newestFirst: false }) {
    const index = TABLE.indexes[name];
    return this.queryPage(
      {
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: !order.newestFirst,
      },
      {
        partitionAttribute: index.partitionKey,
        partition,
        attributes: [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey],
      },
      page,
    );
  }

  /**
   * One page of a Query. With a filter (requesters' timelines hide internal notes) a DynamoDB page
   * can come back short, so this keeps reading until the page is full or the partition ends. The
   * cursor is the key of the last item returned, so a page cut short resumes exactly after it.
   */
  private async queryPage(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    cursorShape: { partitionAttribute: string; partition: string; attributes: string[] },
    page: PageRequest,
  ): Promise<{ items: Item[]; nextCursor?: string }> {
    let startKey: CursorKey | undefined = decodeCursor(page.cursor, {
      attributes: cursorShape.attributes,
      partition: { attribute: cursorShape.partitionAttribute, value: cursorShape.partition },
    });
    const items: Item[] = [];
    let more = true;
    while (items.length < page.limit && more) {
      const { Items = [], LastEvaluatedKey } = await this.db.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          Limit: page.limit,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...Items);
      startKey = LastEvaluatedKey as CursorKey | undefined;
      more = startKey !== undefined;
    }
    const pageItems = items.slice(0, page.limit);
    const last = pageItems.at(-1);
    const hasMore = items.length > page.limit || more;
    return {
      items: pageItems,
      nextCursor:
        hasMore && last
          ? encodeCursor(Object.fromEntries(cursorShape.attributes.map((name) => [name, String(last[name])])))
          : undefined,
    };
  }
}
