import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';
import { mayOpen, ROUTE_ACCESS as ROUTES } from '../../web/src/route-access.ts';

/**
 * axe-core on every route of the console's router, for every role that may open it (and
 * anonymously for the public ones): zero serious or critical violations, no console errors. The
 * route list is the router's own table, so a page added without this check cannot exist.
 */

let harness: ConsoleHarness;
let ticket = 0;
let article = '';

const PEOPLE: Record<'requester' | 'agent' | 'supervisor' | 'admin' | 'ops', DevIdentity> = {
  requester: { email: 'rhea@example.com', role: 'requester' },
  agent: { email: 'arno@example.com', role: 'agent', tiers: [1] },
  supervisor: { email: 'suvi@example.com', role: 'supervisor' },
  admin: { email: 'ada@example.com', role: 'admin' },
  ops: { email: 'otto@example.com', role: 'ops' },
};

beforeAll(async () => {
  harness = await startConsoleHarness();
  const created = await harness.stack.api<{ number: number }>('/tickets', {
    method: 'POST',
    as: PEOPLE.requester,
    body: { subject: 'Laptop fan is loud', description: 'Since the update it never stops.' },
  });
  ticket = created.body.number;
  const written = await harness.stack.api<{ id: string }>('/kb/articles', {
    method: 'POST',
    as: PEOPLE.admin,
    body: {
      title: 'Laptop fan runs all the time',
      body: 'Close heavy browser tabs, then check **Task Manager** for runaway processes.',
      category: 'hardware/laptop',
      tags: ['laptop', 'fan'],
      status: 'published',
      audience: 'public',
    },
  });
  article = written.body.id;
  await harness.stack.settle();
});
afterAll(async () => {
  await harness?.stop();
});

const concrete = (path: string): string =>
  path.replace(':number', String(ticket)).replace(':id', article).replace(':kind', 'calendars');

/** Waits until the page has its heading and no request is still loading. */
const settled = async (page: Page) => {
  await page.locator('main h1').first().waitFor();
  await page
    .locator('main .loading')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
};

describe('every route of the console', () => {
  const roles = Object.keys(PEOPLE) as (keyof typeof PEOPLE)[];
  const visible = ROUTES.filter((route) => !['/auth/callback', '/'].includes(route.path));

  it.each(visible.map((route) => [route.path, route]))(
    '%s passes axe for everyone who may open it',
    async (_, route) => {
      const context = await harness.context();
      if (route.access === 'public') {
        const page = await harness.page(context);
        await page.goto(concrete(route.path));
        await settled(page);
        await expectAccessible(page, `${route.path} (anonymous)`);
      }
      for (const role of roles) {
        if (route.access === 'public' && role !== 'requester') continue;
        if (!mayOpen(route.access, role)) continue;
        const page = await harness.signedIn(PEOPLE[role], concrete(route.path), context);
        await settled(page);
        await expectAccessible(page, `${route.path} as ${role}`);
        await page.close();
      }
      await context.close();
      harness.assertNoErrors();
    },
  );
});
