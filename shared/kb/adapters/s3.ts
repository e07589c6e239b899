import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { KB_INDEX_KEY } from '#shared/kb/config';
import type { FetchedIndex, IndexStore } from '#shared/kb/index-store';
import type { ArticleIndex } from '#shared/kb/search-index';

/**
 * The search index in the KB bucket: one gzipped JSON object, written by the stream processor
 * when articles change and read by every searcher (a conditional GET on its ETag: a 304 costs no
 * transfer).
 */

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** When the index was built (the instant its articles were read), as object metadata. */
const BUILT_AT = 'built-at';

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
export class S3IndexStore implements IndexStore {
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
