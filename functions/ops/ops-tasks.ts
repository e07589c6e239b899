import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import { opsDepsFromEnv, streamDeadLetterDepsFromEnv } from '#shared/ops/deps';
import { isStatusChange, recordStatusChange } from '#shared/ops/incidents';
import { runJob, runQueuedJobs, scheduledReconciliation } from '#shared/ops/ops-service';
import { recordStreamDeadLetter } from '#shared/ops/stream-dead-letters';
import { lambdaHandler } from '#shared/runtime/handler';
import { logger } from '#shared/runtime/observability';

/**
 * The ops task function, one for every ops task outside a request: an execution that ended badly
 * (EventBridge "Step Functions Execution Status Change") becomes an incident; the hourly schedule
 * (`{ "task": "reconcile" }`) starts a reconciliation; the minute schedule (`{ "task": "jobs" }`)
 * runs the jobs operators asked for; `{ "jobId" }` runs one; messages of the stream's dead-letter
 * queue (SQS) become dead-letter entries for the reconciliation.
 */
const deps = opsDepsFromEnv();
const streamDeadLetters = streamDeadLetterDepsFromEnv(deps);

const TaskSchema = z.union([
  z.strictObject({ task: z.enum(['reconcile', 'jobs']) }),
  z.strictObject({ jobId: z.string().min(1).max(64) }),
]);

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent)?.Records) &&
  (event as SQSEvent).Records.every((record) => record.eventSource === 'aws:sqs');

/** Each message on its own: one that fails goes back to the queue (partial batch response). */
const deadLetterBatch = async (event: SQSEvent): Promise<SQSBatchResponse> => {
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

export const handler = lambdaHandler('task', async (event: unknown, _context: Context) => {
  if (isStatusChange(event)) return { incident: await recordStatusChange(deps, event) };
  if (isSqsEvent(event)) return deadLetterBatch(event);
  const task = TaskSchema.parse(event);
  if ('jobId' in task) return runJob(deps, task.jobId);
  if (task.task === 'reconcile') {
    const job = await scheduledReconciliation(deps);
    await runJob(deps, job.id);
    return { job: job.id };
  }
  return { ran: await runQueuedJobs(deps) };
});
