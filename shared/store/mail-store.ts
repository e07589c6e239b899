/**
 * The port to what the email channel records beside tickets: Message-IDs for threading, the
 * dedupe claim of each inbound mail, quarantined mail, and the daily count of automatic mails per
 * address. The DynamoDB adapter is `dynamo-mail-store.ts`.
 */

export type MessageDirection = 'in' | 'out';

export interface QuarantineRecord {
  reason: string;
  detail: string;
  /** Where the raw message is kept (S3 key, or a local file name): the evidence. */
  rawKey: string;
  from?: string;
  subject?: string;
  messageId?: string;
  at: string;
}

export interface MailStore {
  /** Records that a mail with this (normalized) Message-ID belongs to a ticket. First write wins. */
  recordMessageId(messageId: string, ticket: number, direction: MessageDirection): Promise<void>;
  ticketByMessageId(messageId: string): Promise<number | undefined>;
  /**
   * Claims an inbound mail by its dedupe key; false when an earlier delivery claimed it already.
   * `rawKey` names the delivery that holds the claim.
   */
  claimInbound(dedupeKey: string, rawKey: string): Promise<boolean>;
  /** Gives up a claim whose processing failed, so a redelivery is handled rather than lost. */
  releaseInbound(dedupeKey: string): Promise<void>;
  quarantine(record: QuarantineRecord): Promise<void>;
  /** Newest first. */
  quarantined(limit: number): Promise<QuarantineRecord[]>;
  /** Counts one automatic mail to an address today; returns the count after it. */
  countAutomaticMail(address: string): Promise<number>;
  automaticMailsToday(address: string): Promise<number>;
}
