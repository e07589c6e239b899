import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { startTestStack, type TestStack } from '#test/support/local-stack';
import { runTierdesk } from '#test/support/tierdesk-cli';

/**
 * A fresh deployment configured without code, on the local stack with no demo data and no demo
 * desk (the built-in configuration only), by the README's deploy steps with the real `tierdesk`
 * binary: bootstrap the first admin, log in, apply `examples/desk.yaml`, add the service desk's
 * people — and the desk runs by it — routing, round-robin assignment and the OLA on the
 * Berlin calendar, with the local clock moved past the instant computed by hand.
 */

// Good Friday, 26 March 2027, 16:00 in Berlin (CET, UTC+1): a public holiday, before the weekend
// the clocks go forward (Sunday 28 March, 02:00 → 03:00) and Easter Monday, another holiday.
const GOOD_FRIDAY_4PM = '2027-03-26T15:00:00.000Z';
// The Tier 1 OLA (2 business hours) counts from the first working hour after that, Tuesday 30
// March 09:00 CEST (UTC+2) = 07:00Z, and ends two working hours later: 11:00 CEST = 09:00Z.
const OLA_BREACH = '2027-03-30T09:00:00.000Z';
const SECOND = 1_000;

const ADMIN = 'first-admin@example.com';
const sam: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const alice: DevIdentity = { email: 'alice@example.com', role: 'requester' };
const AGENTS = ['marco@example.com', 'priya@example.com'];

type Event = { type: string; at: string; data?: Record<string, unknown> };
type Ticket = { number: number; tier: number; group: string; assignee?: string };

let stack: TestStack;
let home: string;

beforeAll(async () => {
  stack = await startTestStack({ seed: false, seedDesk: false, clockStart: new Date(GOOD_FRIDAY_4PM) });
  home = mkdtempSync(join(tmpdir(), 'tierdesk-admin-home-'));
});
afterAll(async () => {
  await stack?.stop();
  rmSync(home, { recursive: true, force: true });
});

const moveClock = async (set: string) => {
  const response = await stack.api('/_local/clock', { method: 'POST', body: { set } });
  expect(response.status).toBe(200);
  await stack.workflow.settle();
};

const ticketOf = async (number: number) => (await stack.api<Ticket>(`/tickets/${number}`, { as: sam })).body;
const timeline = async (number: number) =>
  (await stack.api<{ items: Event[] }>(`/tickets/${number}/timeline?limit=100`, { as: sam })).body.items;

describe('Administration: a fresh desk configured by its admin', () => {
  it('starts on the built-in configuration; the deploy steps — bootstrap, login, config apply, users add — configure it', async () => {
    const before = await stack.api<{ version: number }>('/admin/config', { as: sam });
    expect(before.body.version).toBe(0);

    for (const step of [
      ['bootstrap-admin', '--email', ADMIN, '--name', 'First Admin'],
      ['login', '--dev', ADMIN],
      ['config', 'apply', 'examples/desk.yaml', '--yes'],
      ...AGENTS.map((email) => [
        'users',
        'add',
        email,
        '--name',
        email.split('@')[0] ?? email,
        '--role',
        'agent',
        '--group',
        'tier1',
      ]),
    ]) {
      const run = await runTierdesk(step, { apiUrl: stack.apiUrl, home });
      expect(run.code, `tierdesk ${step.join(' ')}: ${run.stderr}`).toBe(0);
    }
    const after = await stack.api<{ version: number }>('/admin/config', { as: sam });
    expect(after.body.version).toBe(1);
  });

  it('routes a network ticket filed at 16:00 on Good Friday, assigns it in turn, and escalates it at the OLA instant', async () => {
    const created = await stack.api<Ticket>('/tickets', {
      method: 'POST',
      as: alice,
      body: {
        subject: 'No network on the 3rd floor',
        description: 'The wall ports in room 3.14 are dead.',
        category: 'network/switch',
      },
    });
    expect(created.status).toBe(201);
    const { number } = created.body;
    await stack.workflow.settle();

    const routed = await ticketOf(number);
    expect(routed).toMatchObject({ tier: 1, group: 'tier1' });
    expect(AGENTS).toContain(routed.assignee);
    expect(await timeline(number)).toContainEqual(
      expect.objectContaining({
        type: 'routed',
        data: expect.objectContaining({ rule: 'network', policy: 'standard@v1' }),
      }),
    );

    await moveClock(new Date(Date.parse(OLA_BREACH) - SECOND).toISOString());
    expect((await ticketOf(number)).tier).toBe(1);
    expect((await timeline(number)).some((event) => event.type === 'escalated')).toBe(false);

    await moveClock(new Date(Date.parse(OLA_BREACH) + SECOND).toISOString());
    expect(await ticketOf(number)).toMatchObject({ tier: 2, group: 'tier2' });
    const events = await timeline(number);
    expect(
      events.find((event) => event.type === 'clock_breach' && event.data?.clock === 'ola')?.data,
    ).toMatchObject({
      key: 'ola.t1#0.breach',
      due: OLA_BREACH,
    });
    expect(events.find((event) => event.type === 'escalated')?.data).toMatchObject({
      automatic: true,
      fromTier: 1,
    });
  });
});
