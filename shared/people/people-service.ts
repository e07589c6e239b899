import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  UnprocessableError,
} from '#shared/domain/errors';
import { canManageUsers } from '#shared/domain/policy';
import type { Principal, Role } from '#shared/domain/principal';
import { isUnresolved, owningTier, type Ticket } from '#shared/domain/ticket';
import type { Tier } from '#shared/domain/ticket-fields';
import { logger } from '#shared/runtime/observability';
import type { Page, PageRequest } from '#shared/store/query-page';
import type {
  DirectoryEntry,
  DirectoryFilter,
  DirectoryUser,
  ExpectedRevision,
  OutOfOffice,
} from '#shared/tickets/directory';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import type { IdentityProvider } from './identity-provider.ts';

/**
 * The people directory's use cases (admins only): who works at the desk, in which tier groups,
 * whether they are in today, and moving their tickets when they leave. The directory is the one
 * source of truth for authorization (`shared/auth/identity.ts`); the identity provider is told
 * after each write, so sign-in follows.
 */

export interface PeopleDeps extends TicketDeps {
  identity: IdentityProvider;
}

export interface PersonBody {
  name: string;
  role: Role;
  groups: string[];
  timeZone: string;
  outOfOffice?: OutOfOffice;
}

export interface ReassignBody {
  to?: string;
  group?: string;
}

export interface ReassignReport {
  moved: { number: number; to?: string; group: string }[];
  skipped: { number: number; reason: string }[];
}

const assertAdmin = (principal: Principal) => {
  if (!canManageUsers(principal)) throw new ForbiddenError('Only admins manage the people directory.');
};

const existingPerson = async ({ directory }: TicketDeps, email: string): Promise<DirectoryUser> => {
  const user = await directory.getUser(email);
  if (!user) throw new NotFoundError(`${email} is not in the directory.`);
  return user;
};

const LAST_ADMIN =
  'is the last active admin: make someone else an admin first, or the desk would have no one to administer it.';

/** An active admin who stops being one (demoted or deactivated) must leave another behind. */
const assertNotLastAdmin = async (
  { directory }: TicketDeps,
  before: DirectoryUser,
  after: DirectoryEntry,
) => {
  const stillAdmin = after.role === 'admin' && after.active !== false;
  if (!(before.role === 'admin' && before.active) || stillAdmin) return;
  const others = (await directory.activeAdmins()).filter((admin) => admin.email !== before.email);
  if (others.length === 0) throw new ConflictError(`${before.email} ${LAST_ADMIN}`);
};

/**
 * The tiers of the person's groups, from the configuration; a group it does not know is a 422
 * naming the entry.
 */
const tiersOfGroups = async (
  { config }: TicketDeps,
  role: Role,
  groups: readonly string[],
): Promise<Tier[]> => {
  if (role !== 'agent') {
    if (groups.length > 0) {
      throw new UnprocessableError('Only agents belong to tier groups.', [
        { field: 'body.groups', message: 'only agents belong to tier groups' },
      ]);
    }
    return [];
  }
  const found = await Promise.all(groups.map((id) => config.getGroup(id)));
  const unknown = groups.flatMap((id, i) =>
    found[i] ? [] : [{ field: `body.groups[${i}]`, message: `no tier group "${id}" is configured` }],
  );
  if (unknown.length > 0) throw new UnprocessableError('Unknown tier group.', unknown);
  return [...new Set(found.map((group) => group?.tier as Tier))].sort();
};

/** Tells the identity provider; the directory already holds the truth, so a failure is drift, not an error. */
const keepInStep = async (what: string, call: () => Promise<void>) => {
  try {
    await call();
  } catch (error) {
    logger.warn('Identity provider out of step with the directory', { what, error: error as Error });
  }
};

export const listPeople = (
  { directory }: TicketDeps,
  principal: Principal,
  filter: DirectoryFilter,
  page: PageRequest,
): Promise<Page<DirectoryUser>> => {
  assertAdmin(principal);
  return directory.listUsers(filter, page);
};

export const getPerson = (deps: TicketDeps, principal: Principal, email: string): Promise<DirectoryUser> => {
  assertAdmin(principal);
  return existingPerson(deps, email);
};

/**
 * Creates or replaces a person's entry. Changing an existing entry needs the ETag it was read at
 * (428 without, 412 when it changed since); creating needs none. Whether they are active is not
 * this write's business (deactivate / reactivate).
 */
export const putPerson = async (
  deps: PeopleDeps,
  principal: Principal,
  email: string,
  body: PersonBody,
  ifMatch: { expectedVersion?: number } | undefined,
): Promise<{ user: DirectoryUser; created: boolean }> => {
  assertAdmin(principal);
  const before = await deps.directory.getUser(email);
  if (before && ifMatch === undefined) {
    throw new PreconditionRequiredError(
      `${email} is already in the directory: send If-Match with the ETag of the entry you are changing.`,
    );
  }
  if (!before && ifMatch !== undefined) {
    throw new PreconditionFailedError(`${email} is not in the directory: create it without If-Match.`);
  }
  const tiers = await tiersOfGroups(deps, body.role, body.groups);
  const entry: DirectoryEntry = {
    email,
    ...body,
    tiers,
    active: before?.active ?? true,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (before) await assertNotLastAdmin(deps, before, entry);
  const expected: ExpectedRevision = before ? (ifMatch?.expectedVersion ?? before.revision) : null;
  const user = await deps.directory.putUser(entry, expected);
  if (!before) await keepInStep('createUser', () => deps.identity.createUser(email, user.name));
  await keepInStep('setGroups', () => deps.identity.setGroups(email, user.role, user.tiers));
  return { user, created: !before };
};

/**
 * Deactivates or reactivates a person (idempotent). A deactivated person is refused by every
 * route within the principal cache's TTL and gets no new tickets; the tickets they hold stay
 * with them until an admin moves them (open-tickets, reassign): nothing moves silently.
 */
export const setActive = async (
  deps: PeopleDeps,
  principal: Principal,
  email: string,
  active: boolean,
): Promise<DirectoryUser> => {
  assertAdmin(principal);
  const before = await existingPerson(deps, email);
  if (before.active === active) return before;
  const entry: DirectoryEntry = { ...before, active, updatedAt: deps.clock.now().toISOString() };
  await assertNotLastAdmin(deps, before, entry);
  const user = await deps.directory.putUser(entry, before.revision);
  await keepInStep(active ? 'enableUser' : 'disableUser', () =>
    active ? deps.identity.enableUser(email) : deps.identity.disableUser(email),
  );
  return user;
};

/** The person's unresolved tickets, by deadline (the index the "assigned to me" list reads). */
export const openTicketsOf = async (
  deps: TicketDeps,
  principal: Principal,
  email: string,
  page: PageRequest,
): Promise<Page<Ticket>> => {
  assertAdmin(principal);
  return deps.store.assignedTo(email, page);
};

/** Whether someone may take a ticket of this tier now: an active agent of it, not away. */
const takesTier = (user: DirectoryUser | undefined, tier: Tier): boolean =>
  user?.role === 'agent' && user.active && user.tiers.includes(tier);

/**
 * Moves every open ticket of a person to another agent, or back to a tier group unassigned.
 * Idempotent: each move is conditional on the ticket still being theirs and open, so a repeated
 * call (or one racing with an agent's own change) moves nothing twice. Tickets that cannot go
 * where asked (another tier than the target's) are reported as skipped, and stay.
 */
export const reassignTickets = async (
  deps: TicketDeps,
  principal: Principal,
  from: string,
  body: ReassignBody,
): Promise<ReassignReport> => {
  assertAdmin(principal);
  await existingPerson(deps, from);
  const target = body.to === undefined ? undefined : await deps.directory.getUser(body.to);
  if (body.to !== undefined && !(target?.role === 'agent' && target.active)) {
    throw new UnprocessableError(`${body.to} is not an active agent.`, [
      { field: 'body.to', message: 'must be an active agent in the directory' },
    ]);
  }
  const group = body.group === undefined ? undefined : await deps.config.getGroup(body.group);
  if (body.group !== undefined && !group) {
    throw new UnprocessableError('Unknown tier group.', [
      { field: 'body.group', message: `no tier group "${body.group}" is configured` },
    ]);
  }
  const report: ReassignReport = { moved: [], skipped: [] };
  const tickets = await allAssigned(deps, from);
  for (const ticket of tickets) {
    const tier = owningTier(ticket.tier);
    if (target && !takesTier(target, tier)) {
      report.skipped.push({
        number: ticket.number,
        reason: `${target.email} is not an agent of Tier ${tier}`,
      });
      continue;
    }
    if (group && group.tier !== tier) {
      report.skipped.push({ number: ticket.number, reason: `group ${group.id} is not a Tier ${tier} group` });
      continue;
    }
    const now = deps.clock.now().toISOString();
    const result = await deps.store.mutateTicket(ticket.number, (current) => {
      if (current.assignee !== from || !isUnresolved(current.status)) return null;
      const next: Ticket = { ...current, updatedAt: now, group: group?.id ?? current.group };
      if (target) next.assignee = target.email;
      else delete next.assignee;
      const changes = [
        { field: 'assignee', from, to: target?.email ?? null },
        ...(next.group !== current.group ? [{ field: 'group', from: current.group, to: next.group }] : []),
      ];
      return {
        ticket: next,
        events: [{ type: 'updated', at: now, actor: principal.id, public: false, changes }],
      };
    });
    if (result.events.length > 0) {
      report.moved.push({ number: ticket.number, to: target?.email, group: result.ticket.group });
    }
  }
  return report;
};

/** Every ticket assigned to the person, read before any moves (moving drops them from the index). */
const allAssigned = async ({ store }: TicketDeps, email: string): Promise<Ticket[]> => {
  const tickets: Ticket[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.assignedTo(email, { limit: 100, cursor });
    tickets.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return tickets;
};
