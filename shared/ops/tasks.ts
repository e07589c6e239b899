import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { isStatusChange, type RecorderDeps, recordStatusChange } from './incidents.ts';
import type { OpsDeps } from './operations.ts';
import { runJob, runQueuedJobs, scheduledReconciliation } from './ops-service.ts';
import { recordStreamDeadLetter, type StreamDeadLetterDeps } from './stream-dead-letters.ts';

/**
 * Every ops task outside a request, by the event that asks for it: an execution that ended badly
 * (EventBridge "Step Functions Execution Status Change") becomes an incident; the hourly schedule
 * (`{ "task": "reconcile" }`) starts a reconciliation; the minute schedule (`{ "task": "jobs" }`)
 * runs the jobs operators asked for; `{ "jobId" }` runs one; messages of the stream's dead-letter
 * queue (SQS) become dead-letter entries for the reconciliation.
 */

const TaskSchema = /* @__PURE__ */ z.built(() =>
  z.union([
    z.strictObject({ task: z.enum(['reconcile', 'jobs']) }),
    z.strictObject({ jobId: z.string().check(z.minLength(1), z.maxLength(64)) }),
  ]),
);

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent)?.Records) &&
  (event as SQSEvent).Records.every((record) => record.eventSource === 'aws:sqs');

/** Each message on its own: one that fails goes back to the queue (partial batch response). */
const deadLetterBatch = async (
  streamDeadLetters: StreamDeadLetterDeps,
  event: SQSEvent,
): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await recordStreamDeadLetter(streamDeadLetters, record);
    } catch (error) {
      logger.error('Stream dead letter not recorded', { messageId: record.messageId, error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};

export const opsTasks =
  (deps: OpsDeps & RecorderDeps, streamDeadLetters: StreamDeadLetterDeps) =>
  async (event: unknown): Promise<unknown> => {
    if (isStatusChange(event)) return { incident: await recordStatusChange(deps, event) };
    if (isSqsEvent(event)) return deadLetterBatch(streamDeadLetters, event);
    const task = TaskSchema.parse(event);
    if ('jobId' in task) return runJob(deps, task.jobId);
    if (task.task === 'reconcile') {
      const job = await scheduledReconciliation(deps);
      await runJob(deps, job.id);
      return { job: job.id };
    }
    return { ran: await runQueuedJobs(deps) };
  };
