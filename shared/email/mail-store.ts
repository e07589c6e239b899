import type { SenderAuth } from './sender-auth.ts';

/**
 * The port to what the email channel records beside tickets: Message-IDs for threading, the
 * dedupe claim of each inbound mail, quarantined mail, the daily count of automatic mails per
 * address and the addresses no automatic mail may go to, and for outbound mail each ticket's
 * thread and the claim of every mail sent. The DynamoDB adapter is `adapters/dynamodb.ts`.
 */

export type MessageDirection = 'in' | 'out';

export interface QuarantineRecord {
  reason: string;
  detail: string;
  /** What the sender's authentication said, when the sender-authentication policy quarantined it. */
  auth?: SenderAuth;
  /** Where the raw message is kept (S3 key, or a local file name): the evidence. */
  rawKey: string;
  from?: string;
  subject?: string;
  messageId?: string;
  at: string;
}

/** A kind of notice (its template) to one person about one ticket. */
export interface StaffNotice {
  ticket: number;
  address: string;
  kind: string;
}

/** The three items an automatic mail reads before it is sent. */
export interface AutomaticMailState {
  suppression?: MailSuppression;
  sentToday: number;
  thread?: MailThread;
}

export interface MailStore {
  /** Records that a mail with this (normalized) Message-ID belongs to a ticket. First write wins. */
  recordMessageId(messageId: string, ticket: number, direction: MessageDirection): Promise<void>;
  ticketByMessageId(messageId: string): Promise<number | undefined>;
  /** The ticket of a mail Tierdesk sent with this Message-ID; undefined for ids of inbound mail. */
  ticketBySentMessageId(messageId: string): Promise<number | undefined>;
  /**
   * The conversation of a ticket a mail Tierdesk sent belongs to (requester, vendor or staff);
   * undefined for an id Tierdesk did not send. A reply to a staff notice must not become a
   * public comment, nor a reply in the vendor's conversation from someone else.
   */
  conversationOf(messageId: string): Promise<MailThreadParty | undefined>;
  /** The template of the mail Tierdesk sent with this Message-ID (`csat`: a reply answers the survey). */
  templateOf(messageId: string): Promise<string | undefined>;
  /**
   * Claims an inbound mail by its dedupe key (`rawKey` names the delivery that holds it):
   * `claimed`; `done` when an earlier delivery was carried out; `busy` while another delivery
   * that may still be running holds it. A claim left by a run that died (a timeout, a crash) is
   * taken over once it is older than any run can last, so the mail is not lost with it.
   */
  claimInbound(dedupeKey: string, rawKey: string): Promise<InboundClaimResult>;
  /** The claimed mail was carried out (or quarantined): a later delivery of it is a duplicate. */
  completeInbound(dedupeKey: string): Promise<void>;
  /** Gives up a claim whose processing failed, so a redelivery is handled rather than lost. */
  releaseInbound(dedupeKey: string): Promise<void>;
  quarantine(record: QuarantineRecord): Promise<void>;
  /** Newest first. */
  quarantined(limit: number): Promise<QuarantineRecord[]>;
  /** Counts one automatic mail to an address today; returns the count after it. */
  countAutomaticMail(address: string): Promise<number>;
  automaticMailsToday(address: string): Promise<number>;
  /**
   * Claims the one notice a person may get about a ticket within `windowMs` (a burst of replies
   * makes one notice). The same event claims again (a redelivered record is not throttled by its
   * own first attempt); another event within the window does not.
   */
  claimStaffNotice(notice: StaffNotice, eventId: string, windowMs: number): Promise<boolean>;

  /**
   * No automatic mail to this address until `until` (loop detection flagged it). A suppression
   * already running longer is kept.
   */
  suppressAutomaticMail(address: string, reasons: readonly string[], until: Date): Promise<void>;
  /** The suppression in force for this address now, if any. */
  automaticMailSuppressed(address: string): Promise<MailSuppression | undefined>;

  /** What a conversation of the ticket answers to so far; undefined before its first mail. */
  mailThread(thread: MailThreadRef): Promise<MailThread | undefined>;
  /**
   * What an automatic mail to `address` in `thread` depends on — the suppression in force, the
   * automatic mails sent to the address today, the thread — in one request (they are independent
   * items).
   */
  automaticMailState(address: string, thread: MailThreadRef): Promise<AutomaticMailState>;
  /**
   * A mail of the conversation arrived (the original request, a reply by mail): the next outbound
   * mail answers it. A redelivered older event does not move the thread back.
   */
  recordInboundInThread(thread: MailThreadRef, mail: InboundThreadMail): Promise<void>;
  /**
   * Claims the mail an event calls for, to one recipient, before it is sent: `claimed`; `sent`
   * when it went out already; `busy` while another run that may still be alive holds it. A
   * claim left by a run that died before sending is taken over once it is older than any run
   * can last.
   */
  claimOutbound(claim: OutboundClaim): Promise<OutboundClaimResult>;
  /** Gives a claim up after a failed send, so the retried stream record sends the mail. */
  releaseOutbound(claim: OutboundClaim): Promise<void>;
  /**
   * After the send, in one write: the claim marked sent, the mail's Message-IDs recorded for
   * threading, the thread moved on to it, and (automatic mail) the recipient's daily count.
   */
  recordOutbound(sent: SentMailRecord): Promise<void>;
}

export interface MailSuppression {
  reasons: string[];
  /** ISO instant. */
  until: string;
}

/**
 * The conversations of a ticket, each threaded on its own: the requester's side (requester and
 * watchers), the vendor, the desk's staff. A vendor's mail must not carry the requester's
 * Message-IDs in its References, nor the other way round.
 */
export const MAIL_THREAD_PARTIES = ['requester', 'vendor', 'staff'] as const;
export type MailThreadParty = (typeof MAIL_THREAD_PARTIES)[number];

export interface MailThreadRef {
  ticket: number;
  party: MailThreadParty;
}

/** Normalized Message-IDs (`normalizeMessageId`), without angle brackets. */
export interface MailThread {
  /** The requester's mail that opened the ticket. */
  original?: string;
  /** The ids of Tierdesk's first mail of the ticket. */
  root: string[];
  /** The ids of the newest mail of the ticket, in or out. */
  latest: string[];
}

export interface InboundThreadMail {
  /** The timeline event that recorded the mail. */
  eventId: string;
  messageId: string;
  /** The mail opened the ticket. */
  original: boolean;
}

export type OutboundClaimResult = 'claimed' | 'sent' | 'busy';
export type InboundClaimResult = 'claimed' | 'done' | 'busy';

export interface OutboundClaim {
  ticket: number;
  eventId: string;
  /** Normalized address. */
  recipient: string;
}

export interface SentMailRecord {
  claim: OutboundClaim;
  /** The conversation the mail belongs to (of the claim's ticket). */
  party: MailThreadParty;
  /** Which mail it was (`csat`, `reply`, …): a reply to the survey is an answer. */
  template?: string;
  /** Every id the recipient may answer to (ours and the one SES put on the mail), normalized. */
  messageIds: string[];
  /** Counts toward the recipient's daily cap of automatic mail. */
  automatic: boolean;
}
