import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Clock, systemClock } from '#shared/domain/clock';
import { ClockHistoryNeeded, recordClocks } from '#shared/domain/clocks';
import { withDueAt } from '#shared/domain/due-at';
import {
  ContentionError,
  IdempotencyKeyReuseError,
  NotFoundError,
  VersionMismatchError,
} from '#shared/domain/errors';
import type { ClockFact } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { Tier } from '#shared/domain/ticket-fields';
import type { NewTimelineEvent, TimelineEvent } from '#shared/domain/timeline';
import { nextCounterValue } from '#shared/store/counter';
import {
  EventPositionSchema,
  encodeCursor,
  FinderPositionSchema,
  PersonListPositionSchema,
  QueuePositionSchema,
} from '#shared/store/cursor';
import { TICKET_ENTITY } from '#shared/store/entities';
import {
  backoffUntil,
  cancellationCode,
  isConditionFailure,
  RETRY,
  retryDeadline,
} from '#shared/store/errors';
import { entityOf, epochSeconds, type Item } from '#shared/store/items';
import {
  assigneeListingPartition,
  assigneePartition,
  attachmentKey,
  clockFactsKey,
  counterKey,
  createdBounds,
  EVENT_PREFIX,
  eventId,
  eventKey,
  eventPosition,
  eventStartKey,
  FINDER_PARTITION,
  type FinderPosition,
  finderPosition,
  finderStartKey,
  idempotencyKey,
  type Key,
  listingPosition,
  listingStartKey,
  MAX_EVENT_INDEX,
  MAX_KEY_NUMBER,
  PRESENCE_RANGE,
  personListPosition,
  personListStartKey,
  personPartition,
  presenceKey,
  type QueueIndex,
  queuePosition,
  queueStartKey,
  TICKET_HISTORY_PREFIX,
  tagListingPartition,
  ticketChangeKey,
  ticketIndexKeys,
  ticketKey,
  ticketListingKeys,
  ticketNumberOfKey,
  tierQueuePartition,
  tierStatusPartition,
  watcherIndexKeys,
  watcherKey,
} from '#shared/store/keys';
import {
  batchGetItems,
  indexPartition,
  type Page,
  type PageRequest,
  queryPage,
} from '#shared/store/query-page';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '#shared/store/sdk';
import { TABLE } from '#shared/store/table';
import { isServedSearch } from '#shared/tickets/served-search';
import type {
  AttachmentLink,
  CreateOptions,
  CreateResult,
  IdempotencyClaim,
  MutateOptions,
  MutateResult,
  PresenceEntry,
  QueueFilter,
  TicketChange,
  TicketDraft,
  TicketSearch,
  TicketStore,
  TicketSummary,
  TicketTarget,
} from '#shared/tickets/ticket-store';

/** How long an Idempotency-Key is remembered (Stripe and the IETF draft use 24 h). */
const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;
/**
 * How long the idempotency key of a change is remembered: longer than any retry of what keys
 * its changes (the email intake: SES retries, a redrive from its failure queue).
 */
const CHANGE_KEY_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface DynamoTicketStoreOptions {
  /** How long lost races are retried before ContentionError (default RETRY.budgetMs). */
  retryBudgetMs?: number;
}

/** DynamoDB's limit on the items of one TransactWriteItems call. */
const MAX_TRANSACTION_ITEMS = 100;

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

const ticketItem = (ticket: Ticket): Item => ({
  ...ticketKey(ticket.number),
  ...ticketIndexKeys(ticket),
  entity: TICKET_ENTITY.ticket,
  ...ticket,
  clocks: { ...ticket.clocks, itemized: true },
});

/**
 * The clock facts one version of a ticket recorded, as an item of their own (written once), with
 * the applied event keys the ticket shed in that version (they belong to finished clocks).
 */
const clockFactsItem = (
  number: number,
  version: number,
  facts: readonly ClockFact[],
  archived: readonly string[] = [],
): Item => ({
  ...clockFactsKey(number, version),
  entity: TICKET_ENTITY.clockFacts,
  facts,
  ...(archived.length > 0 && { applied: archived }),
});

/** A ticket as a change is computed from, and whether its item predates fact items. */
interface ReadForChange {
  ticket: Ticket;
  legacy: boolean;
}

const eventItems = (number: number, version: number, events: NewTimelineEvent[]) =>
  events.map((event, index) => {
    const key = eventKey(number, version, index);
    return {
      key,
      item: { ...key, entity: TICKET_ENTITY.event, ...event } as Item,
      event: { id: eventId(key), ...event },
    };
  });

/**
 * The attachment links an event's `data.attachments` calls for: one per listed file that has an
 * id (a file that was not kept has none), pointing back at the event.
 */
const attachmentLinkItems = (number: number, written: ReturnType<typeof eventItems>): Item[] =>
  written.flatMap(({ event }) => {
    const listed = event.data?.attachments;
    if (!Array.isArray(listed)) return [];
    return listed.flatMap((entry: Record<string, unknown>) => {
      if (typeof entry?.id !== 'string') return [];
      const filename = entry.filename ?? entry.name;
      const link: AttachmentLink = {
        id: entry.id,
        eventId: event.id,
        public: event.public,
        filename: typeof filename === 'string' ? filename : entry.id,
        ...(typeof entry.contentType === 'string' && { contentType: entry.contentType }),
        ...(typeof entry.size === 'number' && { size: entry.size }),
        ...(typeof entry.key === 'string' && { key: entry.key }),
      };
      return [{ ...attachmentKey(number, entry.id), entity: TICKET_ENTITY.attachment, ...link }];
    });
  });

/**
 * The item a cancelled transaction returned for the write at `position` (ReturnValuesOnConditionCheckFailure),
 * as the document client reads items. The SDK hands it over in DynamoDB's wire format.
 */
const cancellationItem = (error: unknown, position: number): Item | undefined => {
  const reasons = (error as { CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] })
    .CancellationReasons;
  const reason = reasons?.[position];
  return reason?.Code === 'ConditionalCheckFailed' && reason.Item
    ? unmarshall(reason.Item as Parameters<typeof unmarshall>[0])
    : undefined;
};

const counterValue = (item: Item): number => Number(item.value ?? 0);

/** Whether a create's transaction was refused because the counter had passed its number. */
const counterMissed = (error: unknown, positions: { counter: number | undefined }): boolean =>
  positions.counter !== undefined && cancellationCode(error, positions.counter) === 'ConditionalCheckFailed';

/** The attributes a presence read takes of the ticket item and of the presence items. */
const PRESENCE_PROJECTION = {
  names: [
    'entity',
    'number',
    'version',
    'tier',
    'requester',
    'watchers',
    'email',
    'name',
    'state',
    'since',
    'until',
  ],
};

/**
/**
 * One condition of a FilterExpression on a list's items: `inFolder` is a category or anything
 * under it (`network` matches `network` and `network/vpn`, as category routing does).
 */
const OPERATORS = {
  equals: (name: string, value: string) => `${name} = ${value}`,
  atMost: (name: string, value: string) => `${name} <= ${value}`,
  contains: (name: string, value: string) => `contains(${name}, ${value})`,
  inFolder: (name: string, value: string) => `(${name} = ${value} OR begins_with(${name}, ${value}f))`,
};
type Condition = { kind: keyof typeof OPERATORS; attribute: string; value: string | number } | undefined;

/** The query with these conditions as its filter (none: the query as it is). */
const withFilter = <
  Q extends { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item },
>(
  query: Q,
  conditions: readonly Condition[],
) => {
  const present = conditions.filter((condition) => condition !== undefined);
  if (present.length === 0) return query;
  const names: Record<string, string> = {};
  const values: Item = {};
  const expressions = present.map(({ kind, attribute, value }, index) => {
    names[`#f${index}`] = attribute;
    values[`:f${index}`] = value;
    if (kind === 'inFolder') values[`:f${index}f`] = String(value).endsWith('/') ? value : `${value}/`;
    return OPERATORS[kind](`#f${index}`, `:f${index}`);
  });
  return {
    ...query,
    FilterExpression: expressions.join(' AND '),
    ExpressionAttributeNames: { ...query.ExpressionAttributeNames, ...names },
    ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ...values },
  };
};

const when = (
  kind: NonNullable<Condition>['kind'],
  attribute: string,
  value: string | number | undefined,
): Condition => (value === undefined ? undefined : { kind, attribute, value });

/** A queue's filters besides the partition it is read from. */
const queueConditions = (filter: QueueFilter | undefined): Condition[] => [
  when('equals', 'priority', filter?.priority),
  when('equals', 'group', filter?.group),
  when('inFolder', 'category', filter?.category),
];

/** What every ticket search filters on: the fields the finder index and the listings carry. */
const searchConditions = (search: TicketSearch): Condition[] => [
  when('equals', 'status', search.status),
  when('equals', 'tier', search.tier),
  when('equals', 'priority', search.priority),
  when('atMost', 'tier', search.maxTier),
];

/**
 * A newest-first Query of one partition, optionally of an index, within a creation-time range:
 * every partition a search reads sorts by `<createdAt>#<number>`.
 */
const newestFirstPartition = (
  keys: { indexName?: string; partitionKey: string; sortKey: string },
  partition: string,
  range: Pick<TicketSearch, 'from' | 'to'>,
) => {
  const { from, to } = createdBounds(range);
  const sortKey =
    from !== undefined && to !== undefined
      ? ' AND #sk BETWEEN :from AND :to'
      : from !== undefined
        ? ' AND #sk >= :from'
        : to !== undefined
          ? ' AND #sk <= :to'
          : '';
  return {
    ...(keys.indexName && { IndexName: keys.indexName }),
    KeyConditionExpression: `#pk = :pk${sortKey}`,
    ExpressionAttributeNames: { '#pk': keys.partitionKey, ...(sortKey && { '#sk': keys.sortKey }) },
    ExpressionAttributeValues: {
      ':pk': partition,
      ...(from !== undefined && { ':from': from }),
      ...(to !== undefined && { ':to': to }),
    } as Item,
    ScanIndexForward: false,
  };
};

/**
 * How many rows a filtered search reads per request where the rows are small (the finder index
 * projects three fields; a listing holds as few): about 75 KB, a tenth of DynamoDB's 1 MB page.
 */
const SEARCH_BATCH = 500;

/**
 * Tickets, their timelines, watcher links, listings, attachment links and presence in the single
 * table. A change writes the ticket
 * (conditional on the version it was computed from), its events and its watcher links in one
 * transaction. Ticket numbers come from one counter item, moved up inside each create's own
 * transaction: unique, rising in commit order, gaps only where a create failed (`createTicket`).
 *
 * Why in the transaction: a separate `UpdateItem` costs every create a round trip before its
 * write. A container proposes the number after the last one it drew; the counter only moves up,
 * so a number another container took meanwhile is refused, and the refusal returns the counter
 * (ReturnValuesOnConditionCheckFailure), so the retry needs no read. Under contention (a second
 * refusal, or a TransactionConflict) the number is drawn with the atomic `ADD` as before, which
 * cannot be refused: a burst costs one call more per create, never a storm of retries.
 */
export class DynamoTicketStore implements TicketStore {
  private readonly retryBudgetMs: number;
  /** The highest ticket number this container drew or saw the counter at (see reserveNumber). */
  private lastNumber: number | undefined;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
    options: DynamoTicketStoreOptions = {},
  ) {
    this.retryBudgetMs = options.retryBudgetMs ?? RETRY.budgetMs;
  }

  async createTicket(
    draft: TicketDraft,
    idempotency?: IdempotencyClaim,
    options: CreateOptions = {},
  ): Promise<CreateResult> {
    const deadline = retryDeadline(this.retryBudgetMs);
    // The number to try: `hinted` ones move the counter up in the transaction itself; a `drawn`
    // one was taken from the counter beforehand (atomic ADD), so it is this request's alone.
    let number = await this.reserveNumber();
    let drawn = false;
    for (let attempt = 0; ; attempt++) {
      const { ticket, writes, positions } = this.creationWrites(number, draft, idempotency, options, drawn);
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: writes }));
        return { ticket, replayed: false };
      } catch (error) {
        // The number was not used: the next create of this container may take it after all.
        if (!drawn) this.release(number);
        if (!isConditionFailure(error)) throw error;
        // The key's record is there: a request with the same key created the ticket (or is
        // committing it right now: TransactionConflict); once it has landed, answer as it did.
        if (idempotency) {
          const earlier = await this.replay(idempotency, cancellationItem(error, positions.claim));
          if (earlier) return earlier;
        }
        if (
          cancellationCode(error, positions.ticket) === 'ConditionalCheckFailed' &&
          !counterMissed(error, positions)
        ) {
          // A taken number below the counter would be a broken counter, not a race to retry.
          throw error;
        }
        if (!drawn && attempt === 0 && counterMissed(error, positions)) {
          // Another container numbered tickets since this one last did. The counter's value came
          // back with the cancellation: the number after it is tried at once.
          const counter = cancellationItem(error, positions.counter ?? 0);
          // Without the value (an emulator that does not return it), the counter is read again.
          this.lastNumber = counter ? Math.max(this.lastNumber ?? 0, counterValue(counter)) : undefined;
          number = await this.reserveNumber();
          continue;
        }
        if (!drawn) {
          // Missed twice, or lost to a concurrent create: the counter is contended. The number is
          // drawn from it (one call more), so no later attempt can miss again.
          number = await nextCounterValue(this.db, this.tableName, counterKey('ticket'));
          this.lastNumber = Math.max(this.lastNumber ?? 0, number);
          drawn = true;
          continue;
        }
        // Contention on a drawn number (TransactionConflict): the same write is tried again.
        if (await backoffUntil(deadline, attempt)) continue;
        throw new ContentionError('Too many concurrent requests create tickets; try again in a moment.');
      }
    }
  }

  /** Gives back the number last drawn when it went unused and nothing was drawn after it. */
  private release(number: number): void {
    if (this.lastNumber === number) this.lastNumber = number - 1;
  }

  /**
   * The next ticket number to try: one past the last number this container drew or saw, with no
   * call (the first create of a container reads the counter once). Two creates of one container
   * at once draw different numbers; the counter in their transactions decides the rest.
   */
  private async reserveNumber(): Promise<number> {
    if (this.lastNumber === undefined) {
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: counterKey('ticket'), ConsistentRead: true }),
      );
      this.lastNumber = Math.max(this.lastNumber ?? 0, (Item?.value as number | undefined) ?? 0);
    }
    this.lastNumber += 1;
    return this.lastNumber;
  }

  /** The counter moved up to `number`, only from below (ALL_OLD: its value when it is not). */
  private counterMove(number: number): TransactItems[number] {
    return {
      Update: {
        TableName: this.tableName,
        Key: counterKey('ticket'),
        UpdateExpression: 'SET #value = :number, #entity = :entity',
        ConditionExpression: 'attribute_not_exists(#value) OR #value < :number',
        ExpressionAttributeNames: { '#value': 'value', '#entity': 'entity' },
        ExpressionAttributeValues: { ':number': number, ':entity': TICKET_ENTITY.counter },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * Everything a new ticket writes, in one transaction: the ticket (never over another), its
   * `created` event, watcher links and listings, the counter moved up to its number (only from
   * below: numbers rise in commit order, and a number already passed is refused, returning the
   * counter's value), and the Idempotency-Key's record (unless a live one exists, returned).
   */
  private creationWrites(
    number: number,
    draft: TicketDraft,
    idempotency: IdempotencyClaim | undefined,
    options: CreateOptions,
    drawn: boolean,
  ) {
    const ticket: Ticket = { ...draft, clocks: { ...draft.clocks, itemized: true }, number, version: 1 };
    const data = options.createdData?.(number);
    const created: NewTimelineEvent = {
      type: 'created',
      at: ticket.createdAt,
      actor: ticket.createdBy,
      public: true,
      ...(data && { data }),
    };
    const events = eventItems(number, 1, [created]);
    const writes: TransactItems = [
      ...(drawn ? [] : [this.counterMove(number)]),
      {
        Put: {
          TableName: this.tableName,
          Item: ticketItem(ticket),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...[
        ...events.map(({ item }) => item),
        ...attachmentLinkItems(number, events),
        ...(ticket.clocks.facts.length > 0 ? [clockFactsItem(number, 1, ticket.clocks.facts)] : []),
      ].map((item) => ({
        Put: { TableName: this.tableName, Item: item },
      })),
      ...ticket.watchers.map((email) => ({
        Put: { TableName: this.tableName, Item: this.watcherItem(ticket, email) },
      })),
      ...this.listingWrites(undefined, ticket),
    ];
    if (idempotency) {
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...idempotencyKey(idempotency.caller, idempotency.key),
            entity: TICKET_ENTITY.idempotency,
            fingerprint: idempotency.fingerprint,
            ticketNumber: number,
            [TABLE.timeToLiveAttribute]: epochSeconds(this.clock.now()) + IDEMPOTENCY_TTL_SECONDS,
          },
          // An expired record may linger until TTL deletes it (up to days later): it is no claim.
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#expiresAt': TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':now': epochSeconds(this.clock.now()) },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }
    return {
      ticket,
      writes,
      positions: drawn
        ? { counter: undefined, ticket: 0, claim: writes.length - 1 }
        : { counter: 0, ticket: 1, claim: writes.length - 1 },
    };
  }

  async getTicket(number: number): Promise<Ticket | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: ticketKey(number), ConsistentRead: true }),
    );
    return Item ? entityOf<Ticket>(Item) : undefined;
  }

  async ticketWithHistory(number: number): Promise<Ticket | undefined> {
    return (await this.readForChange(number, true))?.ticket;
  }

  /**
   * The ticket a change is computed from: the item alone, or (`history`) the item and its fact
   * items in one Query, the facts in the order the versions recorded them and no checkpoint.
   */
  private async readForChange(number: number, history: boolean): Promise<ReadForChange | undefined> {
    if (!history) {
      const { Item } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: ticketKey(number), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const ticket = entityOf<Ticket>(Item);
      return { ticket, legacy: ticket.clocks.itemized !== true };
    }
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
          ExpressionAttributeValues: { ':pk': ticketKey(number).pk, ':prefix': TICKET_HISTORY_PREFIX },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const item = items.find((candidate) => candidate.entity === TICKET_ENTITY.ticket);
    if (!item) return undefined;
    const ticket = entityOf<Ticket>(item);
    // Stored before fact items: the item holds every fact.
    if (ticket.clocks.itemized !== true) return { ticket, legacy: true };
    const versions = items.filter((candidate) => candidate.entity === TICKET_ENTITY.clockFacts);
    const facts = versions.flatMap((candidate) => candidate.facts as ClockFact[]);
    // The applied keys the ticket shed with its finished clocks, and those it still carries.
    const applied = [
      ...versions.flatMap((candidate) => (candidate.applied as string[] | undefined) ?? []),
      ...ticket.clocks.applied,
    ];
    const { checkpoint: _folded, ...clocks } = ticket.clocks;
    return { ticket: { ...ticket, clocks: { ...clocks, facts, applied } }, legacy: false };
  }

  async mutateTicket(
    number: number,
    change: TicketChange,
    options: MutateOptions = {},
  ): Promise<MutateResult> {
    const [result] = await this.applyChange(
      [{ number, expectedVersion: options.expectedVersion }],
      ([current]) => [change(current as Ticket)],
      options.idempotencyKey === undefined ? undefined : { number, key: options.idempotencyKey },
      options.current?.number === number ? [options.current] : undefined,
    );
    return result as MutateResult;
  }

  mutateTickets(
    targets: readonly TicketTarget[],
    change: (current: Ticket[]) => ReturnType<TicketChange>[],
  ): Promise<MutateResult[]> {
    return this.applyChange(targets, change);
  }

  /**
   * `keyed`: the change is one to the ticket `number` under an idempotency key (see MutateOptions).
   * `known`: the targets as the caller just read them, for the first attempt (MutateOptions.current).
   */
  private async applyChange(
    targets: readonly TicketTarget[],
    change: (current: Ticket[]) => ReturnType<TicketChange>[],
    keyed?: { number: number; key: string },
    known?: readonly Ticket[],
  ): Promise<MutateResult[]> {
    if (new Set(targets.map(({ number }) => number)).size !== targets.length) {
      throw new Error('mutateTickets changes distinct tickets; name each ticket once.');
    }
    const deadline = retryDeadline(this.retryBudgetMs);
    // A clock checkpoint that no longer fits the policy or vendor contract (ClockHistoryNeeded):
    // the change is computed again on the whole history, which the write folds afresh.
    let history = false;
    for (let attempt = 0; ; attempt++) {
      // Checked on every attempt: a lost race may have been lost to a call with the same key.
      if (keyed) {
        const earlier = await this.replayChange(keyed.number, keyed.key);
        if (earlier) return [earlier];
      }
      const reads = await Promise.all(
        targets.map(async ({ number, expectedVersion }, position) => {
          // The ticket as the caller just read it serves the first attempt (one stored before fact
          // items is read again: its history is written out with the change).
          const given = attempt === 0 && !history && known ? known[position] : undefined;
          const read = given?.clocks.itemized
            ? { ticket: given, legacy: false }
            : await this.readForChange(number, history);
          if (!read) throw new NotFoundError(`Ticket #${number} does not exist.`);
          if (expectedVersion !== undefined && read.ticket.version !== expectedVersion) {
            throw new VersionMismatchError(expectedVersion, read.ticket.version);
          }
          return read;
        }),
      );
      const currents = reads.map(({ ticket }) => ticket);
      const writes: TransactItems = [];
      let results: MutateResult[];
      try {
        const proposals = change(currents);
        results = reads.map(({ ticket: current, legacy }, position): MutateResult => {
          const proposed = proposals[position];
          if (!proposed) return { ticket: current, events: [] };
          // The facts this change recorded get an item of their own; the ticket keeps them and a
          // checkpoint of everything before (see `recordClocks`), so its size does not grow.
          const { clocks, recorded, archived } = recordClocks(current.clocks, proposed.ticket.clocks);
          // The queue order follows the clocks on every write (`withDueAt`), whoever writes.
          const ticket: Ticket = withDueAt(
            {
              ...proposed.ticket,
              clocks: { ...clocks, itemized: true },
              number: current.number,
              version: current.version + 1,
            },
            this.clock.now(),
          );
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
            ...[
              ...events.map(({ item }) => item),
              ...attachmentLinkItems(current.number, events),
              // A ticket stored before fact items: its whole history so far, once.
              ...(legacy && current.clocks.facts.length > 0
                ? [clockFactsItem(current.number, current.version, current.clocks.facts)]
                : []),
              ...(recorded.length > 0 || archived.length > 0
                ? [clockFactsItem(current.number, ticket.version, recorded, archived)]
                : []),
            ].map((item) => ({ Put: { TableName: this.tableName, Item: item } })),
            ...this.watcherWrites(current, ticket),
            ...this.listingWrites(current, ticket),
          );
          return { ticket, events: events.map(({ event }) => event) };
        });
      } catch (error) {
        if (!(error instanceof ClockHistoryNeeded) || history) throw error;
        history = true;
        continue;
      }
      if (writes.length === 0) return results;
      const written = results[0];
      if (keyed && written) writes.push(this.changeKeyWrite(keyed.number, keyed.key, written));
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
    const result = await queryPage(
      this.db,
      this.tableName,
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

  /**
   * One Query over the events and the ticket item after them (`EVENT#…` to `TICKET`; the change
   * keys and presence items between them are filtered out), asking for one item more than the
   * page so the ticket does not take an event's place. A page that stops before the end of the
   * timeline does not reach the ticket item: the ticket is then read on its own.
   */
  async timelineWithTicket(
    number: number,
    page: PageRequest & { includeInternal: boolean },
  ): Promise<{ ticket: Ticket | undefined; page: Page<TimelineEvent> }> {
    const { pk, sk } = ticketKey(number);
    const result = await queryPage(
      this.db,
      this.tableName,
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :events AND :ticket',
        // Access is decided on this read of the ticket: as strongly as on a GetItem of it.
        ConsistentRead: true,
        FilterExpression: page.includeInternal
          ? '#entity IN (:event, :ticketEntity)'
          : '(#entity = :event AND #public = :yes) OR #entity = :ticketEntity',
        ExpressionAttributeNames: {
          '#entity': 'entity',
          ...(page.includeInternal ? {} : { '#public': 'public' }),
        },
        ExpressionAttributeValues: {
          ':pk': pk,
          ':events': EVENT_PREFIX,
          ':ticket': sk,
          ':event': TICKET_ENTITY.event,
          ':ticketEntity': TICKET_ENTITY.ticket,
          ...(page.includeInternal ? {} : { ':yes': true }),
        },
      },
      {
        partition: pk,
        position: EventPositionSchema,
        startKey: (at) => eventStartKey(number, at),
        // Past the last event (a change key, a presence item, the ticket): the next page, if
        // asked for, finds no more events.
        positionOf: (key) =>
          String(key.sk).startsWith(EVENT_PREFIX)
            ? eventPosition(key)
            : { version: MAX_KEY_NUMBER, index: MAX_EVENT_INDEX },
      },
      { ...page, limit: page.limit + 1 },
    );
    const found = result.items.find((item) => item.entity === TICKET_ENTITY.ticket);
    const events = result.items.filter((item) => item.entity === TICKET_ENTITY.event);
    const shown = events.slice(0, page.limit).map((item) => ({
      id: eventId(item as unknown as Key),
      ...entityOf<Omit<TimelineEvent, 'id'>>(item),
    }));
    const nextCursor =
      events.length > page.limit
        ? encodeCursor(pk, eventPosition(events[page.limit - 1] as Item))
        : found
          ? undefined
          : result.nextCursor;
    // The whole range was read and held no ticket item: there is no such ticket.
    const ticket = found
      ? entityOf<Ticket>(found)
      : nextCursor === undefined && events.length <= page.limit
        ? undefined
        : await this.getTicket(number);
    return { ticket, page: { items: shown, nextCursor } };
  }

  async ticketsOfPerson(email: string, page: PageRequest): Promise<Page<Ticket>> {
    const partition = personPartition(email);
    const result = await queryPage(
      this.db,
      this.tableName,
      // Newest first.
      { ...indexPartition('byPerson', partition), ScanIndexForward: false },
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
      .filter((item) => item.entity === TICKET_ENTITY.watcher)
      .map((item) => item.ticketNumber as number);
    const fetched = await this.ticketsByNumber(linked);
    const items = result.items.flatMap((item) => {
      if (item.entity === TICKET_ENTITY.ticket) return [entityOf<Ticket>(item)];
      const ticket = fetched.get(item.ticketNumber as number);
      return ticket ? [ticket] : [];
    });
    return { items, nextCursor: result.nextCursor };
  }

  /** A status is a partition of its own (`gsi3`); the other filters are a FilterExpression. */
  async tierQueue(tier: Tier, filter: QueueFilter | undefined, page: PageRequest): Promise<Page<Ticket>> {
    const conditions = queueConditions(filter);
    return filter?.status
      ? this.queryQueue('tierStatusQueue', tierStatusPartition(tier, filter.status), page, conditions)
      : this.queryQueue('tierQueue', tierQueuePartition(tier), page, conditions);
  }

  async assignedTo(email: string, page: PageRequest, filter?: QueueFilter): Promise<Page<Ticket>> {
    return this.queryQueue('byAssignee', assigneePartition(email), page, [
      when('equals', 'status', filter?.status),
      ...queueConditions(filter),
    ]);
  }

  /**
   * One Query per page, on the narrowest partition the search names: the requester's (`gsi1`,
   * whose rows are whole tickets, so every filter applies and no second read is needed), the
   * assignee's or the tag's listing, or else the finder index (`gsi5`: every ticket). The rows of
   * a listing or the finder name the tickets of the page, read in one BatchGetItem.
   */
  async findTickets(search: TicketSearch, page: PageRequest): Promise<Page<Ticket>> {
    if (!isServedSearch(search)) throw new Error('A search by assignee and tag needs a requester too.');
    const conditions = searchConditions(search);
    if (search.requester !== undefined) {
      const email = search.requester;
      const partition = personPartition(email);
      const { byPerson } = TABLE.indexes;
      const result = await queryPage(
        this.db,
        this.tableName,
        withFilter(newestFirstPartition(byPerson, partition, search), [
          // The person's watcher links share the partition.
          when('equals', 'entity', TICKET_ENTITY.ticket),
          ...conditions,
          when('equals', 'assignee', search.assignee),
          when('contains', 'tags', search.tag),
        ]),
        {
          partition: `FIND#${partition}`,
          position: PersonListPositionSchema,
          startKey: (at) => personListStartKey(email, at),
          positionOf: personListPosition,
        },
        page,
      );
      return { items: result.items.map((item) => entityOf<Ticket>(item)), nextCursor: result.nextCursor };
    }
    const listing =
      search.assignee !== undefined
        ? assigneeListingPartition(search.assignee)
        : search.tag !== undefined
          ? tagListingPartition(search.tag)
          : undefined;
    // A listing is a partition of the table; every ticket is the finder index's one partition.
    const source = listing
      ? {
          keys: { partitionKey: TABLE.partitionKey, sortKey: TABLE.sortKey },
          partition: listing,
          startKey: (at: FinderPosition) => listingStartKey(listing, at),
          positionOf: listingPosition,
          ticketOf: (item: Item) => item.ticketNumber as number,
        }
      : {
          keys: TABLE.indexes.finder,
          partition: FINDER_PARTITION,
          startKey: finderStartKey,
          positionOf: finderPosition,
          ticketOf: (item: Item) => ticketNumberOfKey(item) as number,
        };
    const result = await queryPage(
      this.db,
      this.tableName,
      withFilter(newestFirstPartition(source.keys, source.partition, search), conditions),
      {
        partition: source.partition,
        position: FinderPositionSchema,
        startKey: source.startKey,
        positionOf: source.positionOf,
      },
      page,
      { filteredBatch: SEARCH_BATCH },
    );
    const numbers = result.items.map(source.ticketOf);
    const tickets = await this.ticketsByNumber(numbers);
    return {
      items: numbers.flatMap((number) => tickets.get(number) ?? []),
      nextCursor: result.nextCursor,
    };
  }

  /** The tickets of a page that names them (watcher links, listings, finder rows), in one BatchGetItem. */
  private async ticketsByNumber(numbers: readonly number[]): Promise<Map<number, Ticket>> {
    const items = await batchGetItems(
      this.db,
      this.tableName,
      numbers.map((number) => ({ ...ticketKey(number) })),
    );
    return new Map(items.map((item) => entityOf<Ticket>(item)).map((ticket) => [ticket.number, ticket]));
  }

  async presence(number: number): Promise<{ ticket: TicketSummary; entries: PresenceEntry[] } | undefined> {
    // Eventually consistent: a heartbeat a second late, or a version a second old, changes nothing
    // a person sees every few seconds, and costs half.
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
        ProjectionExpression: PRESENCE_PROJECTION.names.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: {
          '#pk': TABLE.partitionKey,
          '#sk': TABLE.sortKey,
          ...Object.fromEntries(PRESENCE_PROJECTION.names.map((name, i) => [`#a${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':pk': ticketKey(number).pk,
          ':from': PRESENCE_RANGE.from,
          ':to': PRESENCE_RANGE.to,
        },
      }),
    );
    const ticket = Items.find((item) => item.entity === TICKET_ENTITY.ticket);
    if (!ticket) return undefined;
    const entries = Items.filter((item) => item.entity === TICKET_ENTITY.presence).map(
      (item): PresenceEntry => ({
        email: String(item.email),
        ...(typeof item.name === 'string' && { name: item.name }),
        state: item.state as PresenceEntry['state'],
        since: String(item.since),
        expiresAt: String(item.until),
      }),
    );
    return { ticket: entityOf<TicketSummary>(ticket), entries };
  }

  async putPresence(number: number, entry: PresenceEntry): Promise<void> {
    const { expiresAt, ...rest } = entry;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...presenceKey(number, entry.email),
          entity: TICKET_ENTITY.presence,
          ...rest,
          // The exact instant is checked on read; TTL (epoch seconds, deleting up to days late)
          // only clears the table of entries nobody renews.
          until: expiresAt,
          [TABLE.timeToLiveAttribute]: Math.ceil(new Date(expiresAt).getTime() / 1000),
        },
      }),
    );
  }

  async removePresence(number: number, email: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: presenceKey(number, email) }));
  }

  async attachment(number: number, id: string): Promise<AttachmentLink | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: attachmentKey(number, id) }),
    );
    return Item ? entityOf<AttachmentLink>(Item) : undefined;
  }

  /**
   * The ticket an earlier request with this key created, from its record: the one a cancelled
   * transaction returned (`returned`), else read (the record of a request still committing).
   */
  private async replay(claim: IdempotencyClaim, returned?: Item): Promise<CreateResult | undefined> {
    const Item =
      returned ??
      (
        await this.db.send(
          new GetCommand({
            TableName: this.tableName,
            Key: idempotencyKey(claim.caller, claim.key),
            ConsistentRead: true,
          }),
        )
      ).Item;
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

  /**
   * The idempotency key of a change, written with it: which version it made and how many events
   * it wrote, so a replay can answer with them. An expired key may linger until TTL deletes it:
   * it no longer counts.
   */
  private changeKeyWrite(number: number, key: string, written: MutateResult): TransactItems[number] {
    const now = epochSeconds(this.clock.now());
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...ticketChangeKey(number, key),
          entity: TICKET_ENTITY.idempotency,
          version: written.ticket.version,
          eventCount: written.events.length,
          [TABLE.timeToLiveAttribute]: now + CHANGE_KEY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
        ExpressionAttributeNames: { '#expiresAt': TABLE.timeToLiveAttribute },
        ExpressionAttributeValues: { ':now': now },
      },
    };
  }

  /** What the change made under `key` wrote: the ticket as it is now, and that change's events. */
  private async replayChange(number: number, key: string): Promise<MutateResult | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: ticketChangeKey(number, key), ConsistentRead: true }),
    );
    if (!Item || (Item[TABLE.timeToLiveAttribute] as number) < epochSeconds(this.clock.now()))
      return undefined;
    const version = Item.version as number;
    const keys = Array.from({ length: Item.eventCount as number }, (_, index) =>
      eventKey(number, version, index),
    );
    const [ticket, items] = await Promise.all([
      this.getTicket(number),
      batchGetItems(
        this.db,
        this.tableName,
        keys.map((key) => ({ ...key })),
        { consistentRead: true },
      ),
    ]);
    if (!ticket) throw new NotFoundError(`Ticket #${number} does not exist.`);
    const events = items
      .map((item) => ({ id: eventId(item as unknown as Key), ...entityOf<Omit<TimelineEvent, 'id'>>(item) }))
      .sort((a, b) => a.id.localeCompare(b.id));
    return { ticket, events, replayed: true };
  }

  private watcherItem(ticket: Ticket, email: string): Item {
    return {
      ...watcherKey(ticket.number, email),
      ...watcherIndexKeys(ticket, email),
      entity: TICKET_ENTITY.watcher,
      ticketNumber: ticket.number,
      email,
    };
  }

  /** Link items follow the watcher list: added watchers get one, removed ones lose theirs. */
  private watcherWrites(before: Ticket, after: Ticket): TransactItems {
    const added = after.watchers.filter((email) => !before.watchers.includes(email));
    const removed = before.watchers.filter((email) => !after.watchers.includes(email));
    return [
      ...added.map((email) => ({ Put: { TableName: this.tableName, Item: this.watcherItem(after, email) } })),
      ...removed.map((email) => ({
        Delete: { TableName: this.tableName, Key: watcherKey(after.number, email) },
      })),
    ];
  }

  /**
   * What the ticket's listings (`ticketListingKeys`) become: a listing is written when it is new
   * or when what it copies (status, tier, priority) changed, and deleted when the ticket left it.
   */
  private listingWrites(before: Ticket | undefined, after: Ticket): TransactItems {
    const copied = (ticket: Ticket) => [ticket.status, ticket.tier, ticket.priority].join('|');
    const stale = before === undefined || copied(before) !== copied(after);
    const now = ticketListingKeys(after);
    const was = before ? ticketListingKeys(before) : [];
    const listed = new Set(was.map(({ pk }) => pk));
    const kept = new Set(now.map(({ pk }) => pk));
    return [
      ...now
        .filter(({ pk }) => stale || !listed.has(pk))
        .map((key) => ({
          Put: {
            TableName: this.tableName,
            Item: {
              ...key,
              entity: TICKET_ENTITY.listing,
              ticketNumber: after.number,
              status: after.status,
              tier: after.tier,
              priority: after.priority,
            },
          },
        })),
      ...was
        .filter(({ pk }) => !kept.has(pk))
        .map((key) => ({ Delete: { TableName: this.tableName, Key: { ...key } } })),
    ];
  }

  /** A queue of tickets on one of the deadline-ordered indexes, soonest due first. */
  private async queryQueue(
    name: QueueIndex,
    partition: string,
    page: PageRequest,
    conditions: readonly Condition[] = [],
  ): Promise<Page<Ticket>> {
    const result = await queryPage(
      this.db,
      this.tableName,
      withFilter(indexPartition(name, partition), conditions),
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
}
