import type { Context } from 'aws-lambda';
import { opsDepsFromEnv } from '#shared/ops/deps';
import { isStatusChange, recordStatusChange } from '#shared/ops/incidents';
import { runJob, runQueuedJobs, scheduledReconciliation } from '#shared/ops/ops-service';
import { lambdaHandler } from '#shared/runtime/handler';

/**
 * The ops task function, one for every ops task outside a request: an execution that ended badly
 * (EventBridge "Step Functions Execution Status Change") becomes an incident; the hourly schedule
 * (`{ "task": "reconcile" }`) starts a reconciliation; the minute schedule (`{ "task": "jobs" }`)
 * runs the jobs operators asked for; `{ "jobId" }` runs one.
 */
const deps = opsDepsFromEnv();

export const handler = lambdaHandler('task', async (event: unknown, _context: Context) => {
  if (isStatusChange(event)) return { incident: await recordStatusChange(deps, event) };
  const { task, jobId } = (event ?? {}) as { task?: string; jobId?: string };
  if (jobId) return runJob(deps, jobId);
  if (task === 'reconcile') {
    const job = await scheduledReconciliation(deps);
    await runJob(deps, job.id);
    return { job: job.id };
  }
  if (task === 'jobs') return { ran: await runQueuedJobs(deps) };
  throw new Error(`Not an ops task: ${JSON.stringify(event).slice(0, 200)}`);
});
