import type { Role } from '../api/types.ts';

/** Who is signed in, as the desk's directory has them (`GET /me`): what the console shows and offers. */
export interface Session {
  email: string;
  name?: string;
  role: Role;
  tiers: number[];
  groups: string[];
  timeZone?: string;
}

/**
 * The one seam between the console and how people sign in: the development sign-in locally,
 * Cognito managed login (OIDC authorization code + PKCE) on AWS. Everything else in the app is
 * the same on both.
 */
export interface AuthAdapter {
  readonly kind: 'dev' | 'oidc';
  /** A current ID token for the API, refreshed when needed; undefined when signed out. */
  token(): Promise<string | undefined>;
  /** Restores a sign-in on page load (dev: the remembered person; OIDC: a silent renew); true when signed in. */
  restore(): Promise<boolean>;
  /** Starts signing in; returns to `returnTo` afterwards. */
  signIn(returnTo: string): Promise<void>;
  /** OIDC: completes the redirect back from the identity provider; returns where to go. */
  completeSignIn(): Promise<string>;
  signOut(): Promise<void>;
}

export const isStaff = (session: Session | undefined): boolean =>
  session !== undefined && session.role !== 'requester';

/** Where a person lands after signing in: their tickets (requesters), their queue (agents), the overview (others). */
export const homeOf = (session: Session): string => {
  switch (session.role) {
    case 'requester':
      return '/my';
    case 'agent':
      return `/queue?tier=${session.tiers[0] ?? 1}`;
    case 'ops':
      return '/ops/executions';
    default:
      return '/queue?tier=1';
  }
};
