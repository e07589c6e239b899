import type { TicketClocks } from './service-levels.ts';
import {
  type Channel,
  type CloseReason,
  type CsatAnswer,
  type Level,
  type Priority,
  type Status,
  type Tier,
  UNRESOLVED_STATUSES,
} from './ticket-fields.ts';

/**
 * The ticket as the domain sees it. Pure types and rules: nothing here knows about DynamoDB,
 * HTTP or AWS, so the same rules serve the API, the workflow and the email intake.
 */

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
  /** Clock facts and the pinned policy: what the SLA/OLA/UC clocks are computed from. */
  clocks: TicketClocks;
  /** The vendor a Tier 3 agent handed the ticket to (kept after the vendor answered). */
  vendorId?: string;
  /** What the desk waits for from the requester, while `pending`. */
  pendingReason?: string;
  /** While `resolved` or `closed` after a resolution. */
  resolution?: string;
  resolvedAt?: string;
  closedAt?: string;
  closeReason?: CloseReason;
  /** The ticket a duplicate was merged into. */
  mergedInto?: number;
  /**
   * Knowledge-base articles linked to the ticket, by id: the article that solved it (self-served)
   * or the draft its fix was documented in.
   */
  linkedArticles?: string[];
  /** The requester's satisfaction answer, once given (see `csat.ts`). */
  csat?: CsatAnswer;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  version: number;
}

export const isUnresolved = (status: Status): boolean => UNRESOLVED_STATUSES.includes(status);

/** The default group of each tier: routing by category may choose another. */
export const defaultGroupOf = (tier: Tier): string => `tier${tier}`;

/** Tier 4 (a vendor) works by email; its tickets stay owned by the Tier 3 that handed them off. */
export const owningTier = (tier: Tier): 1 | 2 | 3 => (tier === 4 ? 3 : tier);

/** How a group hands out its tickets: by hand, in turn, or to whoever has the fewest open. */
export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'least_loaded'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

/** A tier group (configuration): its agents are the directory's agents of its tier. */
export interface TierGroup {
  id: string;
  tier: 1 | 2 | 3;
  name: string;
  assignment: AssignmentMode;
}

/** Category routing (configuration): tickets whose category starts with the prefix start here. */
export interface RoutingRule {
  /** A category or a category folder: `network` matches `network` and `network/vpn`. */
  categoryPrefix: string;
  tier: 1 | 2 | 3;
  group: string;
}

/** The rule with the longest prefix that matches the category, if any. */
export const routeFor = (
  rules: readonly RoutingRule[],
  category: string | undefined,
): RoutingRule | undefined => {
  if (category === undefined) return undefined;
  const matches = (prefix: string) =>
    category === prefix || category.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
  return rules
    .filter((rule) => matches(rule.categoryPrefix))
    .sort((a, b) => b.categoryPrefix.length - a.categoryPrefix.length)[0];
};
