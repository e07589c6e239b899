import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { OAuth2Server } from 'oauth2-mock-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';

/**
 * The console's OpenID Connect sign-in, the code that runs against Cognito on AWS, here against a
 * local OAuth 2.0 / OIDC server (oauth2-mock-server) that the local stack trusts: authorization
 * code with PKCE, tokens in memory only, renewal by the refresh token, sign-out.
 */

const CLIENT_ID = 'tierdesk-console';

let provider: OAuth2Server;
let harness: ConsoleHarness;
let issuer: string;

/** What the provider saw and answered, in order. */
const authorizeRequests: Record<string, string>[] = [];
const tokenExchanges: { request: Record<string, string>; response: Record<string, string> }[] = [];
const endSessions: Record<string, string>[] = [];

/** Who the provider signs in (its authorize endpoint asks nobody), and whether the first ID token is stale. */
const provided = { email: 'oona@example.com', expireCodeGrantIdToken: false };

const queryOf = (url: string | undefined): Record<string, string> =>
  Object.fromEntries(new URL(url ?? '/', issuer).searchParams);

beforeAll(async () => {
  provider = new OAuth2Server();
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
  issuer = provider.issuer.url as string;
  provider.service.on('beforeAuthorizeRedirect', (_redirect, request) => {
    authorizeRequests.push(queryOf(request.url));
  });
  // The identity the API reads from an ID token is its `email` claim (shared/auth/identity.ts).
  provider.service.on('beforeTokenSigning', (token, request) => {
    const isIdToken = token.payload.aud === CLIENT_ID;
    Object.assign(token.payload, { email: provided.email, email_verified: true });
    if (isIdToken && provided.expireCodeGrantIdToken && request.body.grant_type === 'authorization_code') {
      token.payload.exp = Math.floor(Date.now() / 1000) - 60;
    }
  });
  provider.service.on('beforeResponse', (response, request) => {
    tokenExchanges.push({
      request: { ...request.body } as Record<string, string>,
      response: { ...(response.body as Record<string, string>) },
    });
  });
  provider.service.on('beforePostLogoutRedirect', (_redirect, request) => {
    endSessions.push(queryOf(request.url));
  });
  harness = await startConsoleHarness({ oidc: { issuer, clientId: CLIENT_ID } });
});
afterAll(async () => {
  await harness?.stop();
  await provider?.stop();
});

/** Everything the console's origin keeps in web storage, as the page sees it. */
const webStorage = (page: Page) =>
  page.evaluate(() => ({
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
  }));

const inFlightStates = (storage: { session: Record<string, string> }) =>
  Object.entries(storage.session).filter(([key]) => key.startsWith('oidc.'));

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const signedInAs = (page: Page) => page.locator('.account .who').textContent();

/** Opens a page that needs a sign-in and waits until the provider's code has signed `email` in there. */
const signInThroughProvider = async (page: Page, path: string, email: string) => {
  const exchanged = page.waitForResponse((response) => response.url() === `${issuer}/token`);
  await page.goto(path);
  await exchanged;
  await page.waitForURL((url) => url.pathname === path);
  await expect.poll(() => signedInAs(page), { timeout: 15_000 }).toContain(email);
};

describe('the OIDC sign-in', () => {
  it('signs in with the authorization code and PKCE (S256), keeping only the in-flight state in sessionStorage and no token', async () => {
    // Prepare: an agent of the directory; what sessionStorage holds when the provider sends the
    // browser back is noted before the console's code runs; the token request is held until the
    // callback page has been checked
    await harness.stack.token({ email: 'oona@example.com', role: 'agent', tiers: [1] });
    provided.email = 'oona@example.com';
    const context = await harness.context();
    await context.addInitScript({
      content:
        "if (location.pathname === '/auth/callback') window.storageOnReturn = Object.fromEntries(Object.entries(sessionStorage));",
    });
    const page = await harness.page(context);
    let releaseToken: () => void = () => {};
    const tokenHeld = new Promise<void>((resolve) => {
      releaseToken = resolve;
    });
    await page.route(`${issuer}/token`, async (route) => {
      await tokenHeld;
      await route.continue();
    });
    const exchangesBefore = tokenExchanges.length;

    // Act: a page that needs a sign-in sends the browser to the provider, which sends it back
    await page.goto('/my');
    await page.waitForURL((url) => url.pathname === '/auth/callback' && url.searchParams.has('code'));
    await page.getByText('Signing you in').waitFor();
    await expectAccessible(page, '/auth/callback while the code is exchanged');
    releaseToken();
    await page.waitForURL((url) => url.pathname === '/my');

    // Assess: the page shows who signed in, as GET /me has them
    await expect.poll(() => signedInAs(page), { timeout: 15_000 }).toMatch(/oona@example\.com.*\(agent\)/);

    // Assess: the authorize request asked for a code with an S256 challenge, back to the callback
    const authorize = authorizeRequests.at(-1) ?? {};
    expect(authorize).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${harness.stack.consoleUrl}/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    // Assess: the token request carried the verifier of that challenge, and no secret
    const exchanges = tokenExchanges.slice(exchangesBefore);
    expect(exchanges.map(({ request }) => request.grant_type)).toEqual(['authorization_code']);
    const [exchange] = exchanges;
    expect(exchange?.request).toMatchObject({ client_id: CLIENT_ID, code: expect.any(String) });
    expect(exchange?.request.client_secret).toBeUndefined();
    expect(s256(exchange?.request.code_verifier ?? '')).toBe(authorize.code_challenge);

    // Assess: during the redirect sessionStorage held the sign-in in flight (its PKCE verifier);
    // once signed in, nothing of it is left, and no token is in either storage
    const onReturn = await page.evaluate(
      () => (globalThis as unknown as { storageOnReturn: Record<string, string> }).storageOnReturn,
    );
    const pending = inFlightStates({ session: onReturn });
    expect(pending).toHaveLength(1);
    expect(JSON.parse(pending[0]?.[1] ?? '{}')).toMatchObject({
      code_verifier: exchange?.request.code_verifier,
    });
    const after = await webStorage(page);
    expect(inFlightStates(after)).toEqual([]);
    const tokens = ['id_token', 'access_token', 'refresh_token'].map((name) => exchange?.response[name]);
    for (const token of tokens) {
      expect(token).toEqual(expect.any(String));
      expect(JSON.stringify(after)).not.toContain(token);
    }
    harness.assertNoErrors();
  });

  it('renews an expired ID token with the refresh token before the API sees it', async () => {
    // Prepare: the provider hands out an ID token that has already expired
    await harness.stack.token({ email: 'pia@example.com', role: 'requester' });
    provided.email = 'pia@example.com';
    provided.expireCodeGrantIdToken = true;
    const page = await harness.page(await harness.context());
    const sentToApi: string[] = [];
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (request.url().startsWith(harness.stack.apiUrl) && authorization) sentToApi.push(authorization);
    });
    const exchangesBefore = tokenExchanges.length;

    try {
      // Act
      await signInThroughProvider(page, '/my', 'pia@example.com');
      expect(await signedInAs(page)).toMatch(/\(requester\)/);
    } finally {
      provided.expireCodeGrantIdToken = false;
    }

    // Assess: the code's ID token had expired; the refresh token got a new one, and only that
    // one reached the API
    const exchanges = tokenExchanges.slice(exchangesBefore);
    expect(exchanges.map(({ request }) => request.grant_type)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    const [code, refresh] = exchanges;
    expect(refresh?.request).toMatchObject({
      client_id: CLIENT_ID,
      refresh_token: code?.response.refresh_token,
    });
    const expired = code?.response.id_token ?? '';
    const renewed = refresh?.response.id_token ?? '';
    expect(decodeJwt(expired).exp).toBeLessThan(Date.now() / 1000);
    expect(sentToApi.length).toBeGreaterThan(0);
    expect(new Set(sentToApi)).toEqual(new Set([`Bearer ${renewed}`]));

    // Assess: the local API checks the provider's ID tokens as the JWT authorizer does
    const me = (token: string) =>
      fetch(`${harness.stack.apiUrl}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me(renewed)).status).toBe(200);
    expect((await me(expired)).status).toBe(401);
    const otherClient = await provider.issuer.buildToken({
      scopesOrTransform: (_header, payload) =>
        Object.assign(payload, { aud: 'another-client', email: 'pia@example.com' }),
    });
    expect((await me(otherClient)).status).toBe(401);
    harness.assertNoErrors();
  });

  it("signs out through the provider's end-session endpoint, back to the start page with nothing kept", async () => {
    // Prepare
    await harness.stack.token({ email: 'oona@example.com', role: 'agent', tiers: [1] });
    provided.email = 'oona@example.com';
    const page = await harness.page(await harness.context());
    await signInThroughProvider(page, '/my', 'oona@example.com');
    const endSessionsBefore = endSessions.length;

    // Act
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/' && endSessions.length > endSessionsBefore);

    // Assess: the provider was told, the console shows nobody, and keeps nothing
    expect(endSessions.at(-1)).toMatchObject({
      post_logout_redirect_uri: `${harness.stack.consoleUrl}/`,
      id_token_hint: expect.any(String),
    });
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    expect(await page.locator('.account .who').count()).toBe(0);
    const storage = await webStorage(page);
    expect(inFlightStates(storage)).toEqual([]);
    expect(JSON.stringify(storage)).not.toMatch(/eyJ/);
    harness.assertNoErrors();
  });

  it('explains a sign-in the provider refused, on an accessible callback page, and offers to try again', async () => {
    const page = await harness.page(await harness.context());
    await page.goto('/auth/callback?error=access_denied&error_description=The+user+cancelled&state=unknown');
    await page.getByRole('alert').waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Signing in failed');
    await page.getByRole('link', { name: 'Try signing in again' }).waitFor();
    await expectAccessible(page, '/auth/callback after a refused sign-in');
    harness.assertNoErrors();
  });
});
