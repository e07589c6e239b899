import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import type { DynamoDBDocumentClient } from '#shared/store/sdk';
import { DynamoArticleStore } from './adapters/dynamodb.ts';
import { S3IndexStore } from './adapters/s3.ts';
import { rebuildIndex } from './index-build.ts';

/**
 * The search index rebuild as the stream processor runs it: every article from the table,
 * rendered to text and indexed, saved to the KB bucket. Articles change rarely next to tickets, so
 * the processor imports this module (Markdown parser, MiniSearch) on the first batch
 * that changed an article, not at every cold start (`#shared/changes/deps`).
 */
export const indexRebuilder = (db: DynamoDBDocumentClient, tableName: string, bucket: string) => {
  const articles = new DynamoArticleStore(db, tableName);
  const index = new S3IndexStore(s3BucketFromEnv(bucket));
  return () => rebuildIndex(articles, index);
};
