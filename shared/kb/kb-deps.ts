import { clockFromEnv } from '#shared/domain/clock';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { DynamoArticleStore } from '#shared/store/dynamo-article-store';
import { kbIndexFromEnv } from './index-store.ts';
import type { KbDeps } from './kb-service.ts';

/**
 * What the knowledge-base handlers run on, wired from the environment once per container: the
 * article store on the stack's table, the index from the KB bucket (loaded on first use).
 */

export const articleStoreFromEnv = (): DynamoArticleStore =>
  new DynamoArticleStore(documentClient(), tableNameFromEnv());

export const kbDepsFromEnv = (): KbDeps => ({
  articles: articleStoreFromEnv(),
  index: kbIndexFromEnv(),
  clock: clockFromEnv(),
});

/** For the routes that only search (no table access): the index alone. */
export const kbIndexDepsFromEnv = (): Pick<KbDeps, 'index'> => ({ index: kbIndexFromEnv() });
