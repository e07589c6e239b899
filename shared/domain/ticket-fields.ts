/**
 * The vocabulary of a ticket's fields: tiers, statuses, channels, levels, priorities, close
 * reasons. Pure values; the ticket itself (`ticket.ts`) and the service levels build on them.
 */

export const TIERS = [1, 2, 3, 4] as const;
export type Tier = (typeof TIERS)[number];

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses that keep a ticket in a tier's work queue. */
export const UNRESOLVED_STATUSES: readonly Status[] = ['new', 'open', 'pending', 'on_hold'];

export const CHANNELS = ['api', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LEVELS = ['high', 'medium', 'low'] as const;
/** Impact and urgency share one scale (ITIL). */
export type Level = (typeof LEVELS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * Why a ticket closed: `resolved` = after its resolution (closed by an agent, or when the reopen
 * window ended); `merged` = a duplicate merged into another ticket; `auto_closed` = pending too
 * long without an answer from the requester.
 */
export const CLOSE_REASONS = ['resolved', 'merged', 'auto_closed'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** How a satisfaction answer came in: the signed link, a mail reply to the survey, the portal. */
export const CSAT_CHANNELS = ['link', 'mail', 'portal'] as const;
export type CsatChannel = (typeof CSAT_CHANNELS)[number];

/** The satisfaction answer kept on the ticket (the timeline keeps every one). */
export interface CsatAnswer {
  score: number;
  comment?: string;
  channel: CsatChannel;
  /** When the first answer came: the replacement window runs from it. */
  firstAt: string;
  at: string;
}
