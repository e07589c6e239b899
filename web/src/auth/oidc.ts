import { InMemoryWebStorage, type User, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AuthSettings } from '../settings.ts';
import type { AuthAdapter } from './session.ts';

/**
 * OpenID Connect sign-in (Cognito managed login on AWS, any OIDC provider locally): the
 * authorization code grant with PKCE (S256), by oidc-client-ts. Tokens live in memory only, never
 * in localStorage or sessionStorage; the refresh token renews the ID token before it expires. The
 * state and PKCE verifier of a sign-in in flight survive the redirect in sessionStorage (that is
 * what they are for) and are removed when the sign-in completes. Loaded only when the settings ask
 * for OIDC, so the development build never ships it to a page that does not need it.
 */

/**
 * An ID token this close to its expiry is renewed before it is sent: the browser's clock and the
 * gateway's may differ, and the request takes time to arrive.
 */
const EXPIRY_MARGIN_SECONDS = 60;

export const oidcAuth = (settings: Extract<AuthSettings, { kind: 'oidc' }>): AuthAdapter => {
  const manager = new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: `${location.origin}/auth/callback`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: settings.scope ?? 'openid email profile',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    // Renewal happens when a token is needed (below), not on a timer in the background.
    automaticSilentRenew: false,
    // The ID token's claims are all the console needs; who the person is comes from GET /me.
    loadUserInfo: false,
  });

  /** The API takes the ID token: its own expiry counts, not the access token's (`expires_in`). */
  const expiring = (user: User): boolean => {
    const exp = typeof user.profile.exp === 'number' ? user.profile.exp : 0;
    return exp - EXPIRY_MARGIN_SECONDS <= Date.now() / 1000;
  };

  /** One renewal at a time: the requests a page makes at once share it. */
  let renewing: Promise<User | undefined> | undefined;
  const renew = (): Promise<User | undefined> => {
    renewing ??= manager
      .signinSilent()
      .then((user) => user ?? undefined)
      .catch(async () => {
        // The refresh token expired or was revoked: the sign-in is over.
        await manager.removeUser();
        return undefined;
      })
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };

  const current = async (): Promise<User | undefined> => {
    const user = await manager.getUser();
    if (!user) return undefined;
    if (!expiring(user)) return user;
    if (!user.refresh_token) return undefined;
    const renewed = await renew();
    return renewed && !expiring(renewed) ? renewed : undefined;
  };

  return {
    kind: 'oidc',
    token: async () => (await current())?.id_token,
    // The tokens were in the memory of the page before this one: a reload signs in again (the
    // identity provider's own session makes that a round trip without a form).
    restore: async () => (await current()) !== undefined,
    signIn: async (returnTo) => {
      await manager.signinRedirect({ state: { returnTo } });
    },
    completeSignIn: async () => {
      const user = await manager.signinRedirectCallback();
      const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo;
      return returnTo?.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/';
    },
    signOut: async () => {
      const user = await manager.getUser();
      await manager.removeUser();
      if (settings.logoutUrl) {
        // Cognito's logout endpoint ends its managed login session; it takes client_id and
        // logout_uri, not the OpenID parameters.
        const url = new URL(settings.logoutUrl);
        url.searchParams.set('client_id', settings.clientId);
        url.searchParams.set('logout_uri', `${location.origin}/`);
        location.assign(url.toString());
        return;
      }
      // Otherwise the provider's OpenID end-session endpoint, when it has one.
      const endSession = await manager.metadataService.getEndSessionEndpoint().catch(() => undefined);
      if (endSession && user) {
        await manager.signoutRedirect({ id_token_hint: user.id_token });
        return;
      }
      location.assign('/');
    },
  };
};
