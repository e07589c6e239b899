import { streamDepsFromEnv } from '#shared/changes/deps';
import { processChanges } from '#shared/changes/process-changes';
import { lambdaHandler } from '#shared/runtime/handler';

/** DynamoDB Streams → ticket workflows started and woken, the search index rebuilt (`#shared/changes`). */
export const handler = lambdaHandler('stream', processChanges(streamDepsFromEnv()));
