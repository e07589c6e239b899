import { randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '#shared/domain/clock';
import {
  ATTACHMENT_PREFIX,
  type AttachmentFile,
  type AttachmentStore,
  RAW_MAIL_PREFIX,
  type RawMailStore,
} from '#shared/email/mail-objects';
import type { S3Bucket } from '#shared/runtime/s3-bucket';
import { contentDisposition, headerSafeType, keySafeName } from '#shared/runtime/s3-objects';

/**
 * The mail bucket (`mailBucketFromEnv()`): raw messages as they arrived under `inbound/`,
 * attachments the intake keeps under `attachments/<ticket>/`. Encryption and retention are the
 * bucket's defaults (KMS, lifecycle rules per prefix), so nothing here names a key or a class.
 */

/**
 * Raw messages in the mail bucket. On AWS only `get` runs (SES writes the object); the local SMTP
 * server `put`s what it receives, keyed by day so that a folder of them reads like a mail spool.
 */
export class S3RawMailStore implements RawMailStore {
  constructor(
    private readonly bucket: S3Bucket,
    private readonly clock: Clock = systemClock,
  ) {}

  async put(raw: Buffer): Promise<string> {
    const key = `${RAW_MAIL_PREFIX}${this.clock.now().toISOString().slice(0, 10)}/${randomUUID()}.eml`;
    await this.bucket.put(key, raw, { contentType: 'message/rfc822' });
    return key;
  }

  /**
   * Undefined when there is no such object (NoSuchKey); any other failure throws: a missing bucket
   * answers 404 too, and is an outage to retry, not a message that is gone (without
   * `s3:ListBucket`, S3 answers a missing key with 403, which is retried as well).
   */
  async get(key: string): Promise<Buffer | undefined> {
    return (await this.bucket.get(key))?.body;
  }
}

/** Attachments of received mail, `attachments/<ticket>/<id>/<name>` in the mail bucket. */
export class S3AttachmentStore implements AttachmentStore {
  constructor(private readonly bucket: S3Bucket) {}

  keyOf(ticket: number, id: string, filename: string): string {
    return `${ATTACHMENT_PREFIX}${ticket}/${id}/${keySafeName(filename)}`;
  }

  async put(key: string, file: AttachmentFile): Promise<void> {
    await this.bucket.put(key, file.content, {
      contentType: headerSafeType(file.contentType),
      // Downloaded, never rendered: an HTML attachment must not run in the bucket's origin.
      contentDisposition: contentDisposition(file.filename),
    });
  }
}
