import type { Role } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { Status, Tier } from '#shared/domain/ticket-fields';
import type { NewTimelineEvent, TimelineEvent } from '#shared/domain/timeline';

/**
 * The port through which handlers reach tickets, timelines and people. The DynamoDB adapter
 * (`dynamo-ticket-store.ts`) implements it; nothing outside `shared/store` builds a key.
 */

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

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
}

export interface MutateResult {
  ticket: Ticket;
  events: TimelineEvent[];
}

export interface DirectoryUser {
  email: string;
  name: string;
  role: Role;
  tiers: Tier[];
  updatedAt: string;
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
  tierQueue(tier: Tier, status: Status | undefined, page: PageRequest): Promise<Page<Ticket>>;
  assignedTo(email: string, page: PageRequest): Promise<Page<Ticket>>;
  getUser(email: string): Promise<DirectoryUser | undefined>;
  /** Adds or replaces a directory entry, and keeps its tier memberships in step. */
  putUser(user: DirectoryUser): Promise<void>;
  /** The directory's agents of a tier, by email. */
  tierMembers(tier: Tier): Promise<DirectoryUser[]>;
  /** The directory's supervisors. */
  supervisors(): Promise<DirectoryUser[]>;
  /** How many unresolved tickets are assigned to a person. */
  countAssigned(email: string): Promise<number>;
  /** The next turn of a group's round robin: 1, 2, 3, … (atomic; never the same twice). */
  nextAssignmentTurn(groupId: string): Promise<number>;
}
