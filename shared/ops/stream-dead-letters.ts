import type { Clock } from '#shared/domain/clock';
import { logger, MetricUnit, metrics } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import type { DeadLetter, DeadLetterStore } from './dead-letters.ts';

/**
 * The consumer of the stream's dead-letter queue (AWS only). The stream event source mapping's
 * on-failure destination receives where a failed batch is (stream, shard, first and last sequence
 * number), never the records. Within the stream's 24-hour retention they are read again
 * (GetShardIterator AT_SEQUENCE_NUMBER, GetRecords until past the last sequence number) and the
 * tickets they name are recorded as a dead letter, which the reconciliation repairs ticket by
 * ticket. Past 24 hours, or when the shard is gone, the batch is recorded as unrecoverable: the
 * reconciliation reports it and relies on its full walk of the tier queues instead.
 */

/** How long DynamoDB Streams keeps a record. */
const STREAM_RETENTION_MS = 24 * 3_600_000;

/** The on-failure destination's message for a DynamoDB stream batch, as Lambda sends it. */
const StreamBatchFailureSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    timestamp: z.iso.datetime({ offset: true }),
    requestContext: z.optional(z.object({ condition: z.optional(z.string()) })),
    responseContext: z.optional(z.object({ functionError: z.optional(z.string()) })),
    DDBStreamBatchInfo: z.object({
      streamArn: z.string().check(z.minLength(1)),
      shardId: z.string().check(z.minLength(1)),
      startSequenceNumber: z.string().check(z.regex(/^\d+$/)),
      endSequenceNumber: z.string().check(z.regex(/^\d+$/)),
      approximateArrivalOfFirstRecord: z.iso.datetime({ offset: true }),
      approximateArrivalOfLastRecord: z.optional(z.iso.datetime({ offset: true })),
      batchSize: z.optional(z.int().check(z.nonnegative())),
    }),
  }),
);

export interface StreamRange {
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
}

/** The port to the table's stream (the adapter is `adapters/dynamodb-streams.ts`). */
export interface StreamReader {
  /**
   * The keys of the records from the first to the last sequence number, both included; `gone`
   * when the stream no longer has them (trimmed after 24 hours, or the shard is gone).
   */
  keysInRange(range: StreamRange): Promise<Record<string, unknown>[] | 'gone'>;
}

export interface StreamDeadLetterDeps {
  deadLetters: Pick<DeadLetterStore, 'add'>;
  reader: StreamReader;
  clock: Clock;
  /** The tickets a stream record is about, from its keys. */
  ticketsOf: (keys: readonly Record<string, unknown>[]) => number[];
}

/**
 * Records one dead-letter message. Idempotent: a redelivered message writes the same item (its key
 * is the message's own time and the batch's place in the stream). A message that is no stream
 * batch failure at all is recorded as unrecoverable rather than retried for the queue's 14 days.
 */
export const recordStreamDeadLetter = async (
  deps: StreamDeadLetterDeps,
  message: { messageId: string; body: string },
): Promise<'recorded' | 'unrecoverable'> => {
  const parsed = StreamBatchFailureSchema.safeParse(parseJson(message.body));
  if (!parsed.success) {
    // Not a stream batch's place: nothing to read again, and no retry will change that.
    return unrecoverable(
      deps,
      {
        id: `message/${message.messageId}`,
        at: deps.clock.now().toISOString(),
        tickets: [],
        unrecoverable: 'the message is not a DynamoDB stream batch failure',
        detail: { body: message.body.slice(0, 1000) },
      },
      {},
    );
  }
  const batch = parsed.data.DDBStreamBatchInfo;
  const { requestContext, responseContext, timestamp } = parsed.data;
  const range: StreamRange = {
    streamArn: batch.streamArn,
    shardId: batch.shardId,
    startSequenceNumber: batch.startSequenceNumber,
    endSequenceNumber: batch.endSequenceNumber,
  };
  const expired =
    deps.clock.now().getTime() - Date.parse(batch.approximateArrivalOfFirstRecord) >= STREAM_RETENTION_MS;
  const keys = expired ? 'gone' : await deps.reader.keysInRange(range);
  const deadLetter: DeadLetter = {
    id: `${batch.shardId}/${batch.startSequenceNumber}`,
    at: new Date(timestamp).toISOString(),
    tickets: keys === 'gone' ? [] : deps.ticketsOf(keys),
    detail: {
      ...range,
      firstArrival: batch.approximateArrivalOfFirstRecord,
      ...(batch.batchSize !== undefined && { batchSize: batch.batchSize }),
      ...(requestContext?.condition && { condition: requestContext.condition }),
      ...(responseContext?.functionError && { error: responseContext.functionError }),
    },
  };
  if (keys !== 'gone') {
    await deps.deadLetters.add(deadLetter);
    return 'recorded';
  }
  const reason = expired
    ? 'the records are past the stream’s 24-hour retention'
    : 'the stream no longer has the records (trimmed, or the shard is gone)';
  return unrecoverable(deps, { ...deadLetter, unrecoverable: reason }, range);
};

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Recorded for the reconciliation to report (and cover by its full walk), and counted: it alarms. */
const unrecoverable = async (
  deps: StreamDeadLetterDeps,
  deadLetter: DeadLetter,
  where: Partial<StreamRange>,
): Promise<'unrecoverable'> => {
  await deps.deadLetters.add(deadLetter);
  // The alarm "StreamDeadLettersUnrecoverable" watches this metric.
  metrics.addMetric('StreamDeadLettersUnrecoverable', MetricUnit.Count, 1);
  logger.warn('Stream dead letter unrecoverable', {
    ...where,
    id: deadLetter.id,
    reason: deadLetter.unrecoverable,
  });
  return 'unrecoverable';
};
