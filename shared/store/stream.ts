import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import type { Entity } from './entities.ts';
import type { Item } from './items.ts';

/**
 * The table's stream as its consumers read it: records decoded and validated the one way, and
 * batches handled in order with partial-batch failure reporting.
 */

export type StreamRecord = DynamoDBRecord;
export type StreamImage = 'NewImage' | 'OldImage';

/** The item of a record's new or old image; undefined when the record carries no such image. */
export const imageOf = (record: StreamRecord, which: StreamImage): Item | undefined => {
  const image = record.dynamodb?.[which];
  return image ? (unmarshall(image as never) as Item) : undefined;
};

/**
 * A record's image as `entity`, validated by its schema; undefined for an image of another entity
 * or none. An item that claims to be the entity but does not read as one is logged and passed
 * over: retrying cannot mend it, and failing it would hold back every later record of its shard.
 */
export const decodeImage = <S extends z.core.$ZodType>(
  record: StreamRecord,
  which: StreamImage,
  entity: Entity,
  schema: S,
): z.output<S> | undefined => {
  const item = imageOf(record, which);
  if (item?.entity !== entity) return undefined;
  const parsed = z.safeParse(schema, item);
  if (!parsed.success) {
    logger.error(`stream record is not a readable ${entity}`, {
      eventID: record.eventID,
      image: which,
      issues: parsed.error.issues,
    });
    return undefined;
  }
  return parsed.data;
};

/** The response that makes the event source mapping redeliver the batch from `failed` on. */
export const batchResponse = (failed?: StreamRecord): DynamoDBBatchResponse => ({
  batchItemFailures: failed ? [{ itemIdentifier: failed.dynamodb?.SequenceNumber ?? '' }] : [],
});

/**
 * Handles a batch's records one after the other: the records of one item must be handled in the
 * order they happened, so the first failure stops the batch and is returned, for
 * `batchResponse` (ReportBatchItemFailures: the event source mapping redelivers from that
 * record, and bisects a batch that keeps failing).
 */
export const handleInOrder = async <T>(
  records: readonly StreamRecord[],
  handle: (record: StreamRecord) => Promise<T>,
  /** What the failure's log line says about the record besides its eventID. */
  describe: (record: StreamRecord) => Record<string, unknown> = () => ({}),
): Promise<StreamRecord | undefined> => {
  for (const record of records) {
    try {
      await handle(record);
    } catch (error) {
      logger.error('Stream record failed', {
        error: error as Error,
        eventID: record.eventID,
        ...describe(record),
      });
      return record;
    }
  }
  return undefined;
};
