import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';
import { person } from '#test/support/local-stack';

/**
 * The agent's ticket page in Chromium: the SLA badge, public reply and internal note (told apart in
 * the timeline), escalation with its required summary, two agents on one ticket (presence, the
 * changed banner, the question before sending on a stale view, presence gone on leaving and on
 * expiry), a 412 explained, resolve with "document the fix", attachments up and down, the
 * keyboard shortcuts, and axe for each role and at 375 px. Data is arranged over the HTTP API.
 */

let harness: ConsoleHarness;
const SOON = { timeout: 12_000 };

const requester: DevIdentity = { email: 'rita@example.com', role: 'requester' };
const supervisor: DevIdentity = { email: 'sofia@example.com', role: 'supervisor' };
const agent = (label: string, tiers: (1 | 2 | 3)[] = [1]): DevIdentity => ({
  email: person(label),
  role: 'agent',
  tiers,
});

beforeAll(async () => {
  // Tuesday 24 November 2026, 10:00 in Berlin: inside the demo desk's business hours, so the SLA
  // clocks run. The clock stands there until a test moves it.
  harness = await startConsoleHarness({ clockStart: new Date('2026-11-24T09:00:00Z') });
});
afterAll(async () => {
  await harness?.stop();
});

interface Ticket {
  number: number;
  tier: number;
  status: string;
  version: number;
  assignee?: string;
  watchers: string[];
  linkedArticles?: string[];
}

/** A requester's new ticket, triaged (Tier 1, its SLA policy pinned). */
const newTicket = async (subject: string): Promise<number> => {
  const created = await harness.stack.api<Ticket>('/tickets', {
    method: 'POST',
    as: requester,
    body: { subject, description: `${subject}: it started this morning.` },
  });
  expect(created.status).toBe(201);
  await harness.stack.settle();
  return created.body.number;
};

const ticketAsDesk = async (number: number) =>
  (await harness.stack.api<Ticket>(`/tickets/${number}`, { as: supervisor })).body;

const timeline = (page: Page) => page.locator('.ticket-timeline');
const presenceOf = (page: Page, who: DevIdentity) => page.locator(`[data-presence="${who.email}"]`);

/** Moves focus off any field, so the page's shortcuts apply. */
const leaveFields = async (page: Page) => {
  await page.locator('main h1').click();
};

const closeAll = async (...contexts: BrowserContext[]) => {
  await Promise.all(contexts.map((context) => context.close()));
};

describe('the agent ticket page', () => {
  it('shows the SLA badge, replies in public, adds an internal note told apart, and escalates with the required summary', async () => {
    const number = await newTicket('VPN drops every ten minutes');
    const nia = agent('nia');
    const page = await harness.signedIn(nia, `/tickets/${number}`);
    await expect
      .poll(() => page.locator('main h1').textContent(), SOON)
      .toContain('VPN drops every ten minutes');
    await expect.poll(() => page.locator('[data-tier]').textContent(), SOON).toBe('Tier 1');
    const badge = page.locator('.ticket-badges [data-sla-state]');
    await badge.waitFor();
    expect(await badge.getAttribute('data-sla-state')).toBe('ok');

    // r: a public reply.
    await leaveFields(page);
    await page.keyboard.press('r');
    await expect.poll(() => page.locator(':focus').getAttribute('id'), SOON).toBe('composer-body');
    await page.keyboard.type('Could you restart the VPN client and tell me if it still drops?');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const reply = timeline(page).locator('.event.comment.public', { hasText: 'restart the VPN client' });
    await reply.waitFor();
    expect(await reply.textContent()).toContain('Public reply');

    // n: an internal note, marked as one in words and not only by its colour.
    await leaveFields(page);
    await page.keyboard.press('n');
    await page.getByLabel('Internal note (the desk only)').fill('Their laptop is on the old VPN profile.');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    const note = timeline(page).locator('.event.comment', { hasText: 'old VPN profile' });
    await note.waitFor();
    expect(await note.getAttribute('class')).toContain('internal');
    expect(await note.textContent()).toContain('Internal note');
    expect(await reply.getAttribute('class')).not.toContain('internal');
    await expectAccessible(page, 'the ticket page with a reply and a note');

    // e: escalation, whose work summary is required.
    await leaveFields(page);
    await page.keyboard.press('e');
    const dialog = page.getByRole('dialog', { name: 'Escalate to Tier 2' });
    await dialog.waitFor();
    await dialog.getByLabel('Why the next tier is needed').fill('Needs a new VPN profile from Tier 2');
    await dialog.getByRole('button', { name: 'Escalate', exact: true }).click();
    const summary = dialog.getByLabel(/Work summary/);
    await expect.poll(() => summary.getAttribute('aria-invalid'), SOON).toBe('true');
    expect(await dialog.locator('.field-error').textContent()).toContain('Write the work summary');
    await expectAccessible(page, 'the escalation dialog with its field error');
    await summary.fill('Restarted the client, checked the profile: it is the retired one.');
    await dialog.getByRole('button', { name: 'Escalate', exact: true }).click();
    await page.getByText('Escalated to Tier 2.').waitFor();
    await expect.poll(() => page.locator('[data-tier]').textContent(), SOON).toBe('Tier 2');
    // A Tier 1 agent's page says the ticket left their tiers, and offers nothing it would refuse.
    await page.getByText('beyond your tiers').waitFor();
    expect(await page.getByRole('button', { name: 'Send reply' }).count()).toBe(0);
    expect((await ticketAsDesk(number)).tier).toBe(2);
    await page.context().close();
    harness.assertNoErrors();
  });

  it('shows two agents each other, viewing and replying; the changed banner; asks before sending on a stale view; and drops whoever leaves', async () => {
    const number = await newTicket('Printer on floor 3 prints blank pages');
    const ana = agent('ana');
    const ben = agent('ben');
    const [first, second] = [await harness.context(), await harness.context()];
    const a = await harness.signedIn(ana, `/tickets/${number}`, first);
    const b = await harness.signedIn(ben, `/tickets/${number}`, second);

    await presenceOf(a, ben).waitFor(SOON);
    await presenceOf(b, ana).waitFor(SOON);
    expect(await presenceOf(a, ben).getAttribute('data-presence-state')).toBe('viewing');
    expect(await presenceOf(a, ben).textContent()).toContain('is viewing');
    expect(await presenceOf(b, ana).getAttribute('data-presence-state')).toBe('viewing');
    // Nobody is shown to themselves.
    expect(await presenceOf(a, ana).count()).toBe(0);

    // Typing in the reply box is "replying" to the other.
    await b.getByLabel('Reply to the requester').fill('The toner cartridge');
    await expect.poll(() => presenceOf(a, ben).getAttribute('data-presence-state'), SOON).toBe('replying');
    expect(await presenceOf(a, ben).textContent()).toContain('is replying');

    // The first changes the ticket: the second's view is stale.
    await a.getByRole('button', { name: 'Assign to me' }).click();
    await a.getByText('Assigned to you.').waitFor();
    const banner = b.getByRole('status').filter({ hasText: 'This ticket changed since you opened it' });
    await banner.waitFor(SOON);
    await expectAccessible(b, 'the ticket page with presence and the changed banner');

    // Replying on the stale view asks first; "reload first" keeps what was written.
    await b
      .getByLabel('Reply to the requester')
      .fill('The toner cartridge is empty; a new one is on its way.');
    await b.getByRole('button', { name: 'Send reply' }).click();
    await b.getByRole('button', { name: 'Send anyway' }).waitFor();
    expect(
      await b.getByRole('alert').filter({ hasText: 'The ticket changed since you opened it' }).count(),
    ).toBe(1);
    await b.getByRole('button', { name: 'Reload first' }).click();
    await banner.waitFor({ state: 'detached' });
    await expect.poll(() => b.locator('.facts').textContent(), SOON).toContain(ana.email);
    expect(await b.getByLabel('Reply to the requester').inputValue()).toContain('a new one is on its way');
    await b.getByRole('button', { name: 'Send reply' }).click();
    await timeline(b).locator('.event.comment', { hasText: 'a new one is on its way' }).waitFor();
    expect(await b.getByRole('button', { name: 'Send anyway' }).count()).toBe(0);

    // The second goes back to the queue (u): the first no longer sees them.
    await leaveFields(b);
    await b.keyboard.press('u');
    await b.waitForURL((url) => url.pathname === '/queue');
    await presenceOf(a, ben).waitFor({ state: 'detached', ...SOON });

    // Back on the ticket, then the tab goes elsewhere (pagehide): gone again.
    await b.goto(`/tickets/${number}`);
    await presenceOf(a, ben).waitFor(SOON);
    await b.goto('about:blank');
    await presenceOf(a, ben).waitFor({ state: 'detached', ...SOON });

    await closeAll(first, second);
    harness.assertNoErrors();
  });

  it('does not show presence that expired without a goodbye', async () => {
    const number = await newTicket('Teams camera is black');
    const cleo = agent('cleo');
    const gone = agent('dario');
    const context = await harness.context();
    const page = await harness.signedIn(cleo, `/tickets/${number}`, context);
    // Dario's browser said it was here once, then vanished (no heartbeat, no DELETE).
    const put = await harness.stack.api(`/tickets/${number}/presence`, {
      method: 'PUT',
      as: gone,
      body: { state: 'viewing' },
    });
    expect(put.status).toBe(200);
    await presenceOf(page, gone).waitFor(SOON);
    const moved = await harness.stack.api('/_local/clock', { method: 'POST', body: { advance: 'PT3M' } });
    expect(moved.status).toBe(200);
    await presenceOf(page, gone).waitFor({ state: 'detached', ...SOON });
    await closeAll(context);
    harness.assertNoErrors();
  });

  it('explains a 412 when assigning on a stale ETag, assigns after the reload, and edits the watchers', async () => {
    const number = await newTicket('Shared drive is read-only');
    const emil = agent('emil');
    const page = await harness.signedIn(emil, `/tickets/${number}`);
    await page.getByRole('button', { name: 'Assign to me' }).waitFor();
    // Someone else changes the ticket after the page loaded it.
    const before = await ticketAsDesk(number);
    const changed = await harness.stack.api(`/tickets/${number}`, {
      method: 'PATCH',
      as: supervisor,
      headers: { 'if-match': `"${before.version}"` },
      body: { priority: 'P2' },
    });
    expect(changed.status).toBe(200);

    await page.getByRole('button', { name: 'Assign to me' }).click();
    // The page may already know the view is stale (and ask first); sending anyway meets the 412.
    const explained = page.getByText('Someone changed this ticket since you loaded it');
    const asked = page.getByRole('button', { name: 'Send anyway' });
    await explained.or(asked).first().waitFor();
    if (await asked.isVisible()) await asked.click();
    await explained.waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Reload to see their change' }).count()).toBe(1);
    await expectAccessible(page, 'the ticket page explaining a 412');
    await page.getByRole('button', { name: 'Reload the ticket' }).click();
    await explained.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.ticket-badges').textContent(), SOON).toContain('Priority P2');
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.getByText('Assigned to you.').waitFor();
    expect((await ticketAsDesk(number)).assignee).toBe(emil.email);

    // Watchers: a PATCH of the list, on the version the page now holds.
    await page.getByRole('button', { name: 'Edit watchers…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit watchers' });
    await dialog.getByLabel(/Watchers/).fill('not-an-address');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('Not an email address: not-an-address').waitFor();
    await dialog.getByLabel(/Watchers/).fill('max@example.com, lea@example.com');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Watchers saved.').waitFor();
    await expect
      .poll(() => page.locator('.facts').textContent(), SOON)
      .toContain('max@example.com, lea@example.com');
    expect((await ticketAsDesk(number)).watchers).toEqual(['max@example.com', 'lea@example.com']);
    await page.context().close();
    harness.assertNoErrors();
  });

  it('shows a refused merge beside its field, resolves with "document the fix" (a supervisor), then offers reopen and close', async () => {
    const number = await newTicket('Outlook asks for the password again and again');
    const page = await harness.signedIn(supervisor, `/tickets/${number}`);
    // What the API refuses is shown in the form, beside the field it names.
    await page.getByRole('button', { name: 'Merge…' }).click();
    const merge = page.getByRole('dialog', { name: 'Merge into another ticket' });
    await merge.getByLabel(/The ticket that stays/).fill('999999');
    await merge.getByRole('button', { name: 'Merge', exact: true }).click();
    await merge.locator('.field-error', { hasText: 'must be a ticket you can see' }).waitFor();
    expect(await merge.getByRole('alert').textContent()).toContain('Ticket #999999 was not found');
    await page.keyboard.press('Escape');
    await merge.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Resolve…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Resolve' });
    await dialog.getByLabel(/Resolution/).fill('Removed the stale credentials from the Windows vault.');
    await dialog.getByLabel('Document the fix').check();
    await dialog.getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByText('Resolved.', { exact: true }).waitFor();
    await expect.poll(() => page.locator('[data-status]').getAttribute('data-status'), SOON).toBe('resolved');
    const resolved = await ticketAsDesk(number);
    expect(resolved.status).toBe('resolved');
    expect(resolved.linkedArticles).toHaveLength(1);
    await page.getByRole('link', { name: `Article ${resolved.linkedArticles?.[0]}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Reopen…' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Close…' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Escalate…' }).count()).toBe(0);
    await expectAccessible(page, 'the resolved ticket as a supervisor');
    await page.context().close();
    harness.assertNoErrors();
  });

  it('uploads an attachment with a reply, shows a refused file, and downloads it from the timeline', async () => {
    const number = await newTicket('Invoice PDF does not open');
    const ida = agent('ida');
    const page = await harness.signedIn(ida, `/tickets/${number}`);
    const files = page.getByLabel('Attach files');
    await files.setInputFiles({
      name: 'vpn-log.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('10:02 tunnel down\n10:12 tunnel down\n'),
    });
    await page.locator('[data-upload-state="ready"]', { hasText: 'vpn-log.txt' }).waitFor(SOON);
    await files.setInputFiles({
      name: 'installer.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ not really a program'),
    });
    await page.locator('[data-upload-state="failed"]', { hasText: 'installer.exe' }).waitFor(SOON);
    await page.getByRole('button', { name: 'Remove installer.exe' }).click();
    await page.getByLabel('Reply to the requester').fill('Here is the log from our side.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    const download = timeline(page).getByRole('button', { name: 'Download vpn-log.txt' });
    await download.waitFor();
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toBe('vpn-log.txt');
    const path = await file.path();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(path, 'utf8')).toContain('tunnel down');
    await page.context().close();
    harness.assertNoErrors();
  });

  it('lists its shortcuts on ?, traps focus in dialogs, closes them on Escape and goes back to the queue with g q', async () => {
    const number = await newTicket('Keyboard layout switches by itself');
    const page = await harness.signedIn(agent('jon'), `/tickets/${number}`);
    await page.getByRole('button', { name: 'Send reply' }).waitFor();
    await leaveFields(page);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const description of [
      'Reply to the requester',
      'Write an internal note',
      'Escalate to the next tier',
      'Assign the ticket to me',
      'Back to the queue',
    ]) {
      expect(await help.textContent()).toContain(description);
    }
    expect(await help.textContent()).toContain('g then q');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Set pending…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set pending' });
    await dialog.waitFor();
    // Tab stays inside the open dialog.
    for (let step = 0; step < 6; step++) {
      await page.keyboard.press('Tab');
      expect(await page.locator('dialog[open] :focus').count()).toBe(1);
    }
    // The page's keys wait while a dialog is open.
    await page.keyboard.press('u');
    expect(new URL(page.url()).pathname).toBe(`/tickets/${number}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator(':focus').textContent()).toBe('Set pending…');

    await leaveFields(page);
    await page.keyboard.press('g');
    await page.keyboard.press('q');
    await page.waitForURL((url) => url.pathname === '/queue');
    await page.context().close();
    harness.assertNoErrors();
  });

  it('suggests internal runbooks, and passes axe as an admin and as an agent at 375 px', async () => {
    // (As an agent at full width: the first test; as a supervisor: the resolve test.)
    const admin: DevIdentity = { email: 'ada@example.com', role: 'admin' };
    const runbook = await harness.stack.api<{ id: string }>('/kb/articles', {
      method: 'POST',
      as: admin,
      body: {
        title: 'Monitor flickers after docking',
        body: 'Reseat the **DisplayPort** cable, then update the dock firmware.',
        category: 'hardware/monitor',
        tags: ['monitor', 'dock'],
        status: 'published',
        audience: 'internal',
      },
    });
    expect(runbook.status).toBe(201);
    const number = await newTicket('Monitor flickers');
    // The search index takes the new article in from the table's stream, a moment later.
    await expect
      .poll(
        async () =>
          (
            await harness.stack.api<{ items: { id: string }[] }>(`/tickets/${number}/suggestions`, {
              as: admin,
            })
          ).body.items.map((hit) => hit.id),
        SOON,
      )
      .toContain(runbook.body.id);
    const wide = await harness.context();
    const page = await harness.signedIn(admin, `/tickets/${number}`, wide);
    await page.locator('.ticket-clocks table').waitFor();
    const suggestion = page.locator('.ticket-suggestions li', { hasText: 'Monitor flickers after docking' });
    await suggestion.waitFor();
    expect(await suggestion.textContent()).toContain('Internal');
    expect(await suggestion.getByRole('link').getAttribute('href')).toBe(`/kb/${runbook.body.id}`);
    await expectAccessible(page, 'the ticket page as an admin');
    await wide.close();
    const narrow = await harness.context({ width: 375, height: 800 });
    const small = await harness.signedIn(agent('lou'), `/tickets/${number}`, narrow);
    await small.getByRole('button', { name: 'Send reply' }).waitFor();
    await expectAccessible(small, 'the ticket page at 375 px');
    expect(await small.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await small.getByRole('button', { name: 'Escalate…' }).click();
    await small.getByRole('dialog', { name: 'Escalate to Tier 2' }).waitFor();
    await expectAccessible(small, 'the escalation dialog at 375 px');
    await narrow.close();
    harness.assertNoErrors();
  });
});
