import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { DynamoArticleStore } from '#shared/kb/adapters/dynamodb';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { kbBucketIfSet } from '#shared/kb/config';
import { rebuildIndex } from '#shared/kb/index-build';
import { DynamoReportStore } from '#shared/reports/adapters/dynamodb';
import { s3ClientFromEnv } from '#shared/runtime/s3-client';
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
  const articles = new DynamoArticleStore(db, tableName);
  const index = bucket ? new S3IndexStore(s3ClientFromEnv(), bucket) : undefined;
  return {
    signals: new SfnWorkflowSignals(new SFNClient({}), workflowArnFromEnv()),
    workflows: new DynamoWorkflowStore(db, tableName),
    reports: {
      reports: new DynamoReportStore(db, tableName),
      config: configReader(new DynamoConfigStore(db, tableName), { ttlMs: 60_000 }),
    },
    ...(index && { kb: { rebuildIndex: () => rebuildIndex(articles, index) } }),
  };
};
