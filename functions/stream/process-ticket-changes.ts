import { SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Ticket } from '#shared/domain/ticket';
import { logger } from '#shared/observability';
import { documentClient } from '#shared/store/client';
import { WorkflowStore } from '#shared/store/workflow-store';
import { WorkflowSignals } from '#shared/workflow/signals';
import { wakeReasons } from '#shared/workflow/wake';

/**
 * The event backbone: DynamoDB Streams → this function. A new ticket starts its workflow; a
 * change that matters wakes the parked workflow (SendTaskSuccess to the stored token). At least
 * once and idempotent: a repeated start finds the execution running, a repeated wake finds the
 * token stale, and the workflow re-reads the ticket whatever woke it.
 */

export interface StreamDeps {
  signals: Pick<WorkflowSignals, 'start' | 'wake'>;
  workflows: Pick<WorkflowStore, 'parked'>;
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

/**
 * Records of one ticket must be handled in order, so the first failure stops the batch and is
 * reported; the event source mapping redelivers from it (and bisects a poisonous batch).
 */
export const processChanges =
  (deps: StreamDeps) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      try {
        await processRecord(deps, record);
      } catch (error) {
        logger.error('Stream record failed', { error: error as Error, eventID: record.eventID });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };

const streamDepsFromEnv = (): StreamDeps => {
  const db = documentClient();
  return {
    signals: new WorkflowSignals(new SFNClient({}), process.env.WORKFLOW_ARN ?? ''),
    workflows: new WorkflowStore(db, process.env.TABLE_NAME ?? ''),
  };
};

export const handler = processChanges(streamDepsFromEnv());
