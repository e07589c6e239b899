import { DynamoArticleStore, DynamoRequestWindows } from '#shared/kb/adapters/dynamodb';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { clockFromEnv } from '#shared/runtime/clock';
import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { kbBucketFromEnv } from './config.ts';
import { IndexLoader, type IndexSource } from './index-store.ts';
import type { AnonymousKbDeps, KbDeps } from './kb-service.ts';

/**
 * What the knowledge-base handlers run on, wired from the environment once per container: the
 * article store on the stack's table, the index from the KB bucket (loaded on first use).
 */

export const articleStoreFromEnv = (): DynamoArticleStore =>
  new DynamoArticleStore(documentClient(), tableNameFromEnv());

/** For the anonymous routes: the table's request windows that limit each source, and the clock. */
/**
 * For the routes that write articles: the store and the clock, no index. Writing never searches
 * (the stream processor rebuilds the index), so these functions carry no S3 client.
 */
export const articleWriterDepsFromEnv = (): Pick<KbDeps, 'articles' | 'clock'> => ({
  articles: articleStoreFromEnv(),
  clock: clockFromEnv(),
});

export const requestWindowsFromEnv = (): Pick<AnonymousKbDeps, 'windows' | 'clock'> => ({
  windows: new DynamoRequestWindows(documentClient(), tableNameFromEnv()),
  clock: clockFromEnv(),
});

/** For the routes that only search (no table access): the index alone. */
export const kbIndexDepsFromEnv = (): Pick<KbDeps, 'index'> => ({ index: kbIndexFromEnv() });

/**
 * The index of this container, from the KB bucket the stack names (`TIERDESK_KB_BUCKET`). Created
 * on first use, not at import: a function that only sometimes searches (ticket creation's
 * suggestions) loads without the variable and fails softly there.
 */
let containerIndex: IndexLoader | undefined;
export const kbIndexFromEnv = (): IndexSource => ({
  current: () => {
    containerIndex ??= new IndexLoader(new S3IndexStore(s3BucketFromEnv(kbBucketFromEnv())));
    return containerIndex.current();
  },
});
