import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AuthSettings } from '../settings.ts';
import type { AuthAdapter } from './session.ts';

/**
 * Cognito managed login: OAuth 2.0 authorization code with PKCE (oidc-client-ts). Tokens live in
 * memory only; the refresh token renews them before they expire. The PKCE verifier and state of a
 * sign-in in flight survive the redirect in sessionStorage (that is what they are for). Loaded
 * only when the settings ask for OIDC, so the development build never ships it to a page that
 * does not need it.
 */
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
    automaticSilentRenew: true,
    ...(settings.logoutUrl
      ? {
          metadataSeed: { end_session_endpoint: settings.logoutUrl },
          extraQueryParams: {},
        }
      : {}),
  });

  const current = async () => {
    const user = await manager.getUser();
    if (!user) return undefined;
    if (user.expired && user.refresh_token) {
      try {
        return await manager.signinSilent();
      } catch {
        return undefined;
      }
    }
    return user.expired ? undefined : user;
  };

  return {
    kind: 'oidc',
    token: async () => (await current())?.id_token,
    restore: async () => (await current()) !== undefined,
    signIn: async (returnTo) => {
      await manager.signinRedirect({ state: { returnTo } });
    },
    completeSignIn: async () => {
      const user = await manager.signinRedirectCallback();
      const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo;
      return returnTo?.startsWith('/') ? returnTo : '/';
    },
    signOut: async () => {
      await manager.removeUser();
      if (settings.logoutUrl) {
        // Cognito's logout endpoint takes client_id and logout_uri, not the OIDC parameters.
        const url = new URL(settings.logoutUrl);
        url.searchParams.set('client_id', settings.clientId);
        url.searchParams.set('logout_uri', `${location.origin}/`);
        location.assign(url.toString());
      }
    },
  };
};
