import type { AuthAdapter } from './session.ts';

/**
 * The local stack's development sign-in: the sign-in page lists the directory's people and mints
 * a dev ID token for the one chosen (`POST /_local/token`), the same token the CLI and the tests
 * use. The token stays in memory; only who signed in is remembered for this tab, so a reload
 * mints a fresh token instead of asking again. Exists only where the local stack serves it.
 */
const REMEMBERED = 'tierdesk.dev.email';

export interface DevPerson {
  email: string;
  name: string;
  role: string;
  tiers: number[];
}

export interface DevAuth extends AuthAdapter {
  people(): Promise<DevPerson[]>;
  signInAs(email: string): Promise<void>;
}

/** The adapter the sign-in page may offer people to: the development one. */
export const isDevAuth = (auth: AuthAdapter): auth is DevAuth => auth.kind === 'dev' && 'signInAs' in auth;

export const devAuth = (devUrl: string): DevAuth => {
  let token: string | undefined;

  const mint = async (email: string): Promise<void> => {
    const response = await fetch(`${devUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (!response.ok) throw new Error(`Signing in as ${email} failed: HTTP ${response.status}`);
    token = ((await response.json()) as { token: string }).token;
    sessionStorage.setItem(REMEMBERED, email);
  };

  return {
    kind: 'dev',
    token: async () => token,
    restore: async () => {
      const email = sessionStorage.getItem(REMEMBERED);
      if (!email) return false;
      try {
        await mint(email);
        return true;
      } catch {
        sessionStorage.removeItem(REMEMBERED);
        return false;
      }
    },
    signIn: async (returnTo) => {
      location.assign(`/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
    },
    completeSignIn: async () => '/',
    signOut: async () => {
      token = undefined;
      sessionStorage.removeItem(REMEMBERED);
    },
    people: async () => {
      const response = await fetch(`${devUrl}/people`);
      if (!response.ok) throw new Error(`The people could not be listed: HTTP ${response.status}`);
      return ((await response.json()) as { items: DevPerson[] }).items;
    },
    signInAs: mint,
  };
};
