/**
 * Timeline events: the append-only history of a ticket. Each is written in the same transaction
 * as the ticket change it records, so the timeline can never disagree with the ticket.
 */

export const EVENT_TYPES = [
  /**
   * From a mail: `data.mail` ({ messageId, autoReply, reasons }: may Tierdesk answer it
   * automatically, and why not) and `data.attachments` (kept files, or skipped ones with the reason).
   */
  'created',
  /**
   * A public reply or an internal note; the text is the `body`. From a mail: `data.mail` and
   * `data.attachments` as on `created`; a vendor desk's automatic answer is an internal comment
   * with `data.automated`.
   */
  'comment',
  /** Field changes (`changes`), by PATCH or as a side effect (a first reply opens a new ticket). */
  'updated',
  /** `data`: fromTier, toTier, reason, summary, automatic, trigger (automatic only). */
  'escalated',
  /** Waiting on the requester; `data.reason`. */
  'pending',
  /** A requester's reply ended `pending`; `data.trigger`. */
  'resumed',
  /** `data.resolution`. */
  'resolved',
  /** Back to `open` after `resolved`; `data.trigger` (`request` or `requester_reply`), `data.reason`. */
  'reopened',
  /** `data.reason` (a CloseReason), `data.note`. */
  'closed',
  /** Tier 3 → Tier 4, internal: `data.vendorId`, `data.vendorName`, `data.message` (for the vendor). */
  'handoff',
  /** The public side of a hand-off: `data.vendorName`. */
  'on_hold',
  /**
   * A vendor's answer, internal: `data.vendorId`, `data.message`, `data.resolved` (by an agent
   * through the API, or by the vendor's own mail, whose actor is the vendor's address).
   */
  'vendor_update',
  /** On the duplicate `data.into`; on the target (internal) `data.from` and what was carried over. */
  'merged',
  /** Automatic assignment: `data.assignee`, `data.mode`, `data.group`. */
  'assigned',
  /**
   * Mail of the ticket could not be delivered, internal: `data.messageId` (of the bounce),
   * `data.originalMessageId`, `data.recipients` (address, action, status, diagnostic).
   */
  'mail_bounced',
  /**
   * An operator acted on the ticket's workflow, internal: `data.action` (redrive, restart,
   * reconcile.*), `data.by`, and what the action found (`execution`, `reason`, `job`).
   */
  'operator_action',
  /**
   * The requester's satisfaction answer: `data.score` (1–5), `data.comment`, `data.channel`
   * (`link`, `mail`, `portal`), `data.replaces` when it replaces an earlier answer.
   */
  'csat_recorded',
  // Written by the workflow:
  'routed',
  'clock_warning',
  'clock_breach',
  'reminder',
  'notification',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
}

export interface TimelineEvent {
  /** Unique within the ticket and ordered: the version that wrote it, then its index. */
  id: string;
  type: EventType;
  at: string;
  actor: string;
  /** false = internal: shown to the ticket's staff only, never to requesters or by email. */
  public: boolean;
  body?: string;
  changes?: FieldChange[];
  /** The details of an event other than a comment (see EVENT_TYPES); plain JSON. */
  data?: Record<string, unknown>;
}

/** An event before the store gives it its id. */
export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;
