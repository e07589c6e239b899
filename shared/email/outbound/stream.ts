import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { EVENT_TYPES, type TimelineEvent } from '#shared/domain/timeline';
import { logger, MetricUnit, metrics } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { TICKET_ENTITY } from '#shared/store/entities';
import { timelineEventOf } from '#shared/store/keys';
import { batchResponse, decodeImage, handleInOrder, type StreamRecord } from '#shared/store/stream';
import { type MailerDeps, type MailOutcome, mailForEvent, type SkipReason } from './mailer.ts';

/**
 * The mailer's side of the table's stream: every new timeline event item, one after the other
 * (the mail of one ticket goes out in the order its events happened), into {@link mailForEvent}.
 */

/** A timeline event item as the ticket store writes it (keys beside the event). */
const EventItemSchema = /* @__PURE__ */ z.built(() =>
  z.looseObject({
    pk: z.string(),
    sk: z.string(),
    type: z.enum(EVENT_TYPES),
    at: z.string(),
    actor: z.string(),
    public: z.boolean(),
    body: z.optional(z.string()),
    data: z.optional(z.record(z.string(), z.unknown())),
    /** What a PATCH changed: an assignment is told to its new assignee. */
    changes: z.optional(
      z.array(
        z.looseObject({ field: z.string(), from: z.optional(z.unknown()), to: z.optional(z.unknown()) }),
      ),
    ),
  }),
);

export interface RecordEvent {
  ticket: number;
  event: TimelineEvent;
}

/**
 * The timeline event a record inserted; undefined for any other record, and for an item that
 * claims to be an event but does not read as one (logged by `decodeImage`).
 */
const eventOfRecord = (record: StreamRecord): RecordEvent | undefined => {
  if (record.eventName !== 'INSERT') return undefined;
  const item = decodeImage(record, 'NewImage', TICKET_ENTITY.event, EventItemSchema);
  if (!item) return undefined;
  const key = timelineEventOf(item);
  if (!key) {
    logger.error('stream record is not a readable event', {
      eventID: record.eventID,
      key: [item.pk, item.sk],
    });
    return undefined;
  }
  const { type, at, actor, public: isPublic, body, data, changes } = item;
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
      ...(changes !== undefined && { changes }),
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
    const failed = await handleInOrder(
      event.Records,
      async (record) => {
        const found = eventOfRecord(record);
        if (found) onOutcomes(await mailForEvent(deps, found.ticket, found.event));
      },
      (record) => {
        const found = eventOfRecord(record);
        return { ticket: found?.ticket, event: found?.event.id };
      },
    );
    return batchResponse(failed);
  };

/** One count per mail sent or skipped, by reason, for the dashboard. */
const SKIP_METRICS: Record<SkipReason, string> = {
  'support-address': 'MailSkippedOwnAddress',
  suppressed: 'MailSkippedSuppressed',
  'daily-cap': 'MailSkippedDailyCap',
  'already-claimed': 'MailSkippedDuplicate',
  'own-action': 'MailSkippedOwnAction',
  'notice-window': 'MailSkippedNoticeWindow',
};

export const countMailOutcomes = (outcomes: MailOutcome[]): void => {
  for (const outcome of outcomes) {
    metrics.addMetric(
      outcome.result === 'sent' ? 'MailSent' : SKIP_METRICS[outcome.reason],
      MetricUnit.Count,
      1,
    );
  }
};
