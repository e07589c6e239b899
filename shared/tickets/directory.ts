import type { Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';

/**
 * The port to the people directory: who a person is to the desk (role, tier groups). The
 * DynamoDB adapter is `adapters/dynamodb/directory.ts`.
 */

export interface DirectoryUser {
  email: string;
  name: string;
  role: Role;
  tiers: Tier[];
  updatedAt: string;
}

export interface Directory {
  getUser(email: string): Promise<DirectoryUser | undefined>;
  /** Adds or replaces a directory entry, and keeps its tier memberships in step. */
  putUser(user: DirectoryUser): Promise<void>;
  /** The directory's agents of a tier, by email. */
  tierMembers(tier: Tier): Promise<DirectoryUser[]>;
  /** The directory's supervisors. */
  supervisors(): Promise<DirectoryUser[]>;
}
