import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { changesIndexedArticle } from '#shared/kb/article-changes';
import { KB_VARIABLES } from '#shared/kb/config';
import { type ReportChangeDeps, reportChange } from '#shared/reports/report-changes';
import { logger } from '#shared/runtime/observability';
import { batchResponse, handleInOrder, type StreamRecord } from '#shared/store/stream';
import { reactToTicketChange, type TicketChangeDeps } from '#shared/workflow/ticket-changes';

/**
 * The event backbone: DynamoDB Streams → the stream processor. Ticket changes reach the
 * workflow (`#shared/workflow/ticket-changes`) and the reports (`#shared/reports/report-changes`,
 * which also count quarantined mail and deflections). An article written, changed or deleted makes the
 * knowledge base's search index stale: the index is rebuilt from all articles and saved to the
 * KB bucket, once per batch however many articles the batch changed, and searchers pick it up
 * within seconds.
 */

export interface StreamDeps extends TicketChangeDeps {
  /** Keeps the report figures; absent where reports are not kept (tests of other reactions). */
  reports?: ReportChangeDeps;
  /** Rebuilds and saves the search index; absent where no KB bucket is configured. */
  kb?: { rebuildIndex(): Promise<unknown> };
}

/**
 * Records of one ticket must be handled in order, so the first failure stops the batch and is
 * reported; the event source mapping redelivers from it (and bisects a poisonous batch). The
 * index is rebuilt after the ticket records, once, if any record before the stop changed an
 * article; if that fails, the batch is redelivered from the first such record (the ticket
 * records after it are handled again, which they tolerate).
 */
export const processChanges =
  (deps: StreamDeps) =>
  async (event: Pick<DynamoDBStreamEvent, 'Records'>): Promise<DynamoDBBatchResponse> => {
    let firstArticle: StreamRecord | undefined;
    const failed = await handleInOrder(event.Records, async (record) => {
      if (!firstArticle && changesIndexedArticle(record)) firstArticle = record;
      await reactToTicketChange(deps, record);
      if (deps.reports) await reportChange(deps.reports, record);
    });
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
          return batchResponse(firstArticle);
        }
      }
    }
    return batchResponse(failed);
  };
