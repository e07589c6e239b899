/**
 * Timeline events: the append-only history of a ticket. Each is written in the same transaction
 * as the ticket change it records, so the timeline can never disagree with the ticket.
 */

export const EVENT_TYPES = ['created', 'comment', 'updated'] as const;
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
}

/** An event before the store gives it its id. */
export type NewTimelineEvent = Omit<TimelineEvent, 'id'>;
