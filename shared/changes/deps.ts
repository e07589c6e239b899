import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { kbBucketIfSet } from '#shared/kb/config';
import { DynamoReportStore } from '#shared/reports/adapters/dynamodb';
import { onFirstUse } from '#shared/runtime/lazy';
import { SFNClient } from '#shared/runtime/sfn';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import { workflowArnFromEnv } from '#shared/workflow/config';
import type { StreamDeps } from './process-changes.ts';

/** What the stream processor runs on, wired from the environment once per container. */
export const streamDepsFromEnv = (): StreamDeps => {
  const db = documentClient();
  const tableName = tableNameFromEnv();
  const bucket = kbBucketIfSet();
  return {
    signals: new SfnWorkflowSignals(new SFNClient({}), workflowArnFromEnv()),
    workflows: new DynamoWorkflowStore(db, tableName),
    reports: {
      reports: new DynamoReportStore(db, tableName),
      config: configReader(new DynamoConfigStore(db, tableName), { ttlMs: 60_000 }),
    },
    // Articles change rarely next to tickets: the rebuild's module (S3 client, Markdown parser,
    // MiniSearch) loads on the first batch that changed one.
    ...(bucket && {
      kb: {
        rebuildIndex: onFirstUse(async () =>
          (await import('#shared/kb/index-rebuild')).indexRebuilder(db, tableName, bucket),
        ),
      },
    }),
  };
};
