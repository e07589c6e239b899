import type { Ticket } from '#shared/domain/ticket';
import type { Priority, Status, Tier } from '#shared/domain/ticket-fields';
import type { NewTimelineEvent, TimelineEvent } from '#shared/domain/timeline';
import type { Page, PageRequest } from '#shared/store/query-page';

/**
 * The port through which the use cases reach tickets and their timelines. The DynamoDB adapter
 * (`adapters/dynamodb/tickets.ts`) implements it; only adapters build keys (with `shared/store`).
 */

/** A ticket about to be created: the store assigns `number` and `version`. */
export type TicketDraft = Omit<Ticket, 'number' | 'version'>;

export interface IdempotencyClaim {
  /** The caller's Idempotency-Key, scoped to the caller. */
  key: string;
  caller: string;
  /** Fingerprint of the request; a replay with another fingerprint is refused. */
  fingerprint: string;
}

export interface CreateOptions {
  /**
   * The details of the `created` event, given the number the store drew for the ticket: the email
   * intake records the mail there, with the keys of its attachments, which name the ticket.
   */
  createdData?: (number: number) => Record<string, unknown>;
}

export interface CreateResult {
  ticket: Ticket;
  /** true when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

/**
 * A change to apply to the current ticket: return the next ticket (same number, any fields) and
 * the events that record it, or null when there is nothing to change on this version. The store
 * bumps the version and writes both atomically.
 */
export type TicketChange = (current: Ticket) => { ticket: Ticket; events: NewTimelineEvent[] } | null;

/** One ticket of a multi-ticket change, optionally pinned to the version the caller saw. */
export interface TicketTarget {
  number: number;
  expectedVersion?: number;
}

export interface MutateOptions {
  /** The version the caller based the change on (If-Match); no retry when it is stale. */
  expectedVersion?: number;
  /**
   * Makes the change at most once under this key on this ticket: the key is written in the same
   * transaction as the change, and a later call with it changes nothing and answers with the
   * events the first one wrote (`replayed`). The email intake keys what a mail records with the
   * mail, so a delivery retried after a later step failed does not record it twice.
   */
  idempotencyKey?: string;
}

export interface MutateResult {
  ticket: Ticket;
  events: TimelineEvent[];
  /** An earlier call with the same `idempotencyKey` made the change; `events` are what it wrote. */
  replayed?: boolean;
}

/** What a work queue (a tier's, an agent's) may be narrowed to; it keeps its deadline order. */
export interface QueueFilter {
  status?: Status;
  priority?: Priority;
  group?: string;
  /** A category or a category folder: `network` matches `network` and `network/vpn`. */
  category?: string;
}

/**
 * A search of every ticket, whatever its status, newest first. The store serves the searches
 * `isServedSearch` (`input.ts`) accepts, each with one Query; a page may come back short (even empty) and
 * still carry a cursor, since the filters are applied to what the Query read.
 */
export interface TicketSearch {
  requester?: string;
  assignee?: string;
  tag?: string;
  status?: Status;
  tier?: Tier;
  priority?: Priority;
  /** Created at or after this ISO instant. */
  from?: string;
  /** Created at or before this ISO instant. */
  to?: string;
  /** Only tickets at this tier or below: the reach of an agent's tiers. */
  maxTier?: Tier;
}

export interface TicketStore {
  createTicket(
    draft: TicketDraft,
    idempotency?: IdempotencyClaim,
    options?: CreateOptions,
  ): Promise<CreateResult>;
  getTicket(number: number): Promise<Ticket | undefined>;
  /**
   * Applies `change` conditionally on the ticket version. With `expectedVersion` a stale version
   * fails fast (VersionMismatchError); without it, lost races are retried on a fresh read.
   */
  mutateTicket(number: number, change: TicketChange, options?: MutateOptions): Promise<MutateResult>;
  /**
   * Like mutateTicket, for a few tickets changed in one transaction (a merge): all land or none.
   * `change` receives the current tickets in the order of `targets` and returns one change result
   * (or null) for each.
   */
  mutateTickets(
    targets: readonly TicketTarget[],
    change: (current: Ticket[]) => ReturnType<TicketChange>[],
  ): Promise<MutateResult[]>;
  timeline(number: number, page: PageRequest & { includeInternal: boolean }): Promise<Page<TimelineEvent>>;
  ticketsOfPerson(email: string, page: PageRequest): Promise<Page<Ticket>>;
  /** Unresolved tickets of a tier, soonest deadline first. */
  tierQueue(tier: Tier, filter: QueueFilter | undefined, page: PageRequest): Promise<Page<Ticket>>;
  /** Unresolved tickets assigned to a person, soonest deadline first. */
  assignedTo(email: string, page: PageRequest, filter?: QueueFilter): Promise<Page<Ticket>>;
  /** Tickets of any status that match a search (`isServedSearch`), newest first. */
  findTickets(search: TicketSearch, page: PageRequest): Promise<Page<Ticket>>;
}
