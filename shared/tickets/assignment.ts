import { assignAutomatically, type Transition } from '#shared/domain/lifecycle';
import { type AssignmentMode, isUnresolved, owningTier, type Ticket } from '#shared/domain/ticket';
import type { Tier } from '#shared/domain/ticket-fields';
import type { DirectoryUser } from './directory.ts';
import type { TicketDeps } from './ticket-service.ts';
import type { MutateResult } from './ticket-store.ts';

/**
 * Automatic assignment inside a tier group, by the group's `assignment` setting. The workflow
 * calls `autoAssign` whenever a ticket enters a tier (triage, escalation); manual groups are left
 * to their agents (PATCH assignee).
 */

export type AutomaticMode = Exclude<AssignmentMode, 'manual'>;

export interface AssignmentContext {
  /** The group's round-robin turn (1, 2, 3, …): turn n goes to candidate (n - 1) mod count. */
  turn?: number;
  /** Unresolved tickets assigned to each candidate. */
  loads?: ReadonlyMap<string, number>;
}

/**
 * Who gets the ticket, from candidates in a stable order (by email). Least-loaded breaks ties
 * by that order too, so the same state always picks the same person.
 */
export const pickAssignee = (
  mode: AutomaticMode,
  candidates: readonly string[],
  context: AssignmentContext,
): string | undefined => {
  if (candidates.length === 0) return undefined;
  if (mode === 'round_robin') {
    const turn = context.turn ?? 1;
    return candidates[(((turn - 1) % candidates.length) + candidates.length) % candidates.length];
  }
  const load = (email: string) => context.loads?.get(email) ?? 0;
  return candidates.reduce((best, email) => (load(email) < load(best) ? email : best));
};

/** Away now: within their out-of-office window (either end open). */
const isAway = (user: Pick<DirectoryUser, 'outOfOffice'>, at: Date): boolean => {
  const away = user.outOfOffice;
  if (!away || (away.from === undefined && away.until === undefined)) return false;
  const now = at.getTime();
  return (
    (away.from === undefined || Date.parse(away.from) <= now) &&
    (away.until === undefined || now < Date.parse(away.until))
  );
};

/**
 * Who may get a ticket of the group now: its agents who are active and not away. Entries written
 * before tier groups existed are in no group partition yet; while the group's partition is empty,
 * the tier's agents whose (derived) groups name it stand in, so an old desk keeps assigning.
 */
const candidatesOf = async (
  { directory, clock }: TicketDeps,
  groupId: string,
  tier: Tier,
): Promise<string[]> => {
  let members = await directory.groupMembers(groupId);
  if (members.length === 0) {
    members = (await directory.tierMembers(tier)).filter((user) => user.groups.includes(groupId));
  }
  const now = clock.now();
  return members.filter((user) => user.active && !isAway(user, now)).map((user) => user.email);
};

/** Who gets a ticket, and by which rule of which group. */
export interface AssignmentPlan {
  assignee: string;
  mode: AutomaticMode;
  group: string;
}

/**
 * Whom the group's rule gives the ticket as it is given (e.g. just routed to the group, not yet
 * written): reads only (the group, its agents, the round-robin turn or the agents' loads), so the
 * caller can write the assignment in the same transaction as the change that made it due.
 * Undefined when nothing is to be assigned: a manual group, no agents in the directory, an
 * assigned or resolved ticket.
 */
export const planAssignment = async (
  deps: TicketDeps,
  ticket: Ticket,
): Promise<AssignmentPlan | undefined> => {
  if (ticket.assignee !== undefined || !isUnresolved(ticket.status)) return undefined;
  const group = await deps.config.getGroup(ticket.group);
  // A group configured for another tier than the ticket's cannot hand it to its agents.
  if (!group || group.assignment === 'manual' || group.tier !== owningTier(ticket.tier)) return undefined;

  const candidates = (await candidatesOf(deps, group.id, group.tier)).sort();
  if (candidates.length === 0) return undefined;
  const mode = group.assignment;
  const context: AssignmentContext =
    mode === 'round_robin'
      ? { turn: await deps.assignments.nextAssignmentTurn(group.id) }
      : {
          loads: new Map(
            await Promise.all(
              candidates.map(async (email) => [email, await deps.assignments.countAssigned(email)] as const),
            ),
          ),
        };
  const assignee = pickAssignee(mode, candidates, context);
  return assignee === undefined ? undefined : { assignee, mode, group: group.id };
};

/**
 * The plan applied to the ticket as it is when written, with an `assigned` event; null when the
 * ticket got an assignee, left the group or was resolved meanwhile.
 */
export const applyAssignment = (ticket: Ticket, plan: AssignmentPlan, at: Date): Transition | null =>
  ticket.assignee !== undefined || ticket.group !== plan.group || !isUnresolved(ticket.status)
    ? null
    : assignAutomatically(ticket, { assignee: plan.assignee, mode: plan.mode }, at);

/**
 * Assigns an unassigned, unresolved ticket to an agent of its group by the group's rule, and
 * records an `assigned` event. Returns undefined when nothing was assigned: a manual group, no
 * agents in the directory, or the ticket got an assignee (or moved on) meanwhile.
 */
export const autoAssign = async (
  deps: TicketDeps,
  ticketNumber: number,
): Promise<MutateResult | undefined> => {
  const ticket = await deps.store.getTicket(ticketNumber);
  const plan = ticket && (await planAssignment(deps, ticket));
  if (!plan) return undefined;
  const result = await deps.store.mutateTicket(
    ticketNumber,
    (current) => applyAssignment(current, plan, deps.clock.now()),
    { current: ticket },
  );
  return result.events.length > 0 ? result : undefined;
};
