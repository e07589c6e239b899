import type { MailAttachment } from './parse.ts';

/** Where raw messages are kept: SES's S3 action writes `inbound/<SES message id>`. */
export const RAW_MAIL_PREFIX = 'inbound/';
/** Where the intake keeps the attachments it lists on tickets and comments. */
export const ATTACHMENT_PREFIX = 'attachments/';

/** The object SES's S3 action wrote for a received message (`mail.messageId` of the receipt event). */
export const sesRawMailKey = (sesMessageId: string): string => `${RAW_MAIL_PREFIX}${sesMessageId}`;

/**
 * Where received messages are kept as they arrived, before anything reads them: the evidence
 * behind every ticket, comment and quarantine record. On AWS the SES receipt rule's S3 action
 * writes the object; locally the SMTP server writes it through this port into the local S3
 * (`adapters/s3.ts` on s3rver).
 */
export interface RawMailStore {
  /** Keeps the message; returns its key (the `rawKey` the intake records). */
  put(raw: Buffer): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
}

export type AttachmentFile = Pick<MailAttachment, 'filename' | 'contentType' | 'content'>;

/** Where the attachments of received mail are kept (the mail bucket's `attachments/`). */
export interface AttachmentStore {
  /** The key a file of a ticket is kept under; `id` is unique within the ticket. Pure. */
  keyOf(ticket: number, id: string, filename: string): string;
  /** Keeps the file; a second put of the same key replaces it, so a retried mail stores nothing twice. */
  put(key: string, file: AttachmentFile): Promise<void>;
}
