import type { Principal } from './principal.ts';
import { owningTier, type Ticket } from './ticket.ts';
import type { Tier } from './ticket-fields.ts';

/**
 * Who may do what. Every rule is a pure function of the principal and the ticket so the whole
 * policy is one table in the unit tests; handlers ask here and never test roles themselves.
 */

const isSupervisorOrAdmin = (p: Principal): boolean => p.roles.has('supervisor') || p.roles.has('admin');

/** Anyone who works tickets: agents of any tier, supervisors, admins. */
export const isStaff = (p: Principal): boolean => p.roles.has('agent') || isSupervisorOrAdmin(p);

/**
 * The highest tier an agent's queues reach. Tier 4 (vendors) is worked by email, and its tickets
 * stay owned by the Tier 3 that handed them off, so Tier 3 agents see Tier 4 too.
 */
const tierCeiling = (p: Principal): number => {
  const highest = Math.max(0, ...p.tiers);
  return highest >= 3 ? 4 : highest;
};

/**
 * The highest tier whose tickets a person works (their tiers and below), or undefined for every
 * tier (supervisors, admins): what a search of every ticket is limited to.
 */
export const tierReach = (p: Principal): number | undefined =>
  isSupervisorOrAdmin(p) ? undefined : p.roles.has('agent') ? tierCeiling(p) : 0;

/** Agents see the tiers they belong to and below; supervisors and admins see every tier. */
export const canWorkTier = (p: Principal, tier: Tier): boolean =>
  isSupervisorOrAdmin(p) || (p.roles.has('agent') && tier <= tierCeiling(p));

const isParticipant = (p: Principal, ticket: Pick<Ticket, 'requester' | 'watchers'>): boolean =>
  ticket.requester === p.id || ticket.watchers.includes(p.id);

/** Staff for this ticket: may read internal notes, write them, and change any field. */
export const isStaffFor = (p: Principal, ticket: Pick<Ticket, 'tier'>): boolean =>
  canWorkTier(p, ticket.tier);

export const canViewTicket = (
  p: Principal,
  ticket: Pick<Ticket, 'tier' | 'requester' | 'watchers'>,
): boolean => isStaffFor(p, ticket) || isParticipant(p, ticket);

export const canComment = (
  p: Principal,
  ticket: Pick<Ticket, 'tier' | 'requester' | 'watchers'>,
  visibility: { public: boolean },
): boolean => (visibility.public ? canViewTicket(p, ticket) : isStaffFor(p, ticket));

/** Internal notes and other staff-only timeline events are shown to staff of the ticket only. */
export const canSeeInternal = (p: Principal, ticket: Pick<Ticket, 'tier'>): boolean => isStaffFor(p, ticket);

/**
 * Whether a person gets the desk's view of a ticket (triage, routing, the desk's people and
 * drafts) or the requester's. The desk's view is for the ticket's staff; its requester and its
 * watchers get the requester's view, even when they are agents of another tier. Staff who are no
 * participant only ever get a ticket beyond their tiers in answer to their own action (their
 * escalation moved it on): they keep the desk's view of what they did.
 */
export const seesDeskView = (
  p: Principal,
  ticket: Pick<Ticket, 'tier' | 'requester' | 'watchers'>,
): boolean => isStaffFor(p, ticket) || (isStaff(p) && !isParticipant(p, ticket));

export const TICKET_FIELDS = [
  'subject',
  'impact',
  'urgency',
  'priority',
  'category',
  'tags',
  'assignee',
  'watchers',
] as const;
export type TicketField = (typeof TICKET_FIELDS)[number];

/**
 * A requester may correct the subject of their own ticket and choose who is copied on it (whom
 * they may name: `canNameWatcher`); impact and urgency are theirs to set when filing, after that
 * triage belongs to the desk. Watchers change nothing.
 */
export const updatableFields = (
  p: Principal,
  ticket: Pick<Ticket, 'tier' | 'requester' | 'watchers'>,
): ReadonlySet<TicketField> => {
  if (isStaffFor(p, ticket)) return new Set(TICKET_FIELDS);
  if (ticket.requester === p.id) return new Set(['subject', 'watchers']);
  return new Set();
};

/**
 * Whom a person may name as a watcher of a ticket they file: a watcher receives the desk's
 * replies, so a requester may copy colleagues (addresses of the organization's own mail domains)
 * but cannot turn the desk into a mailer to strangers. The desk may copy anyone (a vendor
 * contact, an outside partner of the requester).
 */
export const canNameWatcher = (p: Principal, address: string, orgDomains: readonly string[]): boolean =>
  isStaff(p) || orgDomains.includes(address.slice(address.lastIndexOf('@') + 1).toLowerCase());

/** Filing on behalf of someone else (phone call, walk-in) is a desk task. */
export const canFileOnBehalf = (p: Principal): boolean => isStaff(p);

/** The "assigned to me" list is for those who can be assigned. */
export const canViewAssigned = (p: Principal): boolean => isStaff(p);

export const canManageUsers = (p: Principal): boolean => p.roles.has('admin');

/** The desk's configuration: admins change it, supervisors may read it (and try a policy out). */
export const canChangeConfig = (p: Principal): boolean => p.roles.has('admin');
export const canReadConfig = (p: Principal): boolean => isSupervisorOrAdmin(p);
/** Operating the ticket workflows (list, redrive, restart, reconcile): on-call ops, supervisors, admins. */
export const canOperate = (p: Principal): boolean => p.roles.has('ops') || isSupervisorOrAdmin(p);
/** The service-level reports: supervisors and admins. */
export const canReadReports = (p: Principal): boolean => isSupervisorOrAdmin(p);

// ---- lifecycle actions (the state each needs is checked in `lifecycle.ts`) ------------------

/** An agent who belongs to the tier that owns the ticket (Tier 3 for a ticket with a vendor). */
const isAgentOfTicketTier = (p: Principal, ticket: Pick<Ticket, 'tier'>): boolean =>
  p.roles.has('agent') && p.tiers.includes(owningTier(ticket.tier));

/**
 * Escalation hands the work order to the next tier: only the tier that did the work may write
 * it. An agent of Tier 2 who can see a Tier 1 ticket takes it over by PATCH, not by escalating.
 */
export const canEscalate = (p: Principal, ticket: Pick<Ticket, 'tier'>): boolean =>
  isSupervisorOrAdmin(p) || isAgentOfTicketTier(p, ticket);

/** Hand-off to a vendor is a Tier 3 decision. */
export const canHandOff = (p: Principal): boolean =>
  isSupervisorOrAdmin(p) || (p.roles.has('agent') && p.tiers.includes(3));

/** Pending, resolve, close, vendor updates, and reopening at any time. */
export const canWorkTicket = (p: Principal, ticket: Pick<Ticket, 'tier'>): boolean => isStaffFor(p, ticket);

/**
 * Who may reopen a resolved ticket, by the reopen action or by a reply within the window: its
 * requester (the lifecycle holds them to the reopen window) and its staff (at any time). A
 * watcher is copied on the conversation but does not own the request: whether it is solved is
 * the requester's call, so a watcher's reply to a resolved ticket is recorded and reopens nothing.
 */
export const canReopen = (p: Principal, ticket: Pick<Ticket, 'tier' | 'requester'>): boolean =>
  isStaffFor(p, ticket) || ticket.requester === p.id;

/**
 * Who of a merged duplicate's people comes along to the target as a watcher. Watching shows the
 * whole ticket — its description, the requester's words, the desk's answers to them — so only
 * when one requester filed both tickets do the duplicate's watchers (that requester's own choice
 * of people to copy) move over. A duplicate of another requester's ticket keeps its people: they
 * keep their own ticket, closed with a pointer to the target, with their words and the desk's
 * replies to them, and see nothing of a stranger's request; the target's agents see who they are.
 */
export const joiningOnMerge = (
  duplicate: Pick<Ticket, 'requester' | 'watchers'>,
  target: Pick<Ticket, 'requester' | 'watchers'>,
): string[] =>
  duplicate.requester === target.requester
    ? [...new Set(duplicate.watchers)].filter(
        (email) => email !== target.requester && !target.watchers.includes(email),
      )
    : [];

/** Merging touches both tickets: the agent must work both. */
export const canMerge = (
  p: Principal,
  duplicate: Pick<Ticket, 'tier'>,
  target: Pick<Ticket, 'tier'>,
): boolean => isStaffFor(p, duplicate) && isStaffFor(p, target);

/**
 * Which side of the conversation a public comment is on. The requester is always the requester
 * (an agent filing for themself still waits for an answer); other staff reply as the desk; a
 * watcher who is not staff speaks for the requester.
 */
export const conversationSide = (
  p: Principal,
  ticket: Pick<Ticket, 'tier' | 'requester'>,
): 'requester' | 'desk' => (ticket.requester !== p.id && isStaffFor(p, ticket) ? 'desk' : 'requester');
