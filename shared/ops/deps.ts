import { onFirstUse } from '#shared/runtime/lazy';
import { logger } from '#shared/runtime/observability';
import { SFNClient } from '#shared/runtime/sfn';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { workflowArnFromEnv } from '#shared/workflow/config';
import {
  DynamoDeadLetterStore,
  DynamoIncidentStore,
  DynamoJobStore,
  DynamoParkingRecords,
  ticketsOfStreamKeys,
} from './adapters/dynamodb.ts';
import { SfnWorkflowControl } from './adapters/sfn.ts';
import { jobsRunOnSchedule } from './config.ts';
import type { RecorderDeps } from './incidents.ts';
import type { OpsDeps } from './operations.ts';
import { runJob } from './ops-service.ts';
import type { StreamDeadLetterDeps } from './stream-dead-letters.ts';

/** What the ops routes and the ops task function run on, wired from the environment once per container. */
export const opsDepsFromEnv = (): OpsDeps & RecorderDeps & Omit<StreamDeadLetterDeps, 'reader'> => {
  const tickets = ticketDepsFromEnv();
  const db = documentClient();
  const tableName = tableNameFromEnv();
  const stateMachineArn = workflowArnFromEnv();
  const deps: OpsDeps & RecorderDeps & Omit<StreamDeadLetterDeps, 'reader'> = {
    tickets: tickets.store,
    parking: new DynamoParkingRecords(db, tableName),
    incidents: new DynamoIncidentStore(db, tableName),
    control: new SfnWorkflowControl(new SFNClient({}), stateMachineArn),
    jobs: new DynamoJobStore(db, tableName),
    deadLetters: new DynamoDeadLetterStore(db, tableName),
    clock: tickets.clock,
    stateMachineArn,
    ticketsOf: ticketsOfStreamKeys,
    launcher: {
      launch: async (id) => {
        if (jobsRunOnSchedule()) return;
        // In-process: the answer (202) goes out while the job runs on in this process.
        runJob(deps, id).catch((error: unknown) => logger.error('Ops job crashed', error as Error));
      },
    },
  };
  return deps;
};

/**
 * The stream's dead-letter consumer (the ops task function on AWS): the ops deps and the stream.
 * A batch reaches the dead-letter queue only when the stream processor gave up on it, so the
 * DynamoDB Streams client is a chunk of its own, loaded by the first such batch rather than at
 * every cold start of the function that mostly records execution status changes.
 */
export const streamDeadLetterDepsFromEnv = (
  deps: Omit<StreamDeadLetterDeps, 'reader'>,
): StreamDeadLetterDeps => ({
  ...deps,
  reader: {
    keysInRange: onFirstUse(async () => {
      const { dynamoStreamReader } = await import('./adapters/dynamodb-streams.ts');
      const reader = dynamoStreamReader();
      return (range) => reader.keysInRange(range);
    }),
  },
});
