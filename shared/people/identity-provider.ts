import type { Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';

/**
 * The port to whoever signs people in (Cognito on AWS). The people directory is the source of
 * truth and authorization reads only the directory; the identity provider is kept in step so a
 * person can sign in (created, disabled, enabled) and so its groups say the same as the directory
 * to whoever looks at the user pool. Adapters: `adapters/cognito.ts`, `adapters/recorder.ts`.
 *
 * Drift (the pool saying something else than the directory: a call that failed after the directory
 * was written, a change made by hand in the console) is harmless to authorization, which never
 * reads the pool. It is detected by comparing the two listings, person by person: enabled ⇔
 * active, groups ⇔ `groupsFor(role, tiers)`; and repaired by writing the directory's answer to the
 * pool again (a PUT of the entry unchanged does exactly that).
 */
export interface IdentityProvider {
  /** Creates the sign-in account (invited by mail); an existing one is left as it is. */
  createUser(email: string, name: string): Promise<void>;
  disableUser(email: string): Promise<void>;
  enableUser(email: string): Promise<void>;
  /** The pool's groups of the person, as the directory has them (`groupsFor`). */
  setGroups(email: string, role: Role, tiers: readonly Tier[]): Promise<void>;
}
