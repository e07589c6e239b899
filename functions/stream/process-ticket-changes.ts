import { SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Ticket } from '#shared/domain/ticket';
import { DynamoArticleStore } from '#shared/kb/adapters/dynamodb';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { ARTICLE_CONTENT_FIELDS } from '#shared/kb/article';
import { KB_VARIABLES, kbBucketFromEnv } from '#shared/kb/config';
import { rebuildIndex } from '#shared/kb/index-store';
import { logger } from '#shared/runtime/observability';
import { s3ClientFromEnv } from '#shared/runtime/s3-client';
import { documentClient } from '#shared/store/client';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import type { WorkflowSignals } from '#shared/workflow/signals';
import { wakeReasons } from '#shared/workflow/wake';
import type { WorkflowStore } from '#shared/workflow/workflow-store';

/**
 * The event backbone: DynamoDB Streams → this function. A new ticket starts its workflow; a
 * change that matters wakes the parked workflow (SendTaskSuccess to the stored token). At least
 * once and idempotent: a repeated start finds the execution running, a repeated wake finds the
 * token stale, and the workflow re-reads the ticket whatever woke it.
 *
 * An article written, changed or deleted makes the knowledge base's search index stale: the
 * index is rebuilt from all articles and saved to the KB bucket, once per batch however many
 * articles the batch changed, and searchers pick it up within seconds.
 */

export interface StreamDeps {
  signals: Pick<WorkflowSignals, 'start' | 'wake'>;
  workflows: Pick<WorkflowStore, 'parked'>;
  /** Rebuilds and saves the search index; absent where no KB bucket is configured. */
  kb?: { rebuildIndex(): Promise<unknown> };
}

type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

const ticketOf = (image: StreamImage): (Ticket & { entity?: string }) | undefined =>
  image ? (unmarshall(image as never) as Ticket & { entity?: string }) : undefined;

export const processRecord = async (deps: StreamDeps, record: DynamoDBRecord): Promise<void> => {
  const after = ticketOf(record.dynamodb?.NewImage);
  if (after?.entity !== 'ticket') return;
  if (record.eventName === 'INSERT') {
    const outcome = await deps.signals.start(after.number);
    logger.info('Workflow start', { ticket: after.number, outcome });
    return;
  }
  const before = ticketOf(record.dynamodb?.OldImage);
  if (record.eventName !== 'MODIFY' || !before) return;
  const reasons = wakeReasons(before, after);
  if (reasons.length === 0) return;
  const parked = await deps.workflows.parked(after.number);
  // Parked on an older version than this change: wake it. Parked on this version or later: the
  // workflow already decided from it (or newer), and a wake would only cost a transition.
  if (!parked || parked.version >= after.version) return;
  const woke = await deps.signals.wake(parked.token, reasons);
  logger.info('Workflow wake', { ticket: after.number, version: after.version, reasons, woke });
};

type Image = Record<string, unknown>;
const imageOf = (image: StreamImage): Image | undefined =>
  image ? (unmarshall(image as never) as Image) : undefined;

/**
 * Does the record change what the search index holds? A new or deleted article does; a change
 * does when a field the index is built from changed (a ticket linked to the article does not).
 */
export const changesIndexedArticle = (record: DynamoDBRecord): boolean => {
  const after = imageOf(record.dynamodb?.NewImage);
  const before = imageOf(record.dynamodb?.OldImage);
  if (after?.entity !== 'article' && before?.entity !== 'article') return false;
  if (!after || !before) return true;
  return ARTICLE_CONTENT_FIELDS.some(
    (field) => JSON.stringify(after[field]) !== JSON.stringify(before[field]),
  );
};

const failed = (record: DynamoDBRecord): DynamoDBBatchResponse => ({
  batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }],
});

/**
 * Records of one ticket must be handled in order, so the first failure stops the batch and is
 * reported; the event source mapping redelivers from it (and bisects a poisonous batch). The
 * index is rebuilt after the ticket records, once, if any record before the stop changed an
 * article; if that fails, the batch is redelivered from the first such record (the ticket
 * records after it are handled again, which they tolerate).
 */
export const processChanges =
  (deps: StreamDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    let firstArticle: DynamoDBRecord | undefined;
    let failure: DynamoDBRecord | undefined;
    for (const record of event.Records) {
      if (!firstArticle && changesIndexedArticle(record)) firstArticle = record;
      try {
        await processRecord(deps, record);
      } catch (error) {
        logger.error('Stream record failed', { error: error as Error, eventID: record.eventID });
        failure = record;
        break;
      }
    }
    if (firstArticle) {
      if (!deps.kb) {
        logger.warn(
          `Articles changed, but ${KB_VARIABLES.bucket} is not set: the search index is not rebuilt`,
        );
      } else {
        try {
          const outcome = await deps.kb.rebuildIndex();
          logger.info('Knowledge-base index rebuilt', { outcome });
        } catch (error) {
          logger.error('Knowledge-base index rebuild failed', { error: error as Error });
          return failed(firstArticle);
        }
      }
    }
    return failure ? failed(failure) : { batchItemFailures: [] };
  };

const streamDepsFromEnv = (): StreamDeps => {
  const db = documentClient();
  const tableName = process.env.TABLE_NAME ?? '';
  const kb = process.env[KB_VARIABLES.bucket]
    ? new S3IndexStore(s3ClientFromEnv(), kbBucketFromEnv())
    : undefined;
  const articles = new DynamoArticleStore(db, tableName);
  return {
    signals: new SfnWorkflowSignals(new SFNClient({}), process.env.WORKFLOW_ARN ?? ''),
    workflows: new DynamoWorkflowStore(db, tableName),
    ...(kb && { kb: { rebuildIndex: () => rebuildIndex(articles, kb) } }),
  };
};

export const handler = processChanges(streamDepsFromEnv());
