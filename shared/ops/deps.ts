import { SFNClient } from '@aws-sdk/client-sfn';
import { logger } from '#shared/runtime/observability';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { workflowArnFromEnv } from '#shared/workflow/config';
import {
  DynamoDeadLetterStore,
  DynamoIncidentStore,
  DynamoJobStore,
  DynamoParkingRecords,
} from './adapters/dynamodb.ts';
import { SfnWorkflowControl } from './adapters/sfn.ts';
import { jobsRunOnSchedule } from './config.ts';
import type { RecorderDeps } from './incidents.ts';
import type { OpsDeps } from './operations.ts';
import { runJob } from './ops-service.ts';

/** What the ops routes and the ops task function run on, wired from the environment once per container. */
export const opsDepsFromEnv = (): OpsDeps & RecorderDeps => {
  const tickets = ticketDepsFromEnv();
  const db = documentClient();
  const tableName = tableNameFromEnv();
  const stateMachineArn = workflowArnFromEnv();
  const deps: OpsDeps & RecorderDeps = {
    tickets: tickets.store,
    parking: new DynamoParkingRecords(db, tableName),
    incidents: new DynamoIncidentStore(db, tableName),
    control: new SfnWorkflowControl(new SFNClient({}), stateMachineArn),
    jobs: new DynamoJobStore(db, tableName),
    deadLetters: new DynamoDeadLetterStore(db, tableName),
    clock: tickets.clock,
    stateMachineArn,
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
