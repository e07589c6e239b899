/**
 * The ticket as the domain sees it. Pure types and rules: nothing here knows about DynamoDB,
 * HTTP or AWS, so the same rules serve the API, the workflow and the email intake.
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

export interface Ticket {
  number: number;
  subject: string;
  description: string;
  requester: string;
  channel: Channel;
  category?: string;
  impact: Level;
  urgency: Level;
  priority: Priority;
  /** True once an agent set the priority by hand: impact/urgency changes then leave it alone. */
  priorityOverridden: boolean;
  status: Status;
  tier: Tier;
  group: string;
  assignee?: string;
  watchers: string[];
  tags: string[];
  /** The next SLA/OLA deadline; the workflow issue fills it, queues order by it. */
  dueAt?: string;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  version: number;
}

export const isUnresolved = (status: Status): boolean => UNRESOLVED_STATUSES.includes(status);

/** The default group of each tier: routing by category (a later capability) may choose another. */
export const defaultGroupOf = (tier: Tier): string => `tier${tier}`;
