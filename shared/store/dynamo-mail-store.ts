import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '#shared/domain/clock';
import { normalizeEmail } from '#shared/domain/principal';
import {
  automaticMailCounterKey,
  mailDedupeKey,
  mailQuarantineKey,
  mailQuarantinePartition,
  messageIdKey,
} from './keys.ts';
import type { MailStore, MessageDirection, QuarantineRecord } from './mail-store.ts';
import { TABLE } from './table.ts';

/**
 * Providers redeliver for days (SES retries, an MTA's queue); thirty days of dedupe claims covers
 * every retry schedule in use, and TTL deletes the claims after that.
 */
const DEDUPE_TTL_SECONDS = 30 * 24 * 60 * 60;
/** A daily counter is read only on its day; two days keeps it past any clock skew. */
const COUNTER_TTL_SECONDS = 2 * 24 * 60 * 60;

const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

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
          Item: { ...messageIdKey(messageId), entity: 'messageId', ticket, direction },
          // A Message-ID belongs to the ticket that saw it first: a forward that quotes it must
          // not move the thread.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async ticketByMessageId(messageId: string): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: messageIdKey(messageId) }),
    );
    return typeof Item?.ticket === 'number' ? Item.ticket : undefined;
  }

  async claimInbound(dedupeKey: string, rawKey: string): Promise<boolean> {
    const now = epochSeconds(this.clock.now());
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...mailDedupeKey(dedupeKey),
            entity: 'mailDedupe',
            rawKey,
            [TABLE.timeToLiveAttribute]: now + DEDUPE_TTL_SECONDS,
          },
          // An expired claim may linger until TTL deletes it: it is no claim.
          ConditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now',
          ExpressionAttributeNames: { '#expiresAt': TABLE.timeToLiveAttribute },
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseInbound(dedupeKey: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: mailDedupeKey(dedupeKey) }));
  }

  async quarantine(record: QuarantineRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...mailQuarantineKey(record.at, record.rawKey), entity: 'mailQuarantine', ...record },
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
    const now = this.clock.now();
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.counterKey(address, now),
        UpdateExpression:
          'ADD #count :one SET #entity = :entity, #expiresAt = if_not_exists(#expiresAt, :ttl)',
        ExpressionAttributeNames: {
          '#count': 'count',
          '#entity': 'entity',
          '#expiresAt': TABLE.timeToLiveAttribute,
        },
        ExpressionAttributeValues: {
          ':one': 1,
          ':entity': 'automaticMailCounter',
          ':ttl': epochSeconds(now) + COUNTER_TTL_SECONDS,
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.count ?? 0);
  }

  async automaticMailsToday(address: string): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.counterKey(address, this.clock.now()) }),
    );
    return Number(Item?.count ?? 0);
  }

  private counterKey(address: string, at: Date) {
    return automaticMailCounterKey(normalizeEmail(address), at.toISOString().slice(0, 10));
  }
}
