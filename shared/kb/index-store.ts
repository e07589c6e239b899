import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { logger } from '#shared/observability';
import type { ArticleStore } from '#shared/store/article-store';
import { s3ClientFromEnv } from '#shared/store/s3-client';
import type { Article } from './article.ts';
import { KB_INDEX_KEY, kbBucketFromEnv } from './config.ts';
import { ArticleIndex, IndexFormatError } from './search-index.ts';

/**
 * Where the search index lives between the function that builds it (the stream processor, when
 * articles change) and the functions that search it: one gzipped JSON object in the KB bucket.
 * Searchers load it once per container and then ask S3, at most every few seconds, whether it
 * changed (a conditional GET on its ETag: a 304 costs no transfer); no query reads the table.
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** When the index was built (the instant its articles were read), as object metadata. */
const BUILT_AT = 'built-at';

export type FetchedIndex =
  | { kind: 'missing' }
  | { kind: 'unchanged' }
  | { kind: 'found'; etag: string; json: string };

interface S3Failure {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}
const statusOf = (error: unknown): number | undefined => (error as S3Failure)?.$metadata?.httpStatusCode;
const isMissing = (error: unknown): boolean =>
  ['NoSuchKey', 'NotFound'].includes((error as S3Failure)?.name ?? '') || statusOf(error) === 404;
/** S3 refused a conditional write: another writer replaced the object since we looked at it. */
const isLostRace = (error: unknown): boolean => [409, 412].includes(statusOf(error) ?? 0);

/** How often a conditional write that lost a race looks again before giving up (and failing the batch). */
const SAVE_ATTEMPTS = 3;

/** The S3 adapter of the serialized index. */
export class S3IndexStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string = KB_INDEX_KEY,
  ) {}

  /**
   * Writes the index, unless the object holds one built later. Rebuilds may run side by side
   * (the table's stream has several shards): each reads every article, and the one that read
   * last has seen every change, so an older build must not replace it. The write is conditional
   * on the object's ETag, so of two builds finishing together only one lands, and the other
   * looks again. Returns false when a later build was there.
   */
  async save(index: ArticleIndex, { builtAt = new Date() }: { builtAt?: Date } = {}): Promise<boolean> {
    const body = await gzipAsync(Buffer.from(index.toJSON()));
    for (let attempt = 1; ; attempt++) {
      const current = await this.head();
      if (current && current.builtAt > builtAt.getTime()) return false;
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Body: body,
            ContentType: 'application/gzip',
            Metadata: { [BUILT_AT]: builtAt.toISOString() },
            ...(current ? { IfMatch: current.etag } : { IfNoneMatch: '*' }),
          }),
        );
        return true;
      } catch (error) {
        if (!isLostRace(error) || attempt >= SAVE_ATTEMPTS) throw error;
      }
    }
  }

  /** The stored index, unless it is still the one with this ETag. */
  async fetch(ifNoneMatch?: string): Promise<FetchedIndex> {
    try {
      const { Body, ETag } = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key, IfNoneMatch: ifNoneMatch }),
      );
      if (!Body || !ETag)
        throw new Error(`s3://${this.bucket}/${this.key} came back without a body or an ETag`);
      const json = (await gunzipAsync(await Body.transformToByteArray())).toString('utf8');
      return { kind: 'found', etag: ETag, json };
    } catch (error) {
      if (statusOf(error) === 304) return { kind: 'unchanged' };
      if (isMissing(error)) return { kind: 'missing' };
      throw error;
    }
  }

  private async head(): Promise<{ etag: string; builtAt: number } | undefined> {
    try {
      const { ETag, Metadata } = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.key }),
      );
      const builtAt = Date.parse(Metadata?.[BUILT_AT] ?? '');
      return ETag ? { etag: ETag, builtAt: Number.isNaN(builtAt) ? 0 : builtAt } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

/** What a search needs: the current index. */
export interface IndexSource {
  current(): Promise<ArticleIndex>;
}

export interface IndexLoaderOptions {
  /** How long a loaded index is used before S3 is asked whether it changed (default 5 s). */
  refreshMs?: number;
  /** Monotonic milliseconds; tests move time themselves. */
  now?: () => number;
}

export const DEFAULT_INDEX_REFRESH_MS = 5_000;

/**
 * The index of one container: loaded on first use, then checked for a newer object at most every
 * `refreshMs`. Concurrent callers share one load. When the object does not exist yet (no article
 * written since the bucket was made) the index is empty. A failed check keeps the index already
 * loaded (searches go on, slightly stale) and is tried again after the next interval; only a
 * container that never loaded one fails.
 */
export class IndexLoader implements IndexSource {
  private index?: ArticleIndex;
  private etag?: string;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private loading?: Promise<ArticleIndex>;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Pick<S3IndexStore, 'fetch'>,
    options: IndexLoaderOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? DEFAULT_INDEX_REFRESH_MS;
    this.now = options.now ?? (() => performance.now());
  }

  current(): Promise<ArticleIndex> {
    if (this.index && this.now() - this.checkedAt < this.refreshMs) return Promise.resolve(this.index);
    this.loading ??= this.refresh().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async refresh(): Promise<ArticleIndex> {
    let fetched: FetchedIndex;
    try {
      fetched = await this.store.fetch(this.index ? this.etag : undefined);
    } catch (error) {
      if (!this.index) throw error;
      logger.warn('Knowledge-base index check failed; searching the loaded one', { error: error as Error });
      this.checkedAt = this.now();
      return this.index;
    }
    this.checkedAt = this.now();
    switch (fetched.kind) {
      case 'unchanged':
        return this.index as ArticleIndex;
      case 'missing':
        this.etag = undefined;
        this.index = ArticleIndex.fromArticles([]);
        return this.index;
      case 'found':
        this.etag = fetched.etag;
        this.index = this.parse(fetched.json);
        return this.index;
    }
  }

  /**
   * An index of another format or analyzer version (written before a deploy changed them) cannot
   * be searched: the loaded one (or an empty one) serves until the stream processor writes the
   * next. Its ETag is kept, so the same unusable object is not downloaded again.
   */
  private parse(json: string): ArticleIndex {
    try {
      return ArticleIndex.fromJSON(json);
    } catch (error) {
      if (!(error instanceof IndexFormatError)) throw error;
      logger.error('Knowledge-base index unusable; it is rebuilt when an article next changes', {
        error,
      });
      return this.index ?? ArticleIndex.fromArticles([]);
    }
  }
}

/**
 * The index of this container, from the KB bucket the stack names (`TIERDESK_KB_BUCKET`). Created
 * on first use, not at import: a function that only sometimes searches (ticket creation's
 * suggestions) loads without the variable and fails softly there.
 */
let containerIndex: IndexLoader | undefined;
export const kbIndexFromEnv = (): IndexSource => ({
  current: () => {
    containerIndex ??= new IndexLoader(new S3IndexStore(s3ClientFromEnv(), kbBucketFromEnv()));
    return containerIndex.current();
  },
});

/**
 * Builds the index from every article and saves it: what the stream processor does when articles
 * change. The build time is taken before the articles are read, so it orders builds by what they
 * saw; it is wall-clock time (not the desk's clock, which the local stack may move): it orders
 * physical reads.
 */
export const rebuildIndex = async (
  articles: Pick<ArticleStore, 'allArticles'>,
  target: Pick<S3IndexStore, 'save'>,
): Promise<{ articles: number; saved: boolean }> => {
  const builtAt = new Date();
  const all: Article[] = [];
  for await (const article of articles.allArticles()) all.push(article);
  const saved = await target.save(ArticleIndex.fromArticles(all), { builtAt });
  return { articles: all.length, saved };
};
