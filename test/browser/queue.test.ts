import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';
import { person } from '#test/support/local-stack';

/**
 * The agent workspace's queues and the find page, in Chromium on the local stack: tickets are
 * filed and worked over the API, the browser shows what the test claims. The local clock starts
 * on Tuesday 1 December 2026, 10:00 in Berlin (inside the demo desk's business hours) and stands
 * still until a test moves it; the last test moves it past a warning and past the Tier 1 OLA.
 *
 * Where the API does not (yet) take a parameter the pages send (`view=all`, the queue's priority
 * and category filters), the tests follow what it answers: the pages must work either way.
 */

let harness: ConsoleHarness;
const START = new Date('2026-12-01T09:00:00Z');
const agent: DevIdentity = { email: 'nia.queue@example.com', role: 'agent', tiers: [1] };
const supervisor: DevIdentity = { email: 'sam.queue@example.com', role: 'supervisor' };
const MINUTE = 60_000;
/** The queue refreshes itself every 10 s: a change shows within one refresh, and a margin. */
const LIVE = { timeout: 25_000, interval: 250 };

interface Listed {
  number: number;
  status: string;
  tier: number;
  createdAt: string;
  sla?: { remainingMs: number; warningMs: number };
}

beforeAll(async () => {
  harness = await startConsoleHarness({ clockStart: START });
  // In the directory before any ticket is filed: the Tier 1 group's round robin assigns to her.
  await harness.stack.token(agent);
});
afterAll(async () => {
  await harness?.stop();
});

const file = async (requester: DevIdentity, body: Record<string, unknown>): Promise<Listed> => {
  const response = await harness.stack.api<Listed>('/tickets', {
    method: 'POST',
    as: requester,
    body: { description: 'Filed by the queue test.', ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
};

const act = async (number: number, action: string, body: unknown) => {
  const response = await harness.stack.api(`/tickets/${number}/${action}`, {
    method: 'POST',
    as: agent,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
};

const queue = async (path: string, as: DevIdentity = agent) => {
  const response = await harness.stack.api<{ items: Listed[] }>(path, { as });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.items;
};

const moveClock = async (body: { advance: string } | { set: string }) => {
  const response = await harness.stack.api('/_local/clock', { method: 'POST', body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
};

const row = (page: Page, number: number) =>
  page.locator(`[data-testid="queue-row"][data-ticket="${number}"]`);

/**
 * A page signed in through the development sign-in that tolerates exactly one console error:
 * Chromium's own "Failed to load resource … 400" line for a `GET /tickets` the page asked and the
 * API refused (the page shows the refusal or asks again without the refused filter). Any other
 * console or page error fails the test, as on the harness's pages.
 */
const tolerantPage = async (who: DevIdentity, path: string) => {
  await harness.stack.token(who);
  const context = await harness.context();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    const refused = /status of 400/.test(message.text()) && /\/tickets\?/.test(message.location().url ?? '');
    if (message.type() === 'error' && !refused) errors.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(`/sign-in?returnTo=${encodeURIComponent(path)}`);
  await page.getByLabel(/sign in as any email/i).fill(who.email);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  return { page, assertNoErrors: () => expect(errors).toEqual([]) };
};

describe('the queues', () => {
  it('shows a triaged ticket in the Tier 1 queue with its SLA badge, and the filters narrow the list', async () => {
    const requester: DevIdentity = { email: person('printer'), role: 'requester' };
    const printer = await file(requester, {
      subject: 'Printer on floor 3 jams',
      impact: 'high',
      urgency: 'medium',
      category: 'hardware/printer',
    });
    const mailbox = await file(requester, {
      subject: 'Mailbox is full',
      impact: 'low',
      urgency: 'low',
      category: 'email',
    });
    await harness.stack.settle();
    await act(mailbox.number, 'pending', { reason: 'Which mail client do you use?' });
    await harness.stack.settle();
    const listed = (await queue('/tickets?view=queue&tier=1&limit=100')).find(
      (ticket) => ticket.number === printer.number,
    );
    expect(listed?.tier).toBe(1);

    const { page, assertNoErrors } = await tolerantPage(agent, '/queue?tier=1');
    await row(page, printer.number).waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Tier 1 queue');
    const badge = row(page, printer.number).locator('td[data-label="SLA"] .badge');
    if (listed?.sla) {
      // The desk view gives the next SLA target: the badge counts it down, on track for now.
      expect(await badge.getAttribute('data-sla-state')).toBe('ok');
      expect(await badge.textContent()).toMatch(/left/);
    } else {
      expect(await badge.textContent()).toBe('no SLA');
    }
    await expectAccessible(page, '/queue?tier=1 as an agent');

    // Priority: P2 keeps the printer and drops the P4 mailbox.
    await page.getByLabel('Priority').selectOption('P2');
    await page.waitForURL((url) => url.searchParams.get('priority') === 'P2');
    await row(page, printer.number).waitFor();
    expect(await row(page, mailbox.number).count()).toBe(0);
    const priorities = await page
      .locator('[data-testid="queue-row"] td[data-label="Priority"]')
      .allTextContents();
    expect(new Set(priorities)).toEqual(new Set(['P2']));

    // Status (the API's own filter): pending keeps the mailbox only.
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => url.search === '?tier=1');
    await page.getByLabel('Status').selectOption('pending');
    await page.waitForURL((url) => url.searchParams.get('status') === 'pending');
    await row(page, mailbox.number).waitFor();
    expect(await row(page, printer.number).count()).toBe(0);

    // Category, from a bookmarked address: free text for an agent, the filters in the URL.
    await page.goto('/queue?tier=1&category=email');
    await row(page, mailbox.number).waitFor();
    expect(await row(page, printer.number).count()).toBe(0);
    expect(await page.getByLabel('Category').inputValue()).toBe('email');
    assertNoErrors();
    harness.assertNoErrors();
  });

  it('is worked by keyboard: j and k select, Enter opens, / goes to the filters, a and 1 switch, ? lists the keys', async () => {
    const requester: DevIdentity = { email: person('keys'), role: 'requester' };
    await file(requester, { subject: 'Docking station flickers' });
    await file(requester, { subject: 'Second screen stays black' });
    await harness.stack.settle();

    const page = await harness.signedIn(agent, '/queue?tier=1');
    const rows = page.locator('[data-testid="queue-row"]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const numbers = (
      await rows.evaluateAll((found) => found.map((tr) => tr.getAttribute('data-ticket')))
    ).map(Number);

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => rows.nth(1).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('k');
    await expect.poll(() => rows.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await rows.nth(1).getAttribute('aria-current')).toBeNull();
    // The selected row's link has the focus: visible, and what a screen reader reads.
    expect(await page.locator('tr:has(:focus)').getAttribute('data-ticket')).toBe(String(numbers[0]));

    // ? lists the shortcuts in a modal dialog; Escape closes it and gives the focus back.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Select the next ticket');
    expect(await help.locator(':focus').count()).toBe(1);
    // Tab stays in the dialog.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await help.locator(':focus').count()).toBe(1);
    await expectAccessible(page, 'the keyboard shortcuts dialog');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(await page.locator('tr:has(:focus)').getAttribute('data-ticket')).toBe(String(numbers[0]));

    // / goes to the filters; keys typed there are the field's, not shortcuts.
    await page.keyboard.press('/');
    expect(await page.locator(':focus').getAttribute('id')).toBe('queue-status');
    await page.keyboard.press('a');
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    await page.locator(':focus').blur();
    await page.keyboard.press('a');
    await page.waitForURL((url) => url.searchParams.get('view') === 'assigned');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Assigned to me');
    await page.keyboard.press('1');
    await page.waitForURL((url) => url.searchParams.get('tier') === '1');

    // o opens the selected ticket; Enter on it (its link has the focus) too.
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const first = Number(await rows.nth(0).getAttribute('data-ticket'));
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await page.waitForURL((url) => url.pathname === `/tickets/${first}`);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/queue');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const second = Number(await rows.nth(1).getAttribute('data-ticket'));
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === `/tickets/${second}`);
    harness.assertNoErrors();
  });

  it('lists the tickets assigned to me, and is accessible to a supervisor and at 375 px', async () => {
    const requester: DevIdentity = { email: person('assigned'), role: 'requester' };
    const ticket = await file(requester, { subject: 'New starter needs a laptop', category: 'hardware' });
    await harness.stack.settle();
    const assigned = await harness.stack.api(`/tickets/${ticket.number}`, {
      method: 'PATCH',
      as: agent,
      headers: { 'if-match': '*' },
      body: { assignee: agent.email },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    await harness.stack.settle();

    const page = await harness.signedIn(agent, '/queue?tier=1');
    await page.getByRole('link', { name: 'Assigned to me' }).click();
    await page.waitForURL((url) => url.searchParams.get('view') === 'assigned');
    await row(page, ticket.number).waitFor();
    expect(await row(page, ticket.number).locator('td[data-label="Assignee"]').textContent()).toBe(
      agent.email,
    );
    expect(
      await page.getByRole('navigation', { name: 'Queues' }).locator('[aria-current="page"]').textContent(),
    ).toBe('Assigned to me');

    // A supervisor works every tier, and filters by the groups and categories of the configuration.
    const boss = await harness.signedIn(supervisor, '/queue?tier=1');
    await row(boss, ticket.number).waitFor();
    expect(
      await boss.getByRole('navigation', { name: 'Queues' }).getByRole('link').allTextContents(),
    ).toEqual(['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4 (vendor)', 'Assigned to me']);
    await expect
      .poll(() => boss.getByLabel('Group').locator('option').allTextContents())
      .toContain('Service desk (tier1, Tier 1)');
    expect(await boss.getByLabel('Category').locator('option').allTextContents()).toContain(
      'hardware/printer',
    );
    await expectAccessible(boss, '/queue?tier=1 as a supervisor');
    await boss.goto('/search');
    await boss.getByRole('heading', { level: 1, name: 'Find tickets' }).waitFor();
    await expectAccessible(boss, '/search as a supervisor');

    // At 375 px (the agent's phone) each row is a card, and nothing scrolls sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByRole('link', { name: 'Tier 1', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('tier') === '1');
    await row(page, ticket.number).waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await expectAccessible(page, '/queue?tier=1 at 375 px');
    harness.assertNoErrors();
  });
});

describe('finding tickets', () => {
  it('finds a resolved ticket by requester and status, opens a number directly, and shows a refusal beside the form', async () => {
    const requester: DevIdentity = { email: person('resolved'), role: 'requester' };
    const ticket = await file(requester, { subject: 'Cannot print in colour' });
    await harness.stack.settle();
    await act(ticket.number, 'resolve', { resolution: 'Colour cartridge replaced.' });
    await harness.stack.settle();
    const search = `requester=${encodeURIComponent(requester.email)}&status=resolved`;
    const answer = await harness.stack.api<{ items: Listed[] }>(`/tickets?view=all&${search}`, { as: agent });

    const { page, assertNoErrors } = await tolerantPage(agent, '/search');
    await page.getByLabel('Requester (email)').fill(requester.email);
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(
      (url) =>
        url.searchParams.get('requester') === requester.email &&
        url.searchParams.get('status') === 'resolved',
    );
    if (answer.status === 200) {
      const found = page.locator(`[data-testid="find-row"][data-ticket="${ticket.number}"]`);
      await found.waitFor();
      expect(await found.locator('td[data-label="Status"]').textContent()).toBe('resolved');
    } else {
      // The API refuses the search: its problem is shown in the form, beside the fields.
      expect(answer.status).toBe(400);
      const refusal = page.getByRole('form', { name: 'Find tickets' }).getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain((answer.body as unknown as { title: string }).title);
    }
    await expectAccessible(page, '/search with an answer, as an agent');

    // The search is the page's address: bookmarked, it comes back filled in.
    await page.goto(`/search?${search}`);
    expect(await page.getByLabel('Requester (email)').inputValue()).toBe(requester.email);
    expect(await page.getByLabel('Status').inputValue()).toBe('resolved');

    // A combination no index answers: the API names the ones it supports, beside the form.
    const odd = `assignee=${encodeURIComponent(agent.email)}&tag=printer&priority=P4&from=2026-11-01`;
    const oddAnswer = await harness.stack.api(`/tickets?view=all&${odd}`, { as: agent });
    await page.goto(`/search?${odd}`);
    if (oddAnswer.status === 400) {
      const refusal = page.getByRole('form', { name: 'Find tickets' }).getByRole('alert');
      await refusal.waitFor();
      const issues = (oddAnswer.body as { errors?: { field: string; message: string }[] }).errors ?? [];
      for (const issue of issues) expect(await refusal.textContent()).toContain(issue.message);
      // A field the API names is marked, its message beside it.
      if (issues.some((issue) => issue.field === 'query.tag')) {
        expect(await page.getByLabel('Tag').getAttribute('aria-invalid')).toBe('true');
      }
    } else {
      await page.getByRole('heading', { name: 'Results' }).waitFor();
    }

    // A number alone opens the ticket.
    await page.goto('/search');
    await page.getByLabel('Ticket number').fill(String(ticket.number));
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL((url) => url.pathname === `/tickets/${ticket.number}`);
    assertNoErrors();
    harness.assertNoErrors();
  });
});

describe('the clocks drive the queue', () => {
  it('turns the badge to warning on the live refresh, and moves the ticket to Tier 2 past the Tier 1 OLA', async () => {
    const requester: DevIdentity = { email: person('vpn'), role: 'requester' };
    // P1 (high impact, high urgency): the 24×7 policy, first response in 30 min, warned at half.
    const ticket = await file(requester, {
      subject: 'VPN down for the whole office',
      impact: 'high',
      urgency: 'high',
    });
    await harness.stack.settle();
    const listed = (await queue('/tickets?view=queue&tier=1&limit=100')).find(
      (item) => item.number === ticket.number,
    );
    expect(listed).toBeDefined();

    const page = await harness.signedIn(agent, '/queue?tier=1');
    const badge = row(page, ticket.number).locator('td[data-label="SLA"] .badge');
    await badge.waitFor();
    const sla = listed?.sla;
    if (sla) expect(await badge.getAttribute('data-sla-state')).toBe('ok');

    // Just past the warning point (still well inside the Tier 1 OLA of 2 business hours).
    const toWarning = sla ? sla.remainingMs - sla.warningMs + MINUTE : 20 * MINUTE;
    expect(toWarning).toBeLessThan(100 * MINUTE);
    await moveClock({ advance: `PT${Math.ceil(toWarning / 1000)}S` });
    if (sla) {
      await expect.poll(() => badge.getAttribute('data-sla-state'), LIVE).toBe('warning');
      expect(await badge.textContent()).toMatch(/due soon/);
    } else {
      expect((await queue('/tickets?view=queue&tier=1&limit=100')).map((item) => item.number)).toContain(
        ticket.number,
      );
    }

    // Past the Tier 1 OLA (2 business hours from filing, 10:00 Berlin): escalated to Tier 2.
    await moveClock({ set: new Date(Date.parse(ticket.createdAt) + 125 * MINUTE).toISOString() });
    const moved = await harness.stack.api<Listed>(`/tickets/${ticket.number}`, { as: supervisor });
    expect(moved.body.tier).toBe(2);
    await expect.poll(() => row(page, ticket.number).count(), LIVE).toBe(0);

    const tier2 = await harness.signedIn(supervisor, '/queue?tier=2');
    await row(tier2, ticket.number).waitFor();
    expect(await tier2.getByRole('heading', { level: 1 }).textContent()).toBe('Tier 2 queue');
    harness.assertNoErrors();
  });
});
