import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';

/** The console's frame: the development sign-in, the navigation each role gets, sign-out, a 404. */

let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsoleHarness();
});
afterAll(async () => {
  await harness?.stop();
});

describe('the console shell', () => {
  it('signs an agent in through the development sign-in and shows the navigation for their role', async () => {
    const page = await harness.signedIn(
      { email: 'nia@example.com', role: 'agent', tiers: [1] },
      '/queue?tier=1',
    );
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect.poll(() => nav.getByRole('link').allTextContents()).toContain('Queues');
    expect(await nav.getByRole('link').allTextContents()).not.toContain('Configuration');
    await expectAccessible(page, '/queue as an agent');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.getByRole('link', { name: 'Sign in' }).count()).toBeGreaterThan(0);
    harness.assertNoErrors();
  });

  it('lists the people on the development sign-in page and is accessible there', async () => {
    const page = await harness.page(await harness.context());
    await page.goto('/sign-in');
    await expect.poll(() => page.getByRole('button', { name: /nia@example.com/ }).count()).toBeGreaterThan(0);
    await expectAccessible(page, '/sign-in');
    harness.assertNoErrors();
  });

  it('sends a signed-out visitor of a page that needs a sign-in to the sign-in page, and back afterwards', async () => {
    await harness.stack.token({ email: 'rosa@example.com', role: 'requester' });
    const page = await harness.page(await harness.context());
    await page.goto('/my');
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('returnTo') === '/my');
    await page.getByLabel(/sign in as any email/i).fill('rosa@example.com');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/my');
    harness.assertNoErrors();
  });

  it('tells a requester that a desk page is not for their role, and answers an unknown address with a 404 page', async () => {
    const page = await harness.signedIn({ email: 'rosa@example.com', role: 'requester' }, '/my');
    await page.goto('/queue?tier=1');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Not for your role');
    await page.goto('/no/such/page');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await expectAccessible(page, 'the 404 page');
    harness.assertNoErrors();
  });
});
