import { escalationGroup } from '#shared/config/compile';
import {
  ContentionError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
  VersionMismatchError,
} from '#shared/domain/errors';
import {
  type CarriedComment,
  close,
  escalate,
  handOff,
  type MergeInput,
  merge,
  recordVendorMail,
  recordVendorUpdate,
  reopen,
  resolve,
  resolveSelfServed,
  setPending,
  type Transition,
} from '#shared/domain/lifecycle';
import { canViewTicket } from '#shared/domain/policy';
import { normalizeEmail, type Principal } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type {
  CloseBody,
  EscalateBody,
  HandoffBody,
  MergeBody,
  PendingBody,
  ReopenBody,
  ResolveBody,
  VendorUpdateBody,
} from './input.ts';
import { type TicketDeps, visibleTicket } from './ticket-service.ts';
import type { MutateOptions, TicketStore } from './ticket-store.ts';

/**
 * The lifecycle actions as use cases: find the ticket as the caller may see it, then apply the
 * pure transition from `domain/lifecycle` on the version being written. Without If-Match an
 * action applies to whatever version is current (the transition re-checks the state); with it,
 * a stale version is a 412.
 */

export interface ActionOptions {
  expectedVersion?: number;
}

type Act = (current: Ticket, at: Date) => Transition;

const notFound = (number: number) => new NotFoundError(`Ticket #${number} was not found.`);

const act = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  options: ActionOptions,
  transition: Act,
  seen?: Ticket,
): Promise<Ticket> => {
  // Read first: an invisible ticket is a 404 even when the caller names a stale version. The
  // change is built on this very read (one read, then the conditional write).
  const read = seen ?? (await visibleTicket(deps, principal, number));
  const { ticket } = await deps.store.mutateTicket(
    number,
    (current) => {
      if (!canViewTicket(principal, current)) throw notFound(number);
      return transition(current, deps.clock.now());
    },
    { expectedVersion: options.expectedVersion, current: read },
  );
  return ticket;
};

export const escalateTicket = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: EscalateBody,
  options: ActionOptions = {},
) => {
  // The group each tier takes escalations in is configuration: read once, before the write.
  const { document: desk } = await deps.config.current();
  return act(deps, principal, number, options, (ticket, at) => {
    const group = ticket.tier < 3 ? escalationGroup(desk, (ticket.tier + 1) as 2 | 3) : undefined;
    return escalate(ticket, principal, { ...body, ...(group && { group }) }, at);
  });
};

export const setTicketPending = (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: PendingBody,
  options: ActionOptions = {},
) => act(deps, principal, number, options, (ticket, at) => setPending(ticket, principal, body, at));

/** `documentedIn`: the draft article the fix was written up in (see `kb-service.ts`). */
export const resolveTicket = (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: Pick<ResolveBody, 'resolution'> & { documentedIn?: string },
  options: ActionOptions = {},
) => act(deps, principal, number, options, (ticket, at) => resolve(ticket, principal, body, at));

/** The requester resolves their ticket with a knowledge-base article that solved it. */
export const resolveTicketSelfServed = (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  article: { id: string; title: string },
  options: ActionOptions = {},
) => act(deps, principal, number, options, (ticket, at) => resolveSelfServed(ticket, principal, article, at));

export const reopenTicket = (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: ReopenBody,
  options: ActionOptions = {},
) => act(deps, principal, number, options, (ticket, at) => reopen(ticket, principal, body, at));

export const closeTicket = (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: CloseBody,
  options: ActionOptions = {},
) => act(deps, principal, number, options, (ticket, at) => close(ticket, principal, body, at));

export const handOffTicket = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: HandoffBody,
  options: ActionOptions = {},
): Promise<Ticket> => {
  const seen = await visibleTicket(deps, principal, number);
  const vendor = await deps.config.getVendor(body.vendorId);
  if (!vendor) {
    throw new UnprocessableError(`There is no vendor ${body.vendorId}.`, [
      { field: 'body.vendorId', message: 'must be a vendor of the desk configuration' },
    ]);
  }
  return act(
    deps,
    principal,
    number,
    options,
    (ticket, at) => handOff(ticket, principal, { vendor, message: body.message }, at),
    seen,
  );
};

export const recordVendorAnswer = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: VendorUpdateBody,
  options: ActionOptions = {},
): Promise<Ticket> => {
  const seen = await visibleTicket(deps, principal, number);
  // The vendor's name is for the requester's "resolved by" line; a vendor since removed from
  // the configuration is named by its id.
  const vendor = seen.vendorId ? await deps.config.getVendor(seen.vendorId) : undefined;
  return act(
    deps,
    principal,
    number,
    options,
    (ticket, at) =>
      recordVendorUpdate(
        ticket,
        principal,
        { ...body, vendorName: vendor && vendor.vendorId === ticket.vendorId ? vendor.name : undefined },
        at,
      ),
    seen,
  );
};

export interface VendorMail {
  /** The sender's address. */
  from: string;
  message: string;
  /** Sent by the vendor's system (an automatic acknowledgment): a note, not an answer. */
  automated: boolean;
  data?: Record<string, unknown>;
}

/**
 * The vendor's own mail on a ticket handed to them: the vendor acts, not an agent, so no
 * principal and no policy check — the sender must be the address of the ticket's vendor in the
 * desk configuration, and the lifecycle decides the rest (`recordVendorMail`). Under an
 * idempotency key (the mail's) it is recorded once however often the mail is delivered.
 */
export const recordVendorAnswerByMail = async (
  deps: TicketDeps,
  number: number,
  mail: VendorMail,
  options: Pick<MutateOptions, 'idempotencyKey'> = {},
): Promise<Ticket> => {
  const seen = await deps.store.getTicket(number);
  if (!seen) throw notFound(number);
  const vendor = seen.vendorId ? await deps.config.getVendor(seen.vendorId) : undefined;
  if (!vendor || normalizeEmail(vendor.email) !== normalizeEmail(mail.from)) {
    throw new ForbiddenError(`${mail.from} is not the vendor of Ticket #${number}.`);
  }
  const { ticket } = await deps.store.mutateTicket(
    number,
    (current) => recordVendorMail(current, { ...mail, vendorId: vendor.vendorId }, deps.clock.now()),
    { ...options, current: seen },
  );
  return ticket;
};

/**
 * How much of a duplicate's conversation a merge carries to the target, in the target's one
 * `merged` event: the newest public comments that fit. DynamoDB items hold 400 KB; the carried
 * text stays well below that whatever the script (UTF-8 up to 4 bytes a character).
 */
export const MERGE_LIMITS = {
  comments: 50,
  bytes: 200_000,
  /** Timeline pages read from the duplicate (100 events each). */
  pages: 50,
} as const;

const carriedComments = async (store: TicketStore, number: number): Promise<MergeInput> => {
  const comments: CarriedComment[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.timeline(number, { limit: 100, cursor, includeInternal: false });
    for (const event of page.items) {
      if (event.type === 'comment' && event.body !== undefined) {
        comments.push({ at: event.at, actor: event.actor, body: event.body });
      }
    }
    cursor = page.nextCursor;
  } while (cursor && ++pages < MERGE_LIMITS.pages);
  const carried: CarriedComment[] = [];
  let bytes = 0;
  for (const candidate of [...comments].reverse()) {
    bytes += Buffer.byteLength(candidate.body) + Buffer.byteLength(candidate.actor) + candidate.at.length;
    if (carried.length === MERGE_LIMITS.comments || bytes > MERGE_LIMITS.bytes) break;
    carried.unshift(candidate);
  }
  return { comments: carried, omittedComments: comments.length - carried.length };
};

/** Attempts at a merge while the duplicate keeps getting comments (each retry rereads them). */
const MERGE_ATTEMPTS = 5;

/**
 * Merges the ticket into `body.into`, both tickets in one transaction. The duplicate's comments
 * are read first and the transaction is conditional on the duplicate's version at that read, so
 * a comment arriving meanwhile is carried over on a retry, never lost.
 */
export const mergeTicket = async (
  deps: TicketDeps,
  principal: Principal,
  number: number,
  body: MergeBody,
  options: ActionOptions = {},
): Promise<Ticket> => {
  const duplicate = await visibleTicket(deps, principal, number);
  const target = await deps.store.getTicket(body.into);
  if (!target || !canViewTicket(principal, target)) {
    throw new UnprocessableError(`Ticket #${body.into} was not found.`, [
      { field: 'body.into', message: 'must be a ticket you can see' },
    ]);
  }
  // Who may, and whether the states allow it, before anything is read or written.
  merge(duplicate, target, principal, { comments: [], omittedComments: 0 }, deps.clock.now());

  for (let attempt = 1; ; attempt++) {
    const seen = await deps.store.getTicket(number);
    if (!seen) throw notFound(number);
    if (options.expectedVersion !== undefined && seen.version !== options.expectedVersion) {
      throw new VersionMismatchError(options.expectedVersion, seen.version);
    }
    const carried = await carriedComments(deps.store, number);
    try {
      const [closed] = await deps.store.mutateTickets(
        [{ number, expectedVersion: seen.version }, { number: body.into }],
        ([currentDuplicate, currentTarget]) => {
          if (!currentDuplicate || !currentTarget) throw notFound(number);
          if (!canViewTicket(principal, currentDuplicate)) throw notFound(number);
          const merged = merge(currentDuplicate, currentTarget, principal, carried, deps.clock.now());
          return [merged.duplicate, merged.target];
        },
      );
      return (closed as { ticket: Ticket }).ticket;
    } catch (error) {
      if (!(error instanceof VersionMismatchError) || options.expectedVersion !== undefined) throw error;
      if (attempt >= MERGE_ATTEMPTS) {
        throw new ContentionError(`Ticket #${number} is changing too fast to merge; try again in a moment.`);
      }
    }
  }
};
