import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { type ConsoleHarness, expectAccessible, startConsoleHarness } from '#test/support/browser';

/**
 * The admin pages: the configuration's editors (a calendar's hours and holidays, a field's 422
 * next to it, a group still in use, a stale edit, the policy dry run, restoring a version) and the
 * people directory (add, deactivate, reactivate, the last admin, moving open tickets) — as an admin,
 * and read-only as a supervisor. The stack starts on `examples/desk.yaml`; Ada is its only admin.
 */

const ADA: DevIdentity = { email: 'ada@example.com', role: 'admin' };
const SAM: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const ROSA: DevIdentity = { email: 'rosa@example.com', role: 'requester' };

type Calendar = { weekly: Record<string, string[]>; holidays: { date: string; name: string }[] };
type Record_ = { version: number; action: string; changes: { kind: string; id: string }[] };

let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsoleHarness();
});
afterAll(async () => {
  await harness?.stop();
});

/** A condition the page reaches once its requests answer (the shared machine may be slow: 15 s). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** The page is there (its heading) and every request of it has answered (no loading state is left). */
const settled = async (page: Page) => {
  await page.locator('main h1').first().waitFor();
  await eventually(() => page.locator('main .loading').count()).toBe(0);
};

/**
 * A page signed in as `who` at `path`: signed in once per person (and width), then reused — each
 * test moves it on with a fresh load of `path`.
 */
const pages = new Map<string, Page>();
const open = async (who: DevIdentity, path: string, width?: number): Promise<Page> => {
  const key = `${who.email}@${width ?? 'wide'}`;
  const known = pages.get(key);
  if (known) {
    await known.goto(path);
    return known;
  }
  const page = await harness.signedIn(who, path, width ? await harness.context({ width }) : undefined);
  pages.set(key, page);
  return page;
};

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

const fileTicket = async (subject: string): Promise<number> => {
  const created = await harness.stack.api<{ number: number }>('/tickets', {
    method: 'POST',
    as: ROSA,
    body: { subject, description: `${subject}: it stopped working this morning.` },
  });
  expect(created.status).toBe(201);
  await harness.stack.settle();
  return created.body.number;
};

describe('the configuration pages', () => {
  it("saves a calendar's new hours and a new holiday: the API has them and the history shows the change", async () => {
    const page = await open(ADA, '/admin/config/calendars');
    await settled(page);
    await page.getByRole('link', { name: 'Edit calendar business-hours' }).click();
    const monday = page.locator('#calendars-form-weekly-mon');
    await eventually(() => monday.inputValue()).toBe('09:00-17:00');
    await expectAccessible(page, "a calendar's editor");

    await monday.fill('08:00-16:00');
    await page.getByRole('button', { name: 'Add a holiday' }).click();
    const added = page.locator('.holiday-row').last();
    await added.getByLabel(/^Date of holiday/).fill('2028-01-01');
    await added.getByLabel(/^Name of holiday/).fill("New Year's Day");
    await page.getByRole('button', { name: 'Save the calendar' }).click();

    await page.waitForURL((url) => url.pathname === '/admin/config/calendars' && !url.search);
    await eventually(() => page.getByRole('status').allTextContents()).toContainEqual(
      expect.stringContaining('Saved the calendar business-hours'),
    );
    const saved = await harness.stack.api<Calendar>('/admin/config/calendars/business-hours', { as: ADA });
    expect(saved.body.weekly.mon).toEqual(['08:00-16:00']);
    expect(saved.body.holidays).toContainEqual({ date: '2028-01-01', name: "New Year's Day" });

    const history = page.locator('.history-record').first();
    await eventually(() => history.textContent()).toContain('calendars/business-hours changed');
    expect(await history.textContent()).toContain('weekly.mon');
    harness.assertNoErrors();
  });

  it('puts a refused field next to its input: an unknown time zone, then overlapping spans', async () => {
    const page = await open(ADA, '/admin/config/calendars?item=business-hours');
    const zone = page.locator('#calendars-form-timeZone');
    await eventually(() => zone.inputValue()).toBe('Europe/Berlin');
    await zone.fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Save the calendar' }).click();
    await eventually(() => page.locator('#calendars-form-timeZone-error').textContent()).toContain(
      'IANA time zone',
    );
    expect(await zone.getAttribute('aria-invalid')).toBe('true');
    expect(await zone.getAttribute('aria-describedby')).toContain('calendars-form-timeZone-error');
    await eventually(() => page.getByRole('alert').first().textContent()).toContain('Not saved');
    await expectAccessible(page, 'a calendar with a refused field');

    await zone.fill('Europe/Berlin');
    await page.locator('#calendars-form-weekly-tue').fill('09:00-13:00, 12:00-17:00');
    await page.getByRole('button', { name: 'Save the calendar' }).click();
    await eventually(() => page.locator('#calendars-form-weekly-tue-error').textContent()).toContain(
      'working spans overlap at 12:00',
    );
    await eventually(() => page.locator('#calendars-form-timeZone-error').count()).toBe(0);
    expect(await page.locator('#calendars-form-weekly-tue').getAttribute('aria-invalid')).toBe('true');
    harness.assertNoErrors();
  });

  it('refuses to delete a group routing still uses, and lists what uses it', async () => {
    const page = await open(ADA, '/admin/config/groups');
    await settled(page);
    await page.getByRole('button', { name: 'Delete group tier2-security' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete tier2-security' }).click();
    const alert = dialog.getByRole('alert');
    await eventually(() => alert.textContent()).toContain('still used by');
    const users = await alert.getByRole('listitem').allTextContents();
    expect(users).toEqual(['routing.categories[8].group', 'routing.categories[9].group']);
    expect(await alert.getByRole('link', { name: 'routing.categories[8].group' }).getAttribute('href')).toBe(
      '/admin/config/routing',
    );
    await expectAccessible(page, 'the 409 of a group in use');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const still = await harness.stack.api('/admin/config/groups/tier2-security', { as: ADA });
    expect(still.status).toBe(200);
    harness.assertNoErrors();
  });

  it('explains a stale edit (412) when the group changed meanwhile, and reloads the change', async () => {
    const page = await open(ADA, '/admin/config/groups?item=tier1');
    const name = page.locator('#groups-form-name');
    await eventually(() => name.inputValue()).toBe('Service desk');

    const current = await harness.stack.api('/admin/config/groups/tier1', { as: ADA });
    const changed = await harness.stack.api('/admin/config/groups/tier1', {
      method: 'PUT',
      as: ADA,
      headers: { 'if-match': current.headers.get('etag') ?? '' },
      body: { id: 'tier1', name: 'Service desk', tier: 1, assignment: 'least_loaded' },
    });
    expect(changed.status).toBe(200);

    await name.fill('Service desk (Berlin)');
    await page.getByRole('button', { name: 'Save the group' }).click();
    const alert = page.getByRole('alert');
    await eventually(() => alert.textContent()).toContain(
      'Someone else changed the group tier1 since you opened it',
    );
    await expectAccessible(page, 'the 412 of a stale edit');
    await alert.getByRole('button', { name: 'Reload the group tier1' }).click();
    await eventually(() => page.locator('#groups-form-assignment').inputValue()).toBe('least_loaded');
    expect(await name.inputValue()).toBe('Service desk');
    expect(await page.getByRole('alert').count()).toBe(0);
    harness.assertNoErrors();
  });

  it("shows a ticket's clocks under a policy's unsaved draft (the dry run)", async () => {
    const number = await fileTicket('Printer on floor 2 jams');
    const page = await open(ADA, '/admin/config/policies?item=standard');
    const p3 = page.locator('#policies-form-targets-P3-resolution');
    await eventually(() => p3.inputValue()).toBe('1d');
    await p3.fill('2d');
    await page.getByLabel('Ticket number').fill(String(number));
    await page.getByRole('button', { name: 'Show the clocks' }).click();
    const clocks = page.locator('.dry-run-clocks');
    await eventually(() => clocks.locator('caption').textContent()).toContain(
      `Ticket #${number} under standard`,
    );
    expect(await clocks.locator('caption').textContent()).toContain('as edited, unsaved');
    const rows = await clocks.locator('tbody tr').allTextContents();
    expect(rows.some((row) => row.includes('Resolution'))).toBe(true);
    expect(await clocks.locator('tbody time').count()).toBeGreaterThan(0);
    await expectAccessible(page, "a policy's editor with its dry run");
    // Nothing was saved.
    const policy = await harness.stack.api<{ targets: { P3: { resolution: string } } }>(
      '/admin/config/policies/standard',
      { as: ADA },
    );
    expect(policy.body.targets.P3.resolution).toBe('1d');
    harness.assertNoErrors();
  });

  it('restores the version before the calendar change, after showing what it would change', async () => {
    const audit = await harness.stack.api<{ items: Record_[] }>('/admin/audit?kind=calendars&limit=10', {
      as: ADA,
    });
    const calendarChange = audit.body.items.find((record) => record.action === 'put');
    expect(calendarChange).toBeDefined();
    const before = (calendarChange?.version ?? 0) - 1;

    const page = await open(ADA, '/admin/config');
    await settled(page);
    await page.getByRole('button', { name: `Restore version ${before}`, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await eventually(() => dialog.textContent()).toContain('calendars/business-hours');
    await expectAccessible(page, "the restore dialog's preview");
    await dialog.getByRole('button', { name: `Restore version ${before}`, exact: true }).click();
    await eventually(() => page.getByRole('status').allTextContents()).toContainEqual(
      expect.stringContaining(`Restored version ${before}`),
    );

    const calendar = await harness.stack.api<Calendar>('/admin/config/calendars/business-hours', { as: ADA });
    expect(calendar.body.weekly.mon).toEqual(['09:00-17:00']);
    await eventually(() => page.locator('.history-record').first().textContent()).toContain(
      `restored version ${before}`,
    );
    harness.assertNoErrors();
  });

  it('opens every configuration page accessibly as an admin, and a calendar at 375 px without overflow', async () => {
    // The routes' first views are every-route.test.ts's; these are the other forms of the parts.
    for (const path of [
      '/admin/config/groups?new',
      '/admin/config/vendors?item=netcarrier',
      '/admin/config/routing',
      '/admin/config/settings',
      '/admin/config/document?version=1',
    ]) {
      const page = await open(ADA, path);
      await settled(page);
      expect(await page.getByRole('alert').count(), path).toBe(0);
      await expectAccessible(page, `${path} as an admin`);
    }

    const narrow = await open(ADA, '/admin/config/calendars?item=business-hours', 375);
    await eventually(() => narrow.locator('#calendars-form-weekly-mon').inputValue()).toBe('09:00-17:00');
    await expectAccessible(narrow, "a calendar's editor at 375 px");
    expect(Number(await narrow.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    harness.assertNoErrors();
  });

  it('applies the whole document after showing what it would change', async () => {
    const page = await open(ADA, '/admin/config/document');
    const text = page.getByLabel(/^The configuration as JSON/);
    await eventually(async () => (await text.inputValue()).length).toBeGreaterThan(100);
    const document = JSON.parse(await text.inputValue());
    document.settings.pendingReminder = '4d';
    await text.fill(JSON.stringify(document, null, 2));
    await page.getByRole('button', { name: 'Show what would change' }).click();
    const diff = page.getByRole('region', { name: 'What applying it would change' });
    await eventually(() => diff.textContent()).toContain('settings/settings changed');
    expect(await diff.textContent()).toContain('pendingReminder: 3d → 4d');
    await page.getByRole('button', { name: 'Apply…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await eventually(() => page.getByRole('status').allTextContents()).toContainEqual(
      expect.stringContaining('Applied: the configuration is now at version'),
    );
    const settings = await harness.stack.api<{ pendingReminder: string }>('/admin/config/settings', {
      as: ADA,
    });
    expect(settings.body.pendingReminder).toBe('4d');
    harness.assertNoErrors();
  });

  it('lets a supervisor read the configuration and try a policy out, without changing anything', async () => {
    // A calendar without holidays: the overview warns, and links to it.
    const created = await harness.stack.api('/admin/config/calendars/support-hours', {
      method: 'PUT',
      as: ADA,
      body: {
        id: 'support-hours',
        name: 'Support hours',
        timeZone: 'Europe/Berlin',
        weekly: { mon: ['08:00-12:00'] },
      },
    });
    expect(created.status).toBe(200);
    const page = await open(SAM, '/admin/config');
    await eventually(() => heading(page)).toBe('Configuration');
    await settled(page);
    const warnings = page.getByRole('region', { name: 'Needs attention' });
    expect(await warnings.textContent()).toContain('support-hours: no holidays are listed');
    expect(await warnings.getByRole('link', { name: 'See it' }).getAttribute('href')).toBe(
      '/admin/config/calendars?item=support-hours',
    );
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(nav).toContain('Configuration');
    expect(nav).not.toContain('People');
    expect(await page.getByRole('button', { name: /^Restore version/ }).count()).toBe(0);

    await page.goto('/admin/config/calendars');
    await settled(page);
    expect(await page.getByRole('button', { name: /^Delete/ }).count()).toBe(0);
    expect(await page.getByRole('link', { name: /^Add a/ }).count()).toBe(0);

    const number = await fileTicket('VPN drops every hour');
    await page.goto('/admin/config/policies?item=standard');
    await settled(page);
    expect(await page.locator('#policies-form-name').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save the policy' }).count()).toBe(0);
    await page.getByLabel('Ticket number').fill(String(number));
    await page.getByRole('button', { name: 'Show the clocks' }).click();
    await eventually(() => page.locator('.dry-run-clocks caption').textContent()).toContain(
      `Ticket #${number} under standard`,
    );
    await expectAccessible(page, "a policy's read-only view and dry run as a supervisor");

    for (const path of ['/admin/config/routing', '/admin/config/document']) {
      await page.goto(path);
      await settled(page);
      await expectAccessible(page, `${path} as a supervisor`);
    }
    await page.goto('/admin/people');
    await eventually(() => heading(page)).toBe('Not for your role');
    harness.assertNoErrors();
  });
});

describe('the people directory', () => {
  it('adds an agent, deactivates and reactivates them, and moves their open ticket back to the group', async () => {
    const page = await open(ADA, '/admin/people');
    await settled(page);
    await page.getByRole('link', { name: 'Add a person' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/people' && url.searchParams.has('new'));
    await expectAccessible(page, 'adding a person');
    await page.getByLabel('Email').fill('noor@example.com');
    await page.getByLabel('Name', { exact: true }).fill('Noor Haddad');
    await page.getByLabel('Role').selectOption('agent');
    await page.getByLabel('Service desk (tier1, Tier 1)').check();
    await page.getByRole('button', { name: 'Add them' }).click();
    await page.waitForURL((url) => url.searchParams.get('person') === 'noor@example.com');
    await eventually(() => heading(page)).toBe('Noor Haddad');
    const status = page.locator('.person-status');
    await eventually(() => status.textContent()).toContain('Active');
    const created = await harness.stack.api<{ role: string; groups: string[]; tiers: number[] }>(
      '/admin/users/noor@example.com',
      { as: ADA },
    );
    expect(created.body).toMatchObject({ role: 'agent', groups: ['tier1'], tiers: [1] });

    await status.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await eventually(() => status.textContent()).toContain('Deactivated');
    const deactivated = await harness.stack.api<{ active: boolean }>('/admin/users/noor@example.com', {
      as: ADA,
    });
    expect(deactivated.body.active).toBe(false);

    await status.getByRole('button', { name: 'Reactivate' }).click();
    await eventually(() => status.getByRole('button', { name: 'Deactivate' }).count()).toBe(1);
    const reactivated = await harness.stack.api<{ active: boolean }>('/admin/users/noor@example.com', {
      as: ADA,
    });
    expect(reactivated.body.active).toBe(true);

    // Tier 1 assigns round robin, and Noor is its only agent: a new ticket is hers.
    const number = await fileTicket('Monitor flickers');
    const assigned = await harness.stack.api<{ assignee?: string }>(`/tickets/${number}`, { as: ADA });
    expect(assigned.body.assignee).toBe('noor@example.com');
    await page.reload();
    const tickets = page.getByRole('region', { name: 'Open tickets' });
    await eventually(() => tickets.getByRole('link', { name: `#${number}` }).count()).toBe(1);
    await expectAccessible(page, "a person's page with open tickets");
    await tickets.getByRole('button', { name: 'Move them' }).click();
    await eventually(() => tickets.textContent()).toContain('Moved 1 ticket');
    const moved = await harness.stack.api<{ assignee?: string; group: string }>(`/tickets/${number}`, {
      as: ADA,
    });
    expect(moved.body.group).toBe('tier1');
    harness.assertNoErrors();
  });

  it('refuses to deactivate the last admin and says why (409)', async () => {
    const page = await open(ADA, `/admin/people?person=${encodeURIComponent(ADA.email)}`);
    const status = page.locator('.person-status');
    await eventually(() => status.textContent()).toContain('Active');
    await status.getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await eventually(() => dialog.getByRole('alert').textContent()).toContain('last active admin');
    await expectAccessible(page, "the last admin's 409");
    const still = await harness.stack.api<{ active: boolean }>(`/admin/users/${ADA.email}`, { as: ADA });
    expect(still.body.active).toBe(true);

    const narrow = await open(ADA, '/admin/people', 375);
    await settled(narrow);
    await expectAccessible(narrow, '/admin/people at 375 px');
    expect(Number(await narrow.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    harness.assertNoErrors();
  });
});
