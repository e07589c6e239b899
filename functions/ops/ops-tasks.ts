import { opsDepsFromEnv, streamDeadLetterDepsFromEnv } from '#shared/ops/deps';
import { opsTasks } from '#shared/ops/tasks';
import { lambdaHandler } from '#shared/runtime/handler';

/**
 * The ops task function (`shared/ops/tasks.ts`): execution status changes, the reconciliation and
 * job schedules, and the stream's dead-letter queue.
 */
const deps = opsDepsFromEnv();

export const handler = lambdaHandler('task', opsTasks(deps, streamDeadLetterDepsFromEnv(deps)));
