import { vendorAnsweredSinceHandOff } from './clocks.ts';
import { ConflictError, ForbiddenError } from './errors.ts';
import {
  canEscalate,
  canHandOff,
  canMerge,
  canReopen,
  canWorkTicket,
  conversationSide,
  isStaffFor,
  joiningOnMerge,
} from './policy.ts';
import type { Principal } from './principal.ts';
import type { ClockFact, TicketClocks, VendorContract } from './service-levels.ts';
import { type AssignmentMode, defaultGroupOf, owningTier, type Ticket } from './ticket.ts';
import type { CloseReason, Status, Tier } from './ticket-fields.ts';
import type { EventType, NewTimelineEvent } from './timeline.ts';

/**
 * The ticket lifecycle: one pure function per action. Each takes the current ticket, who acts and
 * when, and returns the next ticket with the timeline events and clock facts that record the
 * change — or throws: ForbiddenError when this person may not act, ConflictError when the
 * ticket's state does not allow it (the message says why and what to do instead).
 *
 *   new ─▶ open ─▶ pending ──(requester replies)──▶ open
 *    │      │  └─▶ on_hold (Tier 4, with a vendor) ──(vendor resolves)──▶ resolved
 *    └──────┴────────────────────────────────────────────────────────────▶ resolved ─▶ closed
 *                                     resolved ──(reopen, within the window)──▶ open
 *
 * Callers apply these inside `TicketStore.mutateTicket`, so every decision is taken on the
 * version being written. The workflow uses the `SYSTEM_ACTOR` variants.
 */

/** The actor of what Tierdesk does by itself (automatic escalation, closing after the window). */
export const SYSTEM_ACTOR = 'tierdesk';

export interface Transition {
  ticket: Ticket;
  events: NewTimelineEvent[];
}

type WithoutAt<T> = T extends unknown ? Omit<T, 'at'> : never;
type Visibility = 'public' | 'internal';
type Fact = WithoutAt<ClockFact>;

/** The clocks of a ticket being created: one `created` fact, no policy pinned yet. */
export const initialClocks = (
  ticket: Pick<Ticket, 'createdAt' | 'priority' | 'tier' | 'status'>,
): TicketClocks => ({
  facts: [
    {
      at: ticket.createdAt,
      type: 'created',
      priority: ticket.priority,
      tier: ticket.tier,
      status: ticket.status,
    },
  ],
  applied: [],
});

/** One change being built: the next ticket, and what records it. */
class Change {
  readonly ticket: Ticket;
  readonly events: NewTimelineEvent[] = [];
  readonly at: string;

  constructor(current: Ticket, at: Date) {
    this.at = at.toISOString();
    this.ticket = {
      ...current,
      updatedAt: this.at,
      watchers: [...current.watchers],
      clocks: { ...current.clocks, facts: [...current.clocks.facts] },
    };
  }

  fact(fact: Fact): this {
    this.ticket.clocks.facts.push({ ...fact, at: this.at } as ClockFact);
    return this;
  }

  /** Moves to a status, dropping what belonged to the one it leaves. */
  status(status: Status): this {
    const ticket = this.ticket;
    if (ticket.status === status) return this;
    if (ticket.status === 'pending') delete ticket.pendingReason;
    if (ticket.status === 'resolved' && status !== 'closed') {
      delete ticket.resolution;
      delete ticket.resolvedAt;
    }
    ticket.status = status;
    return this.fact({ type: 'status', status });
  }

  tier(tier: Tier): this {
    if (this.ticket.tier === tier) return this;
    this.ticket.tier = tier;
    return this.fact({ type: 'tier', tier });
  }

  /** A lifecycle event: its details go in `data` (absent values left out). */
  event(type: EventType, actor: string, visibility: Visibility, data: Record<string, unknown>): this {
    return this.entry(type, actor, visibility, { data: withoutUndefined(data) });
  }

  /** A comment (`body`) or a field change (`changes`). */
  entry(
    type: EventType,
    actor: string,
    visibility: Visibility,
    content: Pick<NewTimelineEvent, 'body' | 'changes' | 'data'>,
  ): this {
    this.events.push({ type, at: this.at, actor, public: visibility === 'public', ...content });
    return this;
  }

  done(): Transition {
    return { ticket: this.ticket, events: this.events };
  }
}

const withoutUndefined = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));

const ref = (ticket: Pick<Ticket, 'number'>) => `Ticket #${ticket.number}`;

const STATUS_LABEL: Record<Status, string> = {
  new: 'new',
  open: 'open',
  pending: 'pending (waiting on the requester)',
  on_hold: 'on hold with a vendor',
  resolved: 'resolved',
  closed: 'closed',
};

/** What to do instead, by the status that stands in the way. */
const HINT: Record<Status, string> = {
  new: 'answer or resolve it first',
  open: 'resolve it first',
  pending: 'wait for the requester, or resolve it',
  on_hold: "record the vendor's answer first (vendor-update)",
  resolved: 'reopen it first',
  closed: 'open a new ticket instead',
};

/** Throws unless the ticket is in one of the statuses the action needs. */
const requireStatus = (ticket: Ticket, allowed: readonly Status[], doing: string): void => {
  if (allowed.includes(ticket.status)) return;
  throw new ConflictError(
    `${ref(ticket)} is ${STATUS_LABEL[ticket.status]}, so it cannot be ${doing}; ${HINT[ticket.status]}.`,
  );
};

const WORKABLE: readonly Status[] = ['new', 'open', 'pending'];

// ---- escalation -------------------------------------------------------------------------------

export interface EscalationInput {
  reason: string;
  /** The work order for the next tier: what was found and tried. */
  summary: string;
  /** The group the next tier takes escalations in (configuration); its default group otherwise. */
  group?: string;
}

const escalation = (
  ticket: Ticket,
  actor: string,
  input: EscalationInput & { automatic: boolean; trigger?: string },
  at: Date,
): Transition => {
  requireStatus(ticket, WORKABLE, 'escalated');
  if (ticket.tier >= 3) {
    throw new ConflictError(
      `${ref(ticket)} is at Tier 3, the last tier of the desk; hand it off to a vendor instead.`,
    );
  }
  const fromTier = ticket.tier;
  const toTier = (fromTier + 1) as Tier;
  const change = new Change(ticket, at).tier(toTier);
  change.ticket.group = input.group ?? defaultGroupOf(toTier);
  // The next tier assigns its own people (by hand, or the group's automatic assignment).
  delete change.ticket.assignee;
  return change
    .event('escalated', actor, 'internal', {
      fromTier,
      toTier,
      reason: input.reason,
      summary: input.summary,
      automatic: input.automatic,
      trigger: input.trigger,
    })
    .done();
};

/** An agent of the ticket's tier (or a supervisor) sends it to the next tier with a work order. */
export const escalate = (ticket: Ticket, by: Principal, input: EscalationInput, at: Date): Transition => {
  if (!canEscalate(by, ticket)) {
    throw new ForbiddenError(
      `Only agents of Tier ${owningTier(ticket.tier)} or supervisors may escalate ${ref(ticket)}.`,
    );
  }
  return escalation(ticket, by.id, { ...input, automatic: false }, at);
};

export interface AutomaticEscalationInput {
  /** What made Tierdesk escalate, e.g. `ola_breach`. */
  trigger: string;
  reason: string;
  summary: string;
  group?: string;
}

/**
 * The workflow's escalation (an OLA breach). At Tier 3 there is no next tier: this throws a
 * ConflictError, and the workflow notifies the supervisors instead.
 */
export const autoEscalate = (ticket: Ticket, input: AutomaticEscalationInput, at: Date): Transition =>
  escalation(ticket, SYSTEM_ACTOR, { ...input, automatic: true }, at);

// ---- pending, resolve, reopen, close ----------------------------------------------------------

const refuseNonStaff = (by: Principal, ticket: Ticket, doing: string): void => {
  if (!canWorkTicket(by, ticket)) throw new ForbiddenError(`Only agents of the ticket may ${doing} it.`);
};

/** The desk waits on the requester: requester-facing clocks pause until they answer. */
export const setPending = (
  ticket: Ticket,
  by: Principal,
  input: { reason: string },
  at: Date,
): Transition => {
  refuseNonStaff(by, ticket, 'set pending');
  if (ticket.status === 'pending') {
    throw new ConflictError(
      `${ref(ticket)} is already pending (${ticket.pendingReason ?? 'waiting on the requester'}).`,
    );
  }
  requireStatus(ticket, ['new', 'open'], 'set pending');
  const change = new Change(ticket, at).status('pending');
  change.ticket.pendingReason = input.reason;
  return change.event('pending', by.id, 'public', { reason: input.reason }).done();
};

const resolution = (change: Change, text: string, actor: string, data: Record<string, unknown> = {}) => {
  // A ticket resolved at Tier 4 returns to the Tier 3 that owns it.
  change.tier(owningTier(change.ticket.tier)).status('resolved');
  change.ticket.resolution = text;
  change.ticket.resolvedAt = change.at;
  return change.event('resolved', actor, 'public', { resolution: text, ...data });
};

/** Links a knowledge-base article to the ticket, recorded as a field change. */
const linkArticle = (change: Change, articleId: string, actor: string, visibility: Visibility): Change => {
  const from = change.ticket.linkedArticles ?? [];
  if (from.includes(articleId)) return change;
  const to = [...from, articleId];
  change.ticket.linkedArticles = to;
  return change.entry('updated', actor, visibility, { changes: [{ field: 'linkedArticles', from, to }] });
};

const UNRESOLVED: readonly Status[] = ['new', 'open', 'pending', 'on_hold'];

/**
 * An agent resolves the ticket. `documentedIn` names the draft article the fix was written up in
 * ("document the fix"): linked to the ticket by an internal change, as the draft is the desk's.
 */
export const resolve = (
  ticket: Ticket,
  by: Principal,
  input: { resolution: string; documentedIn?: string },
  at: Date,
): Transition => {
  refuseNonStaff(by, ticket, 'resolve');
  requireStatus(ticket, UNRESOLVED, 'resolved');
  const change = resolution(new Change(ticket, at), input.resolution, by.id);
  if (input.documentedIn !== undefined) linkArticle(change, input.documentedIn, by.id, 'internal');
  return change.done();
};

/**
 * The requester says a knowledge-base article solved their problem: the ticket is resolved as
 * self-served, the article linked (in public: the requester chose it), no agent involved.
 */
export const resolveSelfServed = (
  ticket: Ticket,
  by: Principal,
  article: { id: string; title: string },
  at: Date,
): Transition => {
  if (ticket.requester !== by.id) {
    throw new ForbiddenError(`Only the requester of ${ref(ticket)} may say an article solved it.`);
  }
  requireStatus(ticket, UNRESOLVED, 'resolved');
  const text = `Solved with the article "${article.title}" (${article.id}).`;
  const change = resolution(new Change(ticket, at), text, by.id, { selfServed: true, articleId: article.id });
  return linkArticle(change, article.id, by.id, 'public').done();
};

/** When the requester's reopen window ends; undefined when there is none (no policy pinned yet). */
const reopenWindowEnd = (ticket: Pick<Ticket, 'resolvedAt' | 'clocks'>): Date | undefined => {
  const window = ticket.clocks.policy?.reopenWindow;
  if (window === undefined || ticket.resolvedAt === undefined) return undefined;
  return new Date(new Date(ticket.resolvedAt).getTime() + window);
};

export const isWithinReopenWindow = (ticket: Pick<Ticket, 'status' | 'resolvedAt' | 'clocks'>, at: Date) => {
  const end = reopenWindowEnd(ticket);
  return ticket.status === 'resolved' && end !== undefined && at.getTime() < end.getTime();
};

/** The requester within the reopen window, or an agent at any time while the ticket is resolved. */
export const reopen = (ticket: Ticket, by: Principal, input: { reason: string }, at: Date): Transition => {
  if (!canReopen(by, ticket)) {
    throw new ForbiddenError('Only the requester or the agents of the ticket may reopen it.');
  }
  if (ticket.status === 'closed') {
    throw new ConflictError(`${ref(ticket)} is closed and cannot be reopened; open a new ticket instead.`);
  }
  if (ticket.status !== 'resolved') {
    throw new ConflictError(
      `${ref(ticket)} is ${STATUS_LABEL[ticket.status]}; only a resolved ticket reopens.`,
    );
  }
  if (!isStaffFor(by, ticket) && !isWithinReopenWindow(ticket, at)) {
    const end = reopenWindowEnd(ticket);
    throw new ConflictError(
      end
        ? `${ref(ticket)} can no longer be reopened by its requester: the reopen window ended at ${end.toISOString()}; open a new ticket instead.`
        : `${ref(ticket)} has no reopen window for its requester; reply to it or open a new ticket instead.`,
    );
  }
  return new Change(ticket, at)
    .status('open')
    .event('reopened', by.id, 'public', { trigger: 'request', reason: input.reason })
    .done();
};

const closing = (change: Change, reason: CloseReason): Change => {
  change.status('closed');
  change.ticket.closedAt = change.at;
  change.ticket.closeReason = reason;
  return change;
};

/** An agent closes a resolved ticket before its reopen window ends. */
export const close = (ticket: Ticket, by: Principal, input: { reason?: string }, at: Date): Transition => {
  refuseNonStaff(by, ticket, 'close');
  if (ticket.status === 'closed') throw new ConflictError(`${ref(ticket)} is already closed.`);
  requireStatus(ticket, ['resolved'], 'closed');
  return closing(new Change(ticket, at), 'resolved')
    .event('closed', by.id, 'public', { reason: 'resolved', note: input.reason })
    .done();
};

/**
 * The workflow closes a ticket: `resolved` when the reopen window of a resolved ticket ends,
 * `auto_closed` when a pending ticket waited too long for its requester.
 */
export const closeBySystem = (
  ticket: Ticket,
  input: { reason: Exclude<CloseReason, 'merged'>; note?: string },
  at: Date,
): Transition => {
  requireStatus(ticket, input.reason === 'resolved' ? ['resolved'] : ['pending'], 'closed');
  return closing(new Change(ticket, at), input.reason)
    .event('closed', SYSTEM_ACTOR, 'public', { reason: input.reason, note: input.note })
    .done();
};

// ---- vendors (Tier 4) ------------------------------------------------------------------------

/**
 * Tier 3 hands the ticket to a vendor: Tier 4, on hold, the vendor's contract clocks start. The
 * hand-off pins the vendor's contract on the ticket, as triage pins the SLA policy.
 */
export const handOff = (
  ticket: Ticket,
  by: Principal,
  input: { vendor: VendorContract; message: string },
  at: Date,
): Transition => {
  if (!canHandOff(by))
    throw new ForbiddenError('Only Tier 3 agents or supervisors hand tickets off to vendors.');
  if (ticket.tier === 4) {
    throw new ConflictError(`${ref(ticket)} is already with a vendor (${ticket.vendorId}).`);
  }
  if (ticket.tier !== 3) {
    throw new ConflictError(
      `${ref(ticket)} is at Tier ${ticket.tier}; only Tier 3 hands off to vendors — escalate it first.`,
    );
  }
  requireStatus(ticket, WORKABLE, 'handed off');
  const { vendor } = input;
  const change = new Change(ticket, at)
    .tier(4)
    .status('on_hold')
    .fact({ type: 'vendor_handoff', vendorId: vendor.vendorId });
  change.ticket.vendorId = vendor.vendorId;
  change.ticket.clocks = { ...change.ticket.clocks, vendor };
  return change
    .event('handoff', by.id, 'internal', {
      vendorId: vendor.vendorId,
      vendorName: vendor.name,
      message: input.message,
    })
    .event('on_hold', by.id, 'public', { vendorName: vendor.name })
    .done();
};

/** Whether the vendor has answered since the latest hand-off (their response clock stopped). */
const vendorHasResponded = (ticket: Ticket): boolean => vendorAnsweredSinceHandOff(ticket.clocks);

/**
 * A vendor's answer, recorded by an agent (the email intake records the vendor's mail itself:
 * {@link recordVendorMail}). The first answer stops the vendor's response clock; `resolved` ends
 * the hand-off: back to Tier 3, resolved. The vendor's words stay internal; the requester sees
 * that the vendor resolved the issue.
 */
export const recordVendorUpdate = (
  ticket: Ticket,
  by: Principal,
  input: { message: string; resolved: boolean; vendorName?: string },
  at: Date,
): Transition => {
  refuseNonStaff(by, ticket, 'record vendor updates on');
  if (ticket.tier !== 4 || ticket.vendorId === undefined) {
    throw new ConflictError(`${ref(ticket)} is not with a vendor; there is no vendor answer to record.`);
  }
  return vendorAnswer(new Change(ticket, at), ticket.vendorId, by.id, input).done();
};

/** The answer itself, whoever records it: the clock fact, the internal event, a resolution. */
const vendorAnswer = (
  change: Change,
  vendorId: string,
  actor: string,
  input: { message: string; resolved: boolean; vendorName?: string; data?: Record<string, unknown> },
): Change => {
  if (!vendorHasResponded(change.ticket)) change.fact({ type: 'vendor_response' });
  change.event('vendor_update', actor, 'internal', {
    ...input.data,
    vendorId,
    message: input.message,
    resolved: input.resolved,
  });
  if (!input.resolved) return change;
  change.fact({ type: 'vendor_resolved' });
  return resolution(change, `${input.vendorName ?? vendorId} resolved the issue.`, actor, { vendorId });
};

export interface VendorMailInput {
  /** The vendor the sender's address belongs to (the desk configuration's `email`). */
  vendorId: string;
  /** The sender: the actor of what the mail records. */
  from: string;
  message: string;
  /**
   * Sent by the vendor's system rather than a person (a case system's "we received your
   * request"): kept as an internal note, which answers nothing.
   */
  automated: boolean;
  /** More details for the event (the mail, its attachments). */
  data?: Record<string, unknown>;
}

/**
 * The vendor answers the hand-off by email. No principal and no policy check: the intake matched
 * the sender to the ticket's vendor, and this checks that the ticket is with that vendor now (at
 * Tier 4, on hold) — mail from a vendor about a ticket taken back from them records nothing.
 * A person's answer is a vendor update (it meets the vendor's response clock); an automatic one
 * is an internal note without any clock effect. A mail never resolves: whether the vendor's
 * words resolve the issue is an agent's call (`recordVendorUpdate` with `resolved`).
 */
export const recordVendorMail = (ticket: Ticket, input: VendorMailInput, at: Date): Transition => {
  if (ticket.tier !== 4 || ticket.status !== 'on_hold' || ticket.vendorId !== input.vendorId) {
    throw new ConflictError(
      `${ref(ticket)} is not on hold with vendor ${input.vendorId}; the vendor's mail records nothing on it.`,
    );
  }
  const change = new Change(ticket, at);
  if (input.automated) {
    return change
      .entry('comment', input.from, 'internal', {
        body: input.message,
        data: { ...input.data, vendorId: input.vendorId, automated: true },
      })
      .done();
  }
  return vendorAnswer(change, input.vendorId, input.from, {
    message: input.message,
    resolved: false,
    ...(input.data && { data: input.data }),
  }).done();
};

// ---- merge -----------------------------------------------------------------------------------

export interface CarriedComment {
  at: string;
  actor: string;
  body: string;
}

export interface MergeInput {
  /** The duplicate's public comments carried to the target, oldest first (already bounded). */
  comments: CarriedComment[];
  /** Public comments of the duplicate not carried over (beyond the size bound). */
  omittedComments: number;
}

/**
 * Merges a duplicate into a target: the duplicate closes pointing at the target; its description
 * and public comments are recorded on the target (internally: they were written by someone the
 * target's requester may not know), with its requester and watchers, for the target's agents. The
 * duplicate's own timeline stays where it is, and so do its people: only a duplicate the target's
 * own requester filed brings its watchers along (`joiningOnMerge`).
 */
export const merge = (
  duplicate: Ticket,
  target: Ticket,
  by: Principal,
  input: MergeInput,
  at: Date,
): { duplicate: Transition; target: Transition } => {
  if (!canMerge(by, duplicate, target)) {
    throw new ForbiddenError('Only an agent who works both tickets may merge them.');
  }
  if (duplicate.number === target.number) {
    throw new ConflictError(`${ref(duplicate)} cannot be merged into itself.`);
  }
  if (duplicate.status === 'closed') {
    throw new ConflictError(`${ref(duplicate)} is already closed; there is nothing left to merge.`);
  }
  if (target.status === 'closed') {
    throw new ConflictError(`${ref(target)} is closed; merge into a ticket that is still active.`);
  }
  const closed = closing(new Change(duplicate, at), 'merged').event('merged', by.id, 'public', {
    into: target.number,
  });
  closed.ticket.mergedInto = target.number;

  const joined = new Change(target, at);
  const watchersAdded = joiningOnMerge(duplicate, target);
  joined.ticket.watchers.push(...watchersAdded);
  joined.event('merged', by.id, 'internal', {
    from: duplicate.number,
    subject: duplicate.subject,
    description: duplicate.description,
    requester: duplicate.requester,
    watchers: duplicate.watchers,
    watchersAdded,
    comments: input.comments,
    omittedComments: input.omittedComments,
  });
  return { duplicate: closed.done(), target: joined.done() };
};

// ---- comments and assignment ------------------------------------------------------------------

/**
 * A comment and what it sets in motion. A public desk reply is a response (the first one opens a
 * `new` ticket). A public message from the requester's side waits for an answer; it resumes a
 * `pending` ticket, and reopens a `resolved` one within the reopen window if its author may
 * reopen (`canReopen`: the requester, not a watcher) — otherwise it is only recorded, and the
 * workflow closes the ticket when the window ends. Internal notes change nothing.
 * Who may comment at all (`canComment`) is checked by the caller.
 */
export const comment = (
  ticket: Ticket,
  by: Principal,
  input: { body: string; public: boolean; data?: Record<string, unknown> },
  at: Date,
): Transition => {
  if (ticket.status === 'closed' && input.public) {
    throw new ConflictError(`${ref(ticket)} is closed and takes no more replies; open a new ticket instead.`);
  }
  const change = new Change(ticket, at).entry('comment', by.id, input.public ? 'public' : 'internal', {
    body: input.body,
    ...(input.data && { data: input.data }),
  });
  if (!input.public) return change.done();

  if (conversationSide(by, ticket) === 'desk') {
    change.fact({ type: 'agent_reply' });
    if (ticket.status === 'new') {
      change.status('open').entry('updated', by.id, 'public', {
        changes: [{ field: 'status', from: 'new', to: 'open' }],
      });
    }
    return change.done();
  }

  if (ticket.status === 'pending') {
    change.status('open').event('resumed', by.id, 'public', { trigger: 'requester_reply' });
  } else if (isWithinReopenWindow(ticket, at) && canReopen(by, ticket)) {
    change.status('open').event('reopened', by.id, 'public', { trigger: 'requester_reply' });
  }
  // A message on a ticket that stays resolved waits for nothing: no response clock starts.
  if (change.ticket.status !== 'resolved') change.fact({ type: 'requester_message' });
  return change.done();
};

/** Tierdesk assigned the ticket by the group's rule (manual assignment is a PATCH). */
export const assignAutomatically = (
  ticket: Ticket,
  input: { assignee: string; mode: Exclude<AssignmentMode, 'manual'> },
  at: Date,
): Transition => {
  const change = new Change(ticket, at);
  change.ticket.assignee = input.assignee;
  return change
    .event('assigned', SYSTEM_ACTOR, 'internal', {
      assignee: input.assignee,
      mode: input.mode,
      group: ticket.group,
    })
    .done();
};

/** A priority change keeps the clocks' original start; the fact lets them recompute targets. */
export const priorityFacts = (before: Ticket, after: Ticket, at: string): Ticket =>
  before.priority === after.priority
    ? after
    : {
        ...after,
        clocks: {
          ...after.clocks,
          facts: [...after.clocks.facts, { at, type: 'priority', priority: after.priority }],
        },
      };
