import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { EVENT_TYPES, type TimelineEvent } from '#shared/domain/timeline';
import { logger } from '#shared/runtime/observability';
import { timelineEventOf } from '#shared/store/keys';
import { type MailerDeps, type MailOutcome, mailForEvent } from './mailer.ts';

/**
 * The mailer's side of the table's stream: every new timeline event item, one after the other
 * (the mail of one ticket goes out in the order its events happened), into {@link mailForEvent}.
 */

/** A timeline event item as the ticket store writes it (keys and `entity` beside the event). */
const EventItemSchema = z.looseObject({
  entity: z.literal('event'),
  type: z.enum(EVENT_TYPES),
  at: z.string(),
  actor: z.string(),
  public: z.boolean(),
  body: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

export interface RecordEvent {
  ticket: number;
  event: TimelineEvent;
}

/**
 * The timeline event a record inserted; undefined for any other record. An item that claims to
 * be an event but does not read as one is logged and passed over: retrying cannot mend it, and
 * failing it would hold back every later record of its shard.
 */
export const eventOfRecord = (record: DynamoDBRecord): RecordEvent | undefined => {
  const image: StreamImage = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as never) as Record<string, unknown>;
  if (item.entity !== 'event') return undefined;
  const key = timelineEventOf(item);
  const parsed = EventItemSchema.safeParse(item);
  if (!key || !parsed.success) {
    logger.error('stream record is not a readable timeline event', {
      eventID: record.eventID,
      issues: parsed.error?.issues,
    });
    return undefined;
  }
  const { type, at, actor, public: isPublic, body, data } = parsed.data;
  return {
    ticket: key.ticket,
    event: {
      id: key.eventId,
      type,
      at,
      actor,
      public: isPublic,
      ...(body !== undefined && { body }),
      ...(data !== undefined && { data }),
    },
  };
};

/**
 * A batch of records, in order. The first failure stops the batch and is reported
 * (ReportBatchItemFailures): the event source mapping redelivers from that record, whose sent
 * mail is claimed already, so only what failed is sent again.
 */
export const sendMailForRecords =
  (deps: MailerDeps, onOutcomes: (outcomes: MailOutcome[]) => void = () => {}) =>
  async (event: Pick<DynamoDBStreamEvent, 'Records'>): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const found = eventOfRecord(record);
      if (!found) continue;
      try {
        onOutcomes(await mailForEvent(deps, found.ticket, found.event));
      } catch (error) {
        logger.error('mail for stream record failed', {
          error: error as Error,
          eventID: record.eventID,
          ticket: found.ticket,
          event: found.event.id,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
