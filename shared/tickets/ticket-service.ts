import { createHash } from 'node:crypto';
import type { ConfigReader } from '#shared/config/reader';
import type { Clock } from '#shared/domain/clock';
import {
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  VersionMismatchError,
} from '#shared/domain/errors';
import { comment, initialClocks, priorityFacts, SYSTEM_ACTOR } from '#shared/domain/lifecycle';
import {
  canComment,
  canFileOnBehalf,
  canNameWatcher,
  canSeeInternal,
  canViewAssigned,
  canViewTicket,
  canWorkTier,
  isStaff,
  isStaffFor,
  TICKET_FIELDS,
  type TicketField,
  tierReach,
  updatableFields,
} from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import { type PriorityMatrix, priorityOf } from '#shared/domain/priority';
import { defaultGroupOf, type Ticket } from '#shared/domain/ticket';
import type { Channel } from '#shared/domain/ticket-fields';
import type { FieldChange, TimelineEvent } from '#shared/domain/timeline';
import type { Page, PageRequest } from '#shared/store/query-page';
import type { AssignmentLedger } from './assignment-ledger.ts';
import { type AttachmentFiles, checkUploads } from './attachments.ts';
import type { Directory } from './directory.ts';
import type { CommentBody, CreateTicketBody, ListTicketsQuery, UpdateTicketBody } from './input.ts';
import type { CreateResult, MutateOptions, QueueFilter, TicketSearch, TicketStore } from './ticket-store.ts';

/**
 * The ticket use cases: policy, then the store. Handlers parse and shape; this decides. Every
 * rule about who may do what comes from `domain/policy`, never from a role test here.
 */

export interface TicketDeps {
  store: TicketStore;
  directory: Directory;
  assignments: AssignmentLedger;
  config: ConfigReader;
  clock: Clock;
  /** The organization's mail domains: whom requesters may name as watchers (`tickets/config.ts`). */
  orgDomains: readonly string[];
  /** Where attachment files are kept: only the functions that take or serve files have it. */
  files?: AttachmentFiles;
}

/** Field changes a requester may see on the timeline; triage details stay internal. */
const PUBLIC_FIELDS: ReadonlySet<string> = new Set(['subject', 'watchers']);

const unique = <T>(values: T[]): T[] => [...new Set(values)];

/** Stable fingerprint of a request: key order must not make two equal bodies differ. */
const fingerprint = (value: unknown): string =>
  createHash('sha256')
    .update(
      JSON.stringify(value, (_key, inner) =>
        inner && typeof inner === 'object' && !Array.isArray(inner)
          ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
          : inner,
      ),
    )
    .digest('base64url');

/** Where a request came from: the API by default; the email intake says `email`. */
export interface TicketOrigin {
  channel: Channel;
  /** Details for the `created` event (the mail it came from); see `CreateOptions.createdData`. */
  createdData?: (number: number) => Record<string, unknown>;
}

export const openTicket = async (
  { store, clock, orgDomains, config }: TicketDeps,
  principal: Principal,
  body: CreateTicketBody,
  idempotencyKey?: string,
  origin: TicketOrigin = { channel: 'api' },
): Promise<CreateResult> => {
  if (body.requester !== undefined && body.requester !== principal.id && !canFileOnBehalf(principal)) {
    throw new ForbiddenError('Only agents may file a ticket on behalf of someone else (body.requester).');
  }
  if (body.priority !== undefined && !isStaff(principal)) {
    throw new ForbiddenError(
      'Only agents may set a priority (body.priority); it follows from impact and urgency.',
    );
  }
  // Mail has its own rules for the people it copies (`email/inbound.ts`): those already received
  // the requester's mail. Through the API, a named watcher is checked here.
  const [configuredDomains, matrix] = await Promise.all([config.orgDomains(), config.priorityMatrix()]);
  if (origin.channel === 'api') {
    assertNamedWatchers(principal, body.watchers, [...new Set([...orgDomains, ...configuredDomains])]);
  }
  const now = clock.now().toISOString();
  const requester = body.requester ?? principal.id;
  const priority = body.priority ?? priorityOf(body.impact, body.urgency, matrix);
  const draft = {
    subject: body.subject,
    description: body.description,
    requester,
    channel: origin.channel,
    ...(body.category ? { category: body.category } : {}),
    impact: body.impact,
    urgency: body.urgency,
    priority,
    priorityOverridden: body.priority !== undefined,
    status: 'new' as const,
    // Every new ticket lands at Tier 1; category routing arrives with the workflow.
    tier: 1 as const,
    group: defaultGroupOf(1),
    watchers: unique(body.watchers).filter((email) => email !== requester),
    tags: unique(body.tags),
    createdAt: now,
    updatedAt: now,
    createdBy: principal.id,
    clocks: initialClocks({ createdAt: now, priority, tier: 1, status: 'new' }),
  };
  const claim = idempotencyKey
    ? { key: idempotencyKey, caller: principal.id, fingerprint: fingerprint(body) }
    : undefined;
  return store.createTicket(draft, claim, origin.createdData && { createdData: origin.createdData });
};

/** Whom the caller names as watchers (`body.watchers`), leaving aside those who watch already. */
const assertNamedWatchers = (
  principal: Principal,
  watchers: readonly string[],
  orgDomains: readonly string[],
  watching: readonly string[] = [],
): void => {
  const allowed =
    orgDomains.length > 0
      ? `must be an address of the organization's mail domains (${orgDomains.join(', ')}); the desk may add others`
      : 'requesters name no watchers on this desk (no organization mail domains are set); the desk may add them';
  const issues = watchers.flatMap((address, index) =>
    watching.includes(address) || canNameWatcher(principal, address, orgDomains)
      ? []
      : [{ field: `body.watchers.${index}`, message: allowed }],
  );
  if (issues.length > 0) {
    throw new UnprocessableError('Some watchers may not be copied on this ticket.', issues);
  }
};

/** A ticket the caller may see; otherwise NotFound, so existence never leaks. */
export const visibleTicket = async (
  { store }: TicketDeps,
  principal: Principal,
  number: number,
): Promise<Ticket> => {
  const ticket = await store.getTicket(number);
  if (!ticket || !canViewTicket(principal, ticket))
    throw new NotFoundError(`Ticket #${number} was not found.`);
  return ticket;
};

export const listTickets = async (
  deps: TicketDeps,
  principal: Principal,
  query: ListTicketsQuery,
): Promise<Page<Ticket>> => {
  const { store } = deps;
  const page: PageRequest = { limit: query.limit, cursor: query.cursor };
  switch (query.view) {
    case 'mine':
      return store.ticketsOfPerson(principal.id, page);
    case 'assigned': {
      if (!canViewAssigned(principal)) throw new ForbiddenError('Only agents have tickets assigned to them.');
      // An assignment outlives a change of tiers: what the agent may no longer see is not listed.
      const assigned = await store.assignedTo(principal.id, page, queueFilterOf(query));
      return { ...assigned, items: assigned.items.filter((ticket) => canViewTicket(principal, ticket)) };
    }
    case 'queue': {
      const tier = query.tier as NonNullable<ListTicketsQuery['tier']>;
      if (!canWorkTier(principal, tier)) throw new ForbiddenError(`You do not work the Tier ${tier} queue.`);
      return store.tierQueue(tier, queueFilterOf(query), page);
    }
    case 'all':
      return findTickets(deps, principal, query, page);
  }
};

const queueFilterOf = ({ status, priority, group, category }: ListTicketsQuery): QueueFilter => ({
  ...(status !== undefined && { status }),
  ...(priority !== undefined && { priority }),
  ...(group !== undefined && { group }),
  ...(category !== undefined && { category }),
});

/** Whether a ticket, as read, matches a search: indexes lag their table, the ticket is the truth. */
const matches = (ticket: Ticket, search: TicketSearch): boolean =>
  (search.requester === undefined || ticket.requester === search.requester) &&
  (search.assignee === undefined || ticket.assignee === search.assignee) &&
  (search.tag === undefined || ticket.tags.includes(search.tag)) &&
  (search.status === undefined || ticket.status === search.status) &&
  (search.tier === undefined || ticket.tier === search.tier) &&
  (search.priority === undefined || ticket.priority === search.priority) &&
  (search.from === undefined || ticket.createdAt >= search.from) &&
  (search.to === undefined || ticket.createdAt <= search.to);

/**
 * Finding tickets (`view=all`): the desk's search of every ticket, any status, newest first. It
 * lists the tickets of the tiers the caller works (supervisors and admins: all), each in the
 * desk's view; an agent's own tickets elsewhere are in `view=mine`. A page may come back short,
 * even empty, and still carry a cursor: filters apply to what the page read.
 */
const findTickets = async (
  { store }: TicketDeps,
  principal: Principal,
  query: ListTicketsQuery,
  page: PageRequest,
): Promise<Page<Ticket>> => {
  if (!isStaff(principal)) {
    throw new ForbiddenError(
      'Finding tickets is for the desk (agents, supervisors, admins); your own tickets are in view=mine.',
    );
  }
  if (query.tier !== undefined && !canWorkTier(principal, query.tier)) {
    throw new ForbiddenError(`You do not work Tier ${query.tier}.`);
  }
  const { requester, assignee, tag, status, tier, priority, from, to } = query;
  const reach = tierReach(principal);
  const search: TicketSearch = Object.fromEntries(
    Object.entries({ requester, assignee, tag, status, tier, priority, from, to, maxTier: reach }).filter(
      ([, value]) => value !== undefined,
    ),
  );
  const found = (ticket: Ticket) => isStaffFor(principal, ticket) && matches(ticket, search);
  if (query.number !== undefined) {
    const ticket = await store.getTicket(query.number);
    return { items: ticket && found(ticket) ? [ticket] : [] };
  }
  const result = await store.findTickets(search, page);
  return { ...result, items: result.items.filter(found) };
};

/**
 * Changes fields on the version the caller names (412 when it is gone) or, without one (If-Match:
 * `*`), on whatever version is current when the write lands.
 */
export const updateTicket = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: UpdateTicketBody,
  { expectedVersion }: { expectedVersion?: number },
): Promise<Ticket> => {
  const seen = await visibleTicket(deps, principal, number);
  if (expectedVersion !== undefined && seen.version !== expectedVersion) {
    throw new VersionMismatchError(expectedVersion, seen.version);
  }
  assertMayChange(principal, seen, body);
  if (body.assignee) await assertAssignable(deps, body.assignee, seen);
  if (body.watchers) {
    const configured = await deps.config.orgDomains();
    const domains = [...new Set([...deps.orgDomains, ...configured])];
    assertNamedWatchers(principal, body.watchers, domains, seen.watchers);
  }

  const now = deps.clock.now().toISOString();
  const matrix = await deps.config.priorityMatrix();
  const changes = diff(seen, applyUpdate(seen, body, now, matrix));
  if (changes.length === 0) return seen;
  const { ticket } = await deps.store.mutateTicket(
    number,
    (current) => {
      // Re-checked on the version being written: the tier may have moved since the read.
      assertMayChange(principal, current, body);
      const next = priorityFacts(current, applyUpdate(current, body, now, matrix), now);
      const applied = diff(current, next);
      return {
        ticket: next,
        events: [
          {
            type: 'updated',
            at: now,
            actor: principal.id,
            public: applied.every((change) => PUBLIC_FIELDS.has(change.field)),
            changes: applied,
          },
        ],
      };
    },
    { expectedVersion, current: seen },
  );
  return ticket;
};

const assertMayChange = (principal: Principal, ticket: Ticket, body: UpdateTicketBody) => {
  if (!canViewTicket(principal, ticket)) throw new NotFoundError(`Ticket #${ticket.number} was not found.`);
  const allowed = updatableFields(principal, ticket);
  const refused = (Object.keys(body) as TicketField[]).filter((field) => !allowed.has(field));
  if (refused.length > 0) {
    throw new ForbiddenError(
      `You may not change ${refused.map((field) => `body.${field}`).join(', ')} on this ticket.`,
    );
  }
};

/** An assignee is an agent of the ticket's tier (Tier 4 tickets stay with Tier 3) or a supervisor. */
const assertAssignable = async ({ directory }: TicketDeps, email: string, ticket: Ticket) => {
  const user = await directory.getUser(email);
  const tier = Math.min(ticket.tier, 3);
  const eligible =
    user?.active &&
    (user.role === 'supervisor' || (user.role === 'agent' && user.tiers.some((t) => t === tier)));
  if (!eligible) {
    throw new UnprocessableError(`${email} is not an agent of Tier ${tier}.`, [
      { field: 'body.assignee', message: `must be an active agent of Tier ${tier} in the directory` },
    ]);
  }
};

const applyUpdate = (ticket: Ticket, body: UpdateTicketBody, now: string, matrix: PriorityMatrix): Ticket => {
  const next: Ticket = { ...ticket, updatedAt: now };
  if (body.subject !== undefined) next.subject = body.subject;
  if (body.impact !== undefined) next.impact = body.impact;
  if (body.urgency !== undefined) next.urgency = body.urgency;
  if (body.tags !== undefined) next.tags = unique(body.tags);
  if (body.category === null) delete next.category;
  else if (body.category !== undefined) next.category = body.category;
  if (body.assignee === null) delete next.assignee;
  else if (body.assignee !== undefined) next.assignee = body.assignee;
  if (body.watchers !== undefined)
    next.watchers = unique(body.watchers).filter((email) => email !== ticket.requester);
  if (body.priority !== undefined) {
    next.priority = body.priority;
    next.priorityOverridden = true;
  } else if (!next.priorityOverridden) {
    next.priority = priorityOf(next.impact, next.urgency, matrix);
  }
  return next;
};

/** The timeline records a change of any field a PATCH may change. */
const diff = (before: Ticket, after: Ticket): FieldChange[] =>
  TICKET_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field])).map(
    (field) => ({
      field,
      from: before[field],
      to: after[field],
    }),
  );

export interface CommentOptions {
  /**
   * People who join the ticket as watchers with this comment, before it is checked: the email
   * intake's reply-all, where answering a mail of the thread is what makes someone a participant.
   */
  addWatchers?: readonly string[];
  /** Details recorded on the comment event: the mail it came from, its attachments. */
  data?: Record<string, unknown>;
  /** The comment is written once under this key: a retry answers with the first (see MutateOptions). */
  idempotencyKey?: string;
}

export const addComment = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: CommentBody,
  { addWatchers = [], data, idempotencyKey }: CommentOptions = {},
): Promise<{ ticket: Ticket; event: TimelineEvent }> => {
  const joined = (ticket: Ticket): Ticket => {
    const added = unique(
      addWatchers.filter((email) => email !== ticket.requester && !ticket.watchers.includes(email)),
    );
    return added.length === 0 ? ticket : { ...ticket, watchers: [...ticket.watchers, ...added] };
  };
  const read = await deps.store.getTicket(number).then((ticket) => ticket ?? missing(number));
  const seen = joined(read);
  if (!canViewTicket(principal, seen)) missing(number);
  if (!canComment(principal, seen, body)) {
    throw new ForbiddenError('Internal notes (public: false) are written by the agents of the ticket only.');
  }
  // Checked on the stored files, not on what the upload said they would be.
  const attachments = await checkUploads(deps, principal.id, number, unique(body.attachments ?? []));
  const details = attachments.length > 0 ? { ...data, attachments } : data;
  const { ticket, events } = await deps.store.mutateTicket(
    number,
    (stored) => {
      const current = joined(stored);
      if (!canComment(principal, current, body)) missing(number);
      // The comment first, then what it set in motion (a reply resumes, reopens, opens).
      const transition = comment(
        current,
        principal,
        { body: body.body, public: body.public, ...(details && { data: details }) },
        deps.clock.now(),
      );
      const added = current.watchers.filter((email) => !stored.watchers.includes(email));
      if (added.length === 0) return transition;
      return {
        ...transition,
        events: [
          ...transition.events,
          {
            type: 'updated',
            at: transition.ticket.updatedAt,
            actor: principal.id,
            public: true,
            changes: [{ field: 'watchers', from: stored.watchers, to: current.watchers }],
          },
        ],
      };
    },
    // The change is built on the read above; a lost race reads afresh.
    { current: read, ...(idempotencyKey !== undefined && { idempotencyKey }) },
  );
  return { ticket, event: events[0] as TimelineEvent };
};

/**
 * A delivery failure of the ticket's mail, for its agents: changes nothing else on the ticket.
 * Under an idempotency key (the bounce's own mail) it is recorded once however often it arrives.
 */
export const recordMailBounce = async (
  deps: TicketDeps,
  number: number,
  data: Record<string, unknown>,
  options: Pick<MutateOptions, 'idempotencyKey'> = {},
): Promise<TimelineEvent> => {
  const at = deps.clock.now().toISOString();
  const { events } = await deps.store.mutateTicket(
    number,
    (current) => ({
      ticket: { ...current, updatedAt: at },
      events: [{ type: 'mail_bounced', at, actor: SYSTEM_ACTOR, public: false, data }],
    }),
    options,
  );
  return events[0] as TimelineEvent;
};

const missing = (number: number): never => {
  throw new NotFoundError(`Ticket #${number} was not found.`);
};

export const ticketTimeline = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  page: PageRequest,
): Promise<Page<TimelineEvent>> => {
  // The page is read with the ticket, before access is known: with internal notes for staff,
  // who see them on every ticket of their tiers. Nothing of it is shown before the ticket says
  // who may see what; a staff member who is only a participant here gets it read again.
  const assumed = isStaff(principal);
  const { ticket, page: read } = await deps.store.timelineWithTicket(number, {
    ...page,
    includeInternal: assumed,
  });
  if (!ticket || !canViewTicket(principal, ticket)) missing(number);
  const includeInternal = canSeeInternal(principal, ticket as Ticket);
  return includeInternal === assumed ? read : deps.store.timeline(number, { ...page, includeInternal });
};
