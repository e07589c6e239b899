import { randomUUID } from 'node:crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type Clock, systemClock } from '#shared/domain/clock';
import {
  ATTACHMENT_PREFIX,
  type AttachmentFile,
  type AttachmentStore,
  RAW_MAIL_PREFIX,
  type RawMailStore,
} from '#shared/email/mail-objects';
import { contentDisposition, headerSafeType, keySafeName } from '#shared/runtime/s3-objects';

/**
 * The mail bucket (`mailBucketFromEnv()`): raw messages as they arrived under `inbound/`,
 * attachments the intake keeps under `attachments/<ticket>/`. Encryption and retention are the
 * bucket's defaults (KMS, lifecycle rules per prefix), so nothing here names a key or a class.
 */

/**
 * Only NoSuchKey: a missing bucket answers 404 too, and is an outage to retry, not a message that
 * is gone. (Without `s3:ListBucket`, S3 answers a missing key with 403, which is retried as well.)
 */
const isMissing = (error: unknown): boolean =>
  error instanceof NoSuchKey || (error as { name?: unknown }).name === 'NoSuchKey';

/**
 * Raw messages in the mail bucket. On AWS only `get` runs (SES writes the object); the local SMTP
 * server `put`s what it receives, keyed by day so that a folder of them reads like a mail spool.
 */
export class S3RawMailStore implements RawMailStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async put(raw: Buffer): Promise<string> {
    const key = `${RAW_MAIL_PREFIX}${this.clock.now().toISOString().slice(0, 10)}/${randomUUID()}.eml`;
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: raw, ContentType: 'message/rfc822' }),
    );
    return key;
  }

  /** Undefined when there is no such object; any other failure (access, network) throws. */
  async get(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) return Buffer.alloc(0);
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}

/** Attachments of received mail, `attachments/<ticket>/<id>/<name>` in the mail bucket. */
export class S3AttachmentStore implements AttachmentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  keyOf(ticket: number, id: string, filename: string): string {
    return `${ATTACHMENT_PREFIX}${ticket}/${id}/${keySafeName(filename)}`;
  }

  async put(key: string, file: AttachmentFile): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: file.content,
        ContentType: headerSafeType(file.contentType),
        // Downloaded, never rendered: an HTML attachment must not run in the bucket's origin.
        ContentDisposition: contentDisposition(file.filename),
      }),
    );
  }
}
