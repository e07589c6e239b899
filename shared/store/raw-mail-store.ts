/**
 * Where received messages are kept as they arrived, before anything reads them: the evidence
 * behind every ticket, comment and quarantine record. On AWS the SES receipt rule's S3 action
 * writes the object; locally the SMTP server writes it through this port (a folder adapter,
 * `infra/local/folder-raw-mail-store.ts`).
 */
export interface RawMailStore {
  /** Keeps the message; returns its key (the `rawKey` the intake records). */
  put(raw: Buffer): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
}
