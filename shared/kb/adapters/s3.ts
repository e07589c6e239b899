import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { KB_INDEX_KEY } from '#shared/kb/config';
import type { FetchedIndex, IndexStore } from '#shared/kb/index-store';
import type { ArticleIndex } from '#shared/kb/search-index';
import { type S3Bucket, S3RequestError } from '#shared/runtime/s3-bucket';

/**
 * The search index in the KB bucket: one gzipped JSON object, written by the stream processor
 * when articles change and read by every searcher (a conditional GET on its ETag: a 304 costs no
 * transfer).
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** When the index was built (the instant its articles were read), as object metadata. */
const BUILT_AT = 'built-at';

/** S3 refused a conditional write: another writer replaced the object since we looked at it. */
const isLostRace = (error: unknown): boolean =>
  error instanceof S3RequestError && [409, 412].includes(error.status);

/** How often a conditional write that lost a race looks again before giving up (and failing the batch). */
const SAVE_ATTEMPTS = 3;

/** The S3 adapter of the serialized index. */
export class S3IndexStore implements IndexStore {
  constructor(
    private readonly bucket: S3Bucket,
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
      const current = await this.bucket.head(this.key);
      if (current && builtAtOf(current.metadata) > builtAt.getTime()) return false;
      try {
        await this.bucket.put(this.key, body, {
          contentType: 'application/gzip',
          metadata: { [BUILT_AT]: builtAt.toISOString() },
          ...(current ? { ifMatch: current.etag } : { ifNoneMatch: '*' }),
        });
        return true;
      } catch (error) {
        if (!isLostRace(error) || attempt >= SAVE_ATTEMPTS) throw error;
      }
    }
  }

  /** The stored index, unless it is still the one with this ETag. */
  async fetch(ifNoneMatch?: string): Promise<FetchedIndex> {
    const found = await this.bucket.getIfChanged(this.key, ifNoneMatch);
    if (found === 'unchanged') return { kind: 'unchanged' };
    if (!found) return { kind: 'missing' };
    if (!found.etag) throw new Error(`s3://${this.bucket.name}/${this.key} came back without an ETag`);
    return { kind: 'found', etag: found.etag, json: (await gunzipAsync(found.body)).toString('utf8') };
  }
}

/** The build instant in the object's metadata; 0 (older than any build) when it has none. */
const builtAtOf = (metadata: Readonly<Record<string, string>>): number => {
  const builtAt = Date.parse(metadata[BUILT_AT] ?? '');
  return Number.isNaN(builtAt) ? 0 : builtAt;
};
