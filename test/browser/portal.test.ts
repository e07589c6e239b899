import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';
import { person } from '#test/support/local-stack';

/**
 * The requester portal and the public knowledge base in Chromium, on the local stack: a requester
 * sees an article suggested while typing and is helped without a ticket; files a ticket by keyboard
 * alone; sees the agent's public reply appear (never the internal note), replies, reopens the
 * resolved ticket and rates it once closed; finds it in "My tickets". The knowledge base renders
 * articles as HTML without a sign-in. The desk's side is arranged over the HTTP API.
 */

let harness: ConsoleHarness;
let articleId: string;

const sam: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const nia: DevIdentity = { email: 'nia@example.com', role: 'agent', tiers: [1] };
const requester = (label: string): DevIdentity => ({ email: person(label), role: 'requester' });

const ARTICLE = {
  title: 'Plotter in the drawing office shows "paper jam" with no paper stuck',
  body: [
    'The large-format plotter in the drawing office reports a paper jam when the roll sensor is dusty.',
    '',
    '1. Open the top cover and lift the roll.',
    '2. Wipe the roll sensor (the small window left of the roll holder) with a dry cloth.',
    '3. Close the cover and press **Resume**.',
  ].join('\n'),
  tags: ['plotter', 'printing'],
  category: 'hardware/printer',
  audience: 'public',
  status: 'published',
};

beforeAll(async () => {
  harness = await startConsoleHarness();
  const { stack } = harness;
  const created = await stack.api<{ id: string }>('/kb/articles', { method: 'POST', as: sam, body: ARTICLE });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  articleId = created.body.id;
  // The stream processor rebuilds the search index; the searching functions pick it up.
  await vi.waitFor(
    async () => {
      await stack.settle();
      const found = await stack.api<{ items: { id: string }[] }>('/kb/public/search?q=plotter%20paper%20jam');
      expect(found.body.items.map((hit) => hit.id)).toContain(articleId);
    },
    { timeout: 30_000, interval: 500 },
  );
});
afterAll(async () => {
  await harness?.stop();
});

type Ticket = { number: number; status: string; csat?: { score: number; comment?: string } };

const myTickets = async (who: DevIdentity) =>
  (await harness.stack.api<{ items: Ticket[] }>('/tickets?view=mine', { as: who })).body.items;

const asDesk = async (path: string, body?: unknown) => {
  const answer = await harness.stack.api(path, { method: 'POST', as: nia, body });
  expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  await harness.stack.settle();
};

/** Tab (and only Tab) until the element labelled `label` has the focus. */
const tabTo = async (page: Page, label: string) => {
  for (let presses = 0; presses < 30; presses++) {
    await page.keyboard.press('Tab');
    // What the focused element is called: its label's text, or its own (a button, a link).
    const focused = String(
      await page.evaluate(`(() => {
        const active = document.activeElement;
        const label = active && active.id && document.querySelector('label[for="' + active.id + '"]');
        return ((label || active) && (label || active).textContent) || '';
      })()`),
    );
    if (focused.trim() === label) return;
  }
  throw new Error(`Tab never reached "${label}"`);
};

describe('the requester portal', () => {
  it('suggests the matching article while the subject is typed; "This solved it" files no ticket', async () => {
    const rosa = requester('rosa');
    const page = await harness.signedIn(rosa, '/new');
    await page.getByRole('heading', { name: 'New ticket', level: 1 }).waitFor();
    await expectAccessible(page, '/new as a requester');

    await page
      .getByLabel('Subject', { exact: true })
      .pressSequentially('plotter says paper jam', { delay: 15 });
    const suggestion = page.getByRole('link', { name: /Plotter in the drawing office/ });
    await suggestion.waitFor();
    expect(await suggestion.getAttribute('href')).toBe(`/kb/${articleId}`);
    await expectAccessible(page, '/new with suggestions');

    await page.getByRole('button', { name: /This solved it: Plotter in the drawing office/ }).click();
    await page.getByRole('heading', { name: 'Glad that helped', level: 1 }).waitFor();
    expect(await page.getByText('No ticket was filed.').count()).toBe(1);
    expect(await myTickets(rosa)).toEqual([]);
    await expectAccessible(page, 'the thank-you after a deflection');
    harness.assertNoErrors();
  });

  it("files a ticket by keyboard alone, shows the agent's reply live and never the internal note, replies, reopens and rates it", async () => {
    const ida = requester('ida');
    const page = await harness.signedIn(ida, '/new');
    const keys: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/tickets')
        keys.push(request.headers()['idempotency-key']);
    });

    // Keyboard only: Tab to each field, type, Tab to "Send ticket", Enter.
    await tabTo(page, 'Subject');
    await page.keyboard.type('Plotter prints blank pages');
    await tabTo(page, 'Description');
    await page.keyboard.type('Since this morning every page comes out blank.');
    await tabTo(page, 'Send ticket');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/tickets\/\d+$/);
    const number = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('heading', { name: `#${number} Plotter prints blank pages`, level: 1 }).waitFor();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9._:-]{1,100}$/);
    expect((await myTickets(ida)).map((ticket) => ticket.number)).toEqual([number]);
    await page.getByText('opened the ticket').waitFor();
    // Right after filing, the ticket's page suggests the article that may solve it: its own
    // request (GET /tickets/{number}/suggestions), since creating the ticket searched nothing.
    const mayHelp = page.getByRole('region', { name: 'Articles that may help' });
    await mayHelp.locator(`a[href="/kb/${articleId}"]`).waitFor();
    await expectAccessible(page, 'the requester ticket page');
    await harness.stack.settle();

    // The acknowledgment links the suggested article to its page in the console, not to JSON.
    const sent = (await (await fetch(`${harness.stack.mail.sesUrl}store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    const ack = sent.emails.find((mail) => mail.destination.to.some((to) => to.includes(ida.email)));
    expect(ack?.body.text).toContain(`${harness.stack.consoleUrl}/kb/${articleId}`);
    expect(ack?.body.text).not.toContain('/kb/public/articles/');

    // The desk answers in public and writes an internal note: the page refreshes on its own.
    await asDesk(`/tickets/${number}/comments`, { body: 'Please check the toner cartridge.', public: true });
    await asDesk(`/tickets/${number}/comments`, { body: 'INTERNAL: plotter lease ends soon', public: false });
    await page.getByText('Please check the toner cartridge.').waitFor({ timeout: 25_000 });
    expect(await page.content()).not.toContain('plotter lease ends soon');

    await page.getByLabel('Your reply').fill('The toner is full; still blank.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('.timeline li', { hasText: 'The toner is full; still blank.' }).waitFor();
    expect(await page.content()).not.toContain('plotter lease ends soon');

    // Resolved: the requester reopens it within the window.
    await asDesk(`/tickets/${number}/resolve`, { resolution: 'Replaced the print head.' });
    await page.reload();
    await page.getByRole('heading', { name: 'Not solved?' }).waitFor();
    await expectAccessible(page, 'a resolved ticket for its requester');
    await page.getByLabel('Why are you reopening it?').fill('Blank pages again after an hour.');
    await page.getByRole('button', { name: 'Reopen ticket' }).click();
    await page.locator('[data-status="open"]').first().waitFor();
    await page.getByText('Blank pages again after an hour.').waitFor();
    expect((await harness.stack.api<Ticket>(`/tickets/${number}`, { as: ida })).body.status).toBe('open');

    // Resolved again and closed by the desk: the requester answers the satisfaction question.
    await harness.stack.settle();
    await asDesk(`/tickets/${number}/resolve`, { resolution: 'Replaced the roll sensor too.' });
    await asDesk(`/tickets/${number}/close`, {});
    await page.reload();
    await page.getByRole('heading', { name: 'How did we do?' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send reply' }).count()).toBe(0);
    await expectAccessible(page, 'a closed ticket with the satisfaction question');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('Choose a rating from 1 to 5.').waitFor();
    await page.getByLabel('4', { exact: true }).check();
    await page.getByLabel('A few words (optional)').fill('Quick once it reached the right person.');
    await page.getByRole('button', { name: 'Send rating' }).click();
    await page.getByText('4 out of 5', { exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Your rating' }).waitFor();
    expect((await harness.stack.api<Ticket>(`/tickets/${number}`, { as: ida })).body.csat).toMatchObject({
      score: 4,
      comment: 'Quick once it reached the right person.',
    });
    await expectAccessible(page, 'a rated ticket');

    // My tickets: not among the open ones, listed under closed.
    await page.goto('/my');
    await page.getByRole('heading', { name: 'My tickets', level: 1 }).waitFor();
    await page.getByText('You have no open tickets.').waitFor();
    await expectAccessible(page, '/my as a requester');
    await page.getByRole('button', { name: /^Closed/ }).click();
    await page.waitForURL((url) => url.searchParams.get('show') === 'closed');
    const row = page.getByRole('link', { name: 'Plotter prints blank pages' });
    await row.waitFor();
    expect(await row.getAttribute('href')).toBe(`/tickets/${number}`);
    harness.assertNoErrors();
  });

  it('fits /new at 375 px, with the field errors next to their fields; a new requester gets an empty state on /my', async () => {
    const lena = requester('lena');
    const context = await harness.context({ width: 375, height: 800 });
    const page = await harness.signedIn(lena, '/my', context);
    await page.getByRole('heading', { name: 'You have no tickets yet' }).waitFor();
    await expectAccessible(page, '/my (empty) at 375 px');
    await page.getByRole('link', { name: 'New ticket' }).first().click();
    await page.waitForURL((url) => url.pathname === '/new');
    await page.getByRole('button', { name: 'Send ticket' }).click();
    const subject = page.getByLabel('Subject', { exact: true });
    await page.getByText('Write a short subject').waitFor();
    expect(await subject.getAttribute('aria-invalid')).toBe('true');
    expect(await subject.getAttribute('aria-describedby')).toContain('subject-error');
    expect(await page.locator(':focus').getAttribute('id')).toBe('subject');
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await expectAccessible(page, '/new at 375 px with field errors');
    // The suggestions sit below the form here: a pointer under the description leads to them.
    await subject.fill('plotter paper jam');
    await page.getByRole('link', { name: 'An article may already answer this' }).click();
    await page.getByRole('button', { name: /This solved it/ }).waitFor();
    expect(await myTickets(lena)).toEqual([]);
    harness.assertNoErrors();
  });
});

describe('the public knowledge base', () => {
  it('searches and shows an article as HTML without a sign-in, and counts "this solved it"', async () => {
    const page = await harness.page(await harness.context());
    await page.goto('/kb');
    await page.getByLabel('Search for an answer').waitFor();
    await expectAccessible(page, '/kb anonymously');
    await page.getByLabel('Search for an answer').fill('plotter paper jam');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/kb' && url.searchParams.get('q') === 'plotter paper jam',
    );
    const result = page.getByRole('link', { name: /Plotter in the drawing office/ });
    await result.waitFor();
    expect(await page.locator('.article-hit-snippet mark').count()).toBeGreaterThan(0);
    await expectAccessible(page, '/kb?q= anonymously');

    await result.click();
    await page.waitForURL((url) => url.pathname === `/kb/${articleId}`);
    await page.getByRole('heading', { name: ARTICLE.title, level: 1 }).waitFor();
    // The Markdown arrives rendered: a numbered list, and **Resume** in bold.
    expect(await page.locator('.article-body ol > li').count()).toBe(3);
    expect(await page.locator('.article-body strong').textContent()).toBe('Resume');
    expect(await page.content()).not.toContain('**Resume**');
    await expectAccessible(page, '/kb/:id anonymously');
    await page.getByRole('button', { name: 'Yes, this solved it' }).click();
    await page.getByText('glad it helped').waitFor();

    // The address a mail links to opens the same page.
    await page.goto(`/kb/${articleId}`);
    await page.getByRole('heading', { name: ARTICLE.title, level: 1 }).waitFor();
    await page.goto('/kb/no-such-article');
    await page.getByRole('heading', { name: 'Article not found', level: 1 }).waitFor();
    harness.assertNoErrors();
  });

  it('shows the same pages to a signed-in requester', async () => {
    const page = await harness.signedIn(requester('omar'), '/kb?q=plotter');
    await page.getByRole('link', { name: /Plotter in the drawing office/ }).waitFor();
    await expectAccessible(page, '/kb?q= as a requester');
    await page.goto(`/kb/${articleId}`);
    await page.getByRole('heading', { name: ARTICLE.title, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Did this help?' }).waitFor();
    await expectAccessible(page, '/kb/:id as a requester');
    await page.goto('/kb');
    await page.getByLabel('Search for an answer').waitFor();
    await expectAccessible(page, '/kb as a requester');
    harness.assertNoErrors();
  });
});
