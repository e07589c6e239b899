import { type Clock, systemClock } from '#shared/domain/clock';
import { normalizeEmail } from '#shared/domain/principal';
import {
  type AutomaticMailState,
  type InboundClaimResult,
  type InboundThreadMail,
  MAIL_THREAD_PARTIES,
  type MailStore,
  type MailSuppression,
  type MailThread,
  type MailThreadParty,
  type MailThreadRef,
  type MessageDirection,
  type OutboundClaim,
  type OutboundClaimResult,
  type QuarantineRecord,
  type SentMailRecord,
  type StaffNotice,
} from '#shared/email/mail-store';
import { expiringCount } from '#shared/store/counter';
import { MAIL_ENTITY } from '#shared/store/entities';
import { isConditionalCheckFailed } from '#shared/store/errors';
import { epochSeconds } from '#shared/store/items';
import {
  automaticMailCounterKey,
  mailDedupeKey,
  mailQuarantineKey,
  mailQuarantinePartition,
  mailSuppressionKey,
  mailThreadKey,
  messageIdKey,
  outboundMailKey,
  staffNoticeKey,
} from '#shared/store/keys';
import { claimLease } from '#shared/store/lease';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '#shared/store/sdk';
import { TABLE } from '#shared/store/table';

/**
 * Providers redeliver for days (SES retries, an MTA's queue); thirty days of dedupe claims covers
 * every retry schedule in use, and TTL deletes the claims after that.
 */
const DEDUPE_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Longer than the intake can run (Lambda stops a run at 15 minutes). */
const INBOUND_LEASE_SECONDS = 15 * 60;
/** A daily counter is read only on its day; two days keeps it past any clock skew. */
const COUNTER_TTL_SECONDS = 2 * 24 * 60 * 60;

/**
 * An outbound claim is kept a week: a stream record is redelivered for at most a day (the
 * stream's retention), a redrive from the dead-letter queue within its retention.
 */
const OUTBOUND_CLAIM_TTL_SECONDS = 7 * 24 * 60 * 60;
/**
 * A claim still `sending` after this long was left by a run that died between the claim and the
 * send (no Lambda runs longer than 15 minutes): it is taken over, so the mail is not lost.
 */
const OUTBOUND_LEASE_SECONDS = 15 * 60;

/** The record of a Message-ID seen or sent: threading looks a reply's references up by it. */
const messageIdItem = (
  messageId: string,
  ticket: number,
  direction: MessageDirection,
  party?: MailThreadParty,
  template?: string,
) => ({
  ...messageIdKey(messageId),
  entity: MAIL_ENTITY.messageId,
  ticket,
  direction,
  ...(party && { party }),
  ...(template && { template }),
});

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export class DynamoMailStore implements MailStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async recordMessageId(messageId: string, ticket: number, direction: MessageDirection): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: messageIdItem(messageId, ticket, direction),
          // A Message-ID belongs to the ticket that saw it first: a forward that quotes it must
          // not move the thread.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async ticketByMessageId(messageId: string): Promise<number | undefined> {
    const item = await this.readMessageId(messageId);
    return typeof item?.ticket === 'number' ? item.ticket : undefined;
  }

  async ticketBySentMessageId(messageId: string): Promise<number | undefined> {
    const item = await this.readMessageId(messageId);
    return item?.direction === 'out' && typeof item.ticket === 'number' ? item.ticket : undefined;
  }

  private async readMessageId(messageId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: messageIdKey(messageId) }),
    );
    return Item;
  }

  async conversationOf(messageId: string): Promise<MailThreadParty | undefined> {
    const item = await this.readMessageId(messageId);
    const party = item?.direction === 'out' ? item.party : undefined;
    return (MAIL_THREAD_PARTIES as readonly unknown[]).includes(party)
      ? (party as MailThreadParty)
      : undefined;
  }

  async templateOf(messageId: string): Promise<string | undefined> {
    const item = await this.readMessageId(messageId);
    return item?.direction === 'out' && typeof item.template === 'string' ? item.template : undefined;
  }

  async claimInbound(dedupeKey: string, rawKey: string): Promise<InboundClaimResult> {
    const lease = await claimLease(this.db, this.tableName, {
      key: mailDedupeKey(dedupeKey),
      entity: MAIL_ENTITY.mailDedupe,
      busyState: 'processing',
      attributes: { rawKey },
      now: epochSeconds(this.clock.now()),
      leaseSeconds: INBOUND_LEASE_SECONDS,
      ttlSeconds: DEDUPE_TTL_SECONDS,
      expiredIsFree: true,
    });
    if (lease.claimed) return 'claimed';
    return lease.state === 'processing' ? 'busy' : 'done';
  }

  async completeInbound(dedupeKey: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: mailDedupeKey(dedupeKey),
        UpdateExpression: 'SET #state = :done',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done' },
      }),
    );
  }

  async releaseInbound(dedupeKey: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: mailDedupeKey(dedupeKey) }));
  }

  async quarantine(record: QuarantineRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...mailQuarantineKey(record.at, record.rawKey),
          entity: MAIL_ENTITY.mailQuarantine,
          ...record,
        },
      }),
    );
  }

  async quarantined(limit: number): Promise<QuarantineRecord[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': mailQuarantinePartition },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map(({ pk: _pk, sk: _sk, entity: _entity, ...record }) => record as QuarantineRecord);
  }

  async countAutomaticMail(address: string): Promise<number> {
    const { Attributes } = await this.db.send(
      new UpdateCommand({ ...this.countOne(address, this.clock.now()), ReturnValues: 'UPDATED_NEW' }),
    );
    return Number(Attributes?.count ?? 0);
  }

  async automaticMailsToday(address: string): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.counterKey(address, this.clock.now()) }),
    );
    return Number(Item?.count ?? 0);
  }

  async claimStaffNotice(
    { ticket, address, kind }: StaffNotice,
    eventId: string,
    windowMs: number,
  ): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...staffNoticeKey(ticket, normalizeEmail(address), kind),
            entity: MAIL_ENTITY.staffNotice,
            eventId,
            until: now.getTime() + windowMs,
            [TABLE.timeToLiveAttribute]: epochSeconds(new Date(now.getTime() + windowMs)) + 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now OR eventId = :event',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':now': now.getTime(), ':event': eventId },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async suppressAutomaticMail(address: string, reasons: readonly string[], until: Date): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...mailSuppressionKey(normalizeEmail(address)),
            entity: MAIL_ENTITY.mailSuppression,
            reasons: [...reasons],
            until: until.toISOString(),
            [TABLE.timeToLiveAttribute]: epochSeconds(until),
          },
          // A second flag with a shorter window must not cut the first one short.
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :until',
          ExpressionAttributeNames: { '#expiresAt': TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':until': epochSeconds(until) },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async automaticMailSuppressed(address: string): Promise<MailSuppression | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: mailSuppressionKey(normalizeEmail(address)) }),
    );
    return this.suppressionOf(Item);
  }

  private suppressionOf(Item: Record<string, unknown> | undefined): MailSuppression | undefined {
    // TTL deletes expired items within days, not at the second: an expired one suppresses nothing.
    if (!Item || Number(Item[TABLE.timeToLiveAttribute]) <= epochSeconds(this.clock.now())) return undefined;
    return { reasons: stringsOf(Item.reasons), until: String(Item.until) };
  }

  async mailThread(thread: MailThreadRef): Promise<MailThread | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: mailThreadKey(thread.ticket, thread.party),
        ConsistentRead: true,
      }),
    );
    return threadOf(Item);
  }

  async automaticMailState(address: string, thread: MailThreadRef): Promise<AutomaticMailState> {
    const keys = {
      suppression: mailSuppressionKey(normalizeEmail(address)),
      counter: this.counterKey(address, this.clock.now()),
      thread: mailThreadKey(thread.ticket, thread.party),
    };
    const found: Record<string, unknown>[] = [];
    // The thread is read consistently (a mail just sent in it must be answered, not forked), so
    // the batch is: one strongly consistent request instead of three.
    let pending: Record<string, unknown>[] | undefined = Object.values(keys).map((key) => ({ ...key }));
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((done) => setTimeout(done, 25 * 2 ** attempt));
      if (attempt >= 6) throw new Error('DynamoDB left the mail state unread: throttled.');
      const output: BatchGetCommandOutput = await this.db.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      found.push(...(output.Responses?.[this.tableName] ?? []));
      pending = output.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    const itemAt = (key: { pk: string; sk: string }) =>
      found.find((item) => item[TABLE.partitionKey] === key.pk && item[TABLE.sortKey] === key.sk);
    const suppression = this.suppressionOf(itemAt(keys.suppression));
    const threadItem = threadOf(itemAt(keys.thread));
    return {
      ...(suppression && { suppression }),
      sentToday: Number(itemAt(keys.counter)?.count ?? 0),
      ...(threadItem && { thread: threadItem }),
    };
  }

  async recordInboundInThread(thread: MailThreadRef, mail: InboundThreadMail): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: mailThreadKey(thread.ticket, thread.party),
          UpdateExpression: [
            'SET #entity = :entity, #latest = :latest, #latestEvent = :event',
            ...(mail.original ? [', #original = if_not_exists(#original, :id)'] : []),
          ].join(''),
          // Event ids sort in timeline order: a redelivered older mail leaves a newer one latest.
          ConditionExpression: 'attribute_not_exists(#latestEvent) OR #latestEvent <= :event',
          ExpressionAttributeNames: {
            '#entity': 'entity',
            '#latest': 'latest',
            '#latestEvent': 'latestEvent',
            ...(mail.original && { '#original': 'original' }),
          },
          ExpressionAttributeValues: {
            ':entity': MAIL_ENTITY.mailThread,
            ':latest': [mail.messageId],
            ':event': mail.eventId,
            ...(mail.original && { ':id': mail.messageId }),
          },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async claimOutbound(claim: OutboundClaim): Promise<OutboundClaimResult> {
    const lease = await claimLease(this.db, this.tableName, {
      key: this.outboundKey(claim),
      entity: MAIL_ENTITY.outboundMail,
      busyState: 'sending',
      now: epochSeconds(this.clock.now()),
      leaseSeconds: OUTBOUND_LEASE_SECONDS,
      ttlSeconds: OUTBOUND_CLAIM_TTL_SECONDS,
    });
    if (lease.claimed) return 'claimed';
    return lease.state === 'sent' ? 'sent' : 'busy';
  }

  async releaseOutbound(claim: OutboundClaim): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: this.outboundKey(claim),
          // Never the record of a mail that went out.
          ConditionExpression: '#state = :sending',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  async recordOutbound(sent: SentMailRecord): Promise<void> {
    const now = this.clock.now();
    const { claim } = sent;
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: this.outboundKey(claim),
              UpdateExpression: 'SET #state = :sent, #messageIds = :ids',
              ExpressionAttributeNames: { '#state': 'state', '#messageIds': 'messageIds' },
              ExpressionAttributeValues: { ':sent': 'sent', ':ids': sent.messageIds },
            },
          },
          // Plain puts: each id was minted for this very mail (ours random, SES's unique), so
          // there is no earlier owner for the first-write-wins rule of recordMessageId to protect.
          ...sent.messageIds.map((messageId) => ({
            Put: {
              TableName: this.tableName,
              Item: messageIdItem(messageId, claim.ticket, 'out', sent.party, sent.template),
            },
          })),
          {
            Update: {
              TableName: this.tableName,
              Key: mailThreadKey(claim.ticket, sent.party),
              UpdateExpression:
                'SET #entity = :entity, #root = if_not_exists(#root, :ids), #latest = :ids, #latestEvent = :event',
              ExpressionAttributeNames: {
                '#entity': 'entity',
                '#root': 'root',
                '#latest': 'latest',
                '#latestEvent': 'latestEvent',
              },
              ExpressionAttributeValues: {
                ':entity': MAIL_ENTITY.mailThread,
                ':ids': sent.messageIds,
                ':event': claim.eventId,
              },
            },
          },
          ...(sent.automatic ? [{ Update: this.countOne(claim.recipient, now) }] : []),
        ],
      }),
    );
  }

  private outboundKey(claim: OutboundClaim) {
    return outboundMailKey(claim.ticket, claim.eventId, normalizeEmail(claim.recipient));
  }

  /** One more automatic mail to an address today: the update both counting paths make. */
  private countOne(address: string, now: Date) {
    return expiringCount(
      this.tableName,
      this.counterKey(address, now),
      MAIL_ENTITY.automaticMailCounter,
      epochSeconds(now) + COUNTER_TTL_SECONDS,
    );
  }

  private counterKey(address: string, at: Date) {
    return automaticMailCounterKey(normalizeEmail(address), at.toISOString().slice(0, 10));
  }
}

const threadOf = (Item: Record<string, unknown> | undefined): MailThread | undefined =>
  Item && {
    ...(typeof Item.original === 'string' && { original: Item.original }),
    root: stringsOf(Item.root),
    latest: stringsOf(Item.latest),
  };
