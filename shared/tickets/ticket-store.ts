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
  /**
   * The ticket as the caller just read it (`getTicket`, a consistent read): the first attempt
   * builds the change on it instead of reading the ticket again; the write is conditional on its
   * version as always, and a lost race reads afresh. Saves the second read of a use case that had
   * to read the ticket for its own checks first.
   */
  current?: Ticket;
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
  /** Only tickets at this tier or below: the reach of an agent's tiers (`tierReach`). */
  maxTier?: number;
}

/** Who has a ticket open in the console, and doing what (see `presence.ts`). */
export interface PresenceEntry {
  email: string;
  name?: string;
  state: 'viewing' | 'replying';
  /** When the person started doing what `state` says (ISO 8601). */
  since: string;
  /** Gone after this instant unless a heartbeat renews it (ISO 8601). */
  expiresAt: string;
}

/** What a presence read needs of the ticket: who may see it, and its version. */
export type TicketSummary = Pick<Ticket, 'number' | 'version' | 'tier' | 'requester' | 'watchers'>;

/**
 * A file listed on the timeline, by id: the event that lists it decides who may see it (`public`);
 * `key` is where the file is kept when the listing names it (mail attachments), else the upload's
 * own place (`AttachmentFiles.uploadKey`).
 */
export interface AttachmentLink {
  id: string;
  eventId: string;
  public: boolean;
  filename: string;
  contentType?: string;
  size?: number;
  key?: string;
}

export interface TicketStore {
  createTicket(
    draft: TicketDraft,
    idempotency?: IdempotencyClaim,
    options?: CreateOptions,
  ): Promise<CreateResult>;
  getTicket(number: number): Promise<Ticket | undefined>;
  /**
   * The ticket with every clock fact it ever recorded in `clocks.facts` and no checkpoint: for what
   * shows or computes again its whole clock history (the workflow view, a policy's dry run). One
   * Query of the ticket and its fact items; `getTicket` is what every other reader needs.
   */
  ticketWithHistory(number: number): Promise<Ticket | undefined>;
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
  /**
   * A page of the timeline and the ticket, which decides who may read it: one Query whenever the
   * page reaches the end of the timeline (the ticket item sorts right after the events), else a
   * GetItem more. `ticket` is undefined when there is no such ticket. The caller checks access
   * before it shows anything of the page.
   */
  timelineWithTicket(
    number: number,
    page: PageRequest & { includeInternal: boolean },
  ): Promise<{ ticket: Ticket | undefined; page: Page<TimelineEvent> }>;
  ticketsOfPerson(email: string, page: PageRequest): Promise<Page<Ticket>>;
  /** Unresolved tickets of a tier, soonest deadline first. */
  tierQueue(tier: Tier, filter: QueueFilter | undefined, page: PageRequest): Promise<Page<Ticket>>;
  /** Unresolved tickets assigned to a person, soonest deadline first. */
  assignedTo(email: string, page: PageRequest, filter?: QueueFilter): Promise<Page<Ticket>>;
  /** Tickets of any status that match a search (`isServedSearch`), newest first. */
  findTickets(search: TicketSearch, page: PageRequest): Promise<Page<Ticket>>;
  /**
   * The ticket (what visibility needs, and its version) and every presence entry kept beside it,
   * expired ones included (TTL deletes late): one Query. Undefined when there is no such ticket.
   */
  presence(number: number): Promise<{ ticket: TicketSummary; entries: PresenceEntry[] } | undefined>;
  /** Keeps (or renews) a person's entry; it changes nothing else, the ticket's version least of all. */
  putPresence(number: number, entry: PresenceEntry): Promise<void>;
  removePresence(number: number, email: string): Promise<void>;
  /** The attachment of the ticket with this id, as the event that lists it wrote it. */
  attachment(number: number, id: string): Promise<AttachmentLink | undefined>;
}
