import type { Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import type { Page, PageRequest } from '#shared/store/query-page';

/**
 * The port to the people directory: who a person is to the desk (role, tier groups, whether they
 * work today). It is the one source of truth for who belongs to which tier: authorization reads it
 * on every request (`shared/auth/identity.ts`), assignment picks from it, and Cognito is kept in
 * step with it for sign-in only. The DynamoDB adapter is `adapters/dynamodb/directory.ts`.
 */

/** Away, from and/or until an instant (either end open); a note for whoever reassigns. */
export interface OutOfOffice {
  from?: string;
  until?: string;
  note?: string;
}

/**
 * What a write gives the directory. Entries written before tier groups existed carry only
 * `tiers`; `groups`, `timeZone` and `active` default when read (see `DirectoryUser`).
 */
export interface DirectoryEntry {
  email: string;
  name: string;
  role: Role;
  /** The tiers of the person's groups (agents only), derived from `groups` when written. */
  tiers: Tier[];
  /** Tier-group ids of the configuration (agents only). */
  groups?: string[];
  /** IANA time zone; `UTC` when never set. */
  timeZone?: string;
  outOfOffice?: OutOfOffice;
  /** A deactivated person cannot use the desk and is assigned nothing; `true` when never set. */
  active?: boolean;
  updatedAt: string;
}

/** A directory entry as read: every field present, and the revision its ETag names. */
export interface DirectoryUser extends Required<Omit<DirectoryEntry, 'outOfOffice'>> {
  outOfOffice?: OutOfOffice;
  /** Grows by one with every write of the entry. */
  revision: number;
}

/** Which people a list holds: all, or those of a role, a group, an active state (combinable). */
export interface DirectoryFilter {
  role?: Role;
  group?: string;
  active?: boolean;
}

/**
 * A conditional write: `null` = the entry must not exist yet, a number = the entry must be at that
 * revision. A write whose condition fails throws `PreconditionFailedError`.
 */
export type ExpectedRevision = number | null;

export interface Directory {
  getUser(email: string): Promise<DirectoryUser | undefined>;
  /**
   * Adds or replaces a directory entry, and keeps its membership partitions in step. Without
   * `expected` it replaces whatever is there (seeds, tests); with it, only that revision.
   */
  putUser(user: DirectoryEntry, expected?: ExpectedRevision): Promise<DirectoryUser>;
  /** A page of people, by email. */
  listUsers(filter: DirectoryFilter, page: PageRequest): Promise<Page<DirectoryUser>>;
  /** The directory's agents of a tier, by email (entries of any state: callers filter). */
  tierMembers(tier: Tier): Promise<DirectoryUser[]>;
  /** The directory's agents of a tier group (entries of any state: callers filter). */
  groupMembers(group: string): Promise<DirectoryUser[]>;
  /** The directory's supervisors. */
  supervisors(): Promise<DirectoryUser[]>;
  /** The active admins (the last one may not be deactivated or demoted). */
  activeAdmins(): Promise<DirectoryUser[]>;
}
