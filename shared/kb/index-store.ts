import { logger } from '#shared/runtime/observability';
import { ArticleIndex, IndexFormatError } from './search-index.ts';

/**
 * Where the search index lives between the function that builds it (the stream processor, when
 * articles change) and the functions that search it: one serialized index (on AWS a gzipped JSON
 * object in the KB bucket, `adapters/s3.ts`). Searchers load it once per container and then ask,
 * at most every few seconds, whether it changed; no query reads the table.
 */

export type FetchedIndex =
  | { kind: 'missing' }
  | { kind: 'unchanged' }
  | { kind: 'found'; etag: string; json: string };

/** The port to the stored index. */
export interface IndexStore {
  /** Writes the index unless a later build is stored; false when one was. */
  save(index: ArticleIndex, options?: { builtAt?: Date }): Promise<boolean>;
  /** The stored index, unless it is still the one with this ETag. */
  fetch(ifNoneMatch?: string): Promise<FetchedIndex>;
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

const DEFAULT_INDEX_REFRESH_MS = 5_000;

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
    private readonly store: Pick<IndexStore, 'fetch'>,
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
        this.index = ArticleIndex.empty();
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
      return this.index ?? ArticleIndex.empty();
    }
  }
}
