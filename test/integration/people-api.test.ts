import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { seedDemoConfig } from '#infra/local/seed';
import type { Clock } from '#shared/domain/clock';
import { autoAssign } from '#shared/tickets/assignment';
import { type ApiCall, type ApiResponse, apiFor } from '#test/support/api';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

/** A clock the tests move: the principal cache's TTL runs on it. */
let now = Date.parse('2026-11-20T14:00:00.000Z');
const clock: Clock = { now: () => new Date(now) };

const adam: DevIdentity = { email: 'adam@example.com', role: 'admin' };
const alice: DevIdentity = { email: 'alice@example.com', role: 'requester' };

let env: Awaited<ReturnType<typeof freshTable>>;
/** Reads the directory on every call. */
let api: (call: ApiCall) => Promise<ApiResponse>;
/** Remembers each caller for 60 s on the moving clock, as a warm Lambda does. */
let warm: (call: ApiCall) => Promise<ApiResponse>;

beforeAll(async () => {
  env = await freshTable(clock);
  await seedDemoConfig(env.admin);
  api = apiFor(env.tickets, env.tableName, env.endpoint);
  warm = apiFor(env.tickets, env.tableName, env.endpoint, { principalTtlMs: 60_000, principalClock: clock });
});

afterAll(async () => {
  await env?.drop();
});

const userUrl = (email: string, tail = '') => `/admin/users/${encodeURIComponent(email)}${tail}`;

const putPerson = (email: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api({ method: 'PUT', url: userUrl(email), as: adam, body, headers });

const openTicket = async (tier: 1 | 2, assignee?: string) => {
  const at = clock.now().toISOString();
  const draft = ticketDraft(at, {
    tier,
    group: `tier${tier}`,
    ...(assignee && { assignee, status: 'open' }),
  });
  // Its SLA policy pinned, as triage pins it: the desk's lists show the SLA summary.
  const { ticket } = await env.store.createTicket({
    ...draft,
    clocks: { ...draft.clocks, policy: DEMO_STANDARD_POLICY },
  });
  return ticket.number;
};

describe('Routes: /admin/users', () => {
  it('creates a person with 201 and an ETag, derives tiers from groups, and reads them back', async () => {
    // Act
    const created = await putPerson('Nia@Example.com', {
      name: 'Nia Berg',
      role: 'agent',
      groups: ['tier2-security', 'tier1'],
      timeZone: 'Europe/Berlin',
      outOfOffice: { from: '2026-12-24T00:00:00Z', until: '2027-01-02T00:00:00Z', note: 'Holidays' },
    });
    const read = await api({ method: 'GET', url: userUrl('nia@example.com'), as: adam });
    // Assess
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe('/admin/users/nia%40example.com');
    expect(read.json).toMatchObject({
      email: 'nia@example.com',
      groups: ['tier2-security', 'tier1'],
      tiers: [1, 2],
      timeZone: 'Europe/Berlin',
      active: true,
    });
    expect(read.headers.etag).toBe('"1"');
  });

  it('answers 428 without If-Match and 412 with a stale ETag when the person exists', async () => {
    // Prepare
    await putPerson('ola@example.com', { name: 'Ola', role: 'requester' });
    const body = { name: 'Ola Nordmann', role: 'supervisor' };
    // Act
    const without = await putPerson('ola@example.com', body);
    const changed = await putPerson('ola@example.com', body, { 'if-match': '"1"' });
    const stale = await putPerson('ola@example.com', { ...body, name: 'Ola N.' }, { 'if-match': '"1"' });
    // Assess
    expect(without.status).toBe(428);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toBe('application/problem+json');
  });

  it('answers 422 naming the unknown group, and 400 for a time zone that is not IANA', async () => {
    const unknown = await putPerson('pia@example.com', {
      name: 'Pia',
      role: 'agent',
      groups: ['tier1', 'tier9'],
    });
    const zone = await putPerson('pia@example.com', {
      name: 'Pia',
      role: 'agent',
      groups: ['tier1'],
      timeZone: 'Mars/Olympus',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toEqual([expect.objectContaining({ field: 'body.groups[1]' })]);
    expect(zone.status).toBe(400);
    expect(JSON.stringify(zone.json.errors)).toContain('timeZone');
  });

  it('refuses everyone but admins with 403', async () => {
    const listed = await api({ method: 'GET', url: '/admin/users', as: alice });
    const put = await api({
      method: 'PUT',
      url: userUrl('x@example.com'),
      as: alice,
      body: { name: 'X', role: 'admin' },
    });
    expect([listed.status, put.status]).toEqual([403, 403]);
  });

  it('lists by group, role and state, in pages', async () => {
    // Prepare
    for (const name of ['qa1', 'qa2', 'qa3']) {
      await putPerson(`${name}@example.com`, { name, role: 'agent', groups: ['tier3'] });
    }
    await api({ method: 'POST', url: userUrl('qa2@example.com', '/deactivate'), as: adam });
    // Act
    const first = await api({ method: 'GET', url: '/admin/users?group=tier3&limit=2', as: adam });
    const second = await api({
      method: 'GET',
      url: `/admin/users?group=tier3&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      as: adam,
    });
    const activeInGroup = await api({ method: 'GET', url: '/admin/users?group=tier3&active=true', as: adam });
    const inactive = await api({ method: 'GET', url: '/admin/users?active=false', as: adam });
    const admins = await api({ method: 'GET', url: '/admin/users?role=admin', as: adam });
    // Assess
    const emails = (page: ApiResponse) => page.json.items.map((user: { email: string }) => user.email);
    expect(emails(first)).toEqual(['qa1@example.com', 'qa2@example.com']);
    expect(emails(second)).toEqual(['qa3@example.com']);
    expect(second.json.nextCursor).toBeUndefined();
    expect(emails(activeInGroup)).toEqual(['qa1@example.com', 'qa3@example.com']);
    expect(emails(inactive)).toEqual(['qa2@example.com']);
    expect(emails(admins)).toEqual([adam.email]);
  });

  it('refuses a deactivated person with 403 "account deactivated" until reactivated', async () => {
    // Prepare
    const rita: DevIdentity = { email: 'rita@example.com', role: 'agent', tiers: [1] };
    expect((await api({ method: 'GET', url: '/tickets?view=assigned', as: rita })).status).toBe(200);
    // Act
    const deactivated = await api({ method: 'POST', url: userUrl(rita.email, '/deactivate'), as: adam });
    const refused = await api({ method: 'GET', url: '/tickets?view=assigned', as: rita });
    const again = await api({ method: 'POST', url: userUrl(rita.email, '/deactivate'), as: adam });
    await api({ method: 'POST', url: userUrl(rita.email, '/reactivate'), as: adam });
    const back = await api({ method: 'GET', url: '/tickets?view=assigned', as: rita });
    // Assess
    expect(deactivated.json.active).toBe(false);
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toBe('account deactivated');
    expect(again.status).toBe(200);
    expect(back.status).toBe(200);
  });

  it('refuses to deactivate or demote the last active admin with 409', async () => {
    // Prepare
    const etag = (await api({ method: 'GET', url: userUrl(adam.email), as: adam })).headers.etag as string;
    // Act
    const deactivated = await api({ method: 'POST', url: userUrl(adam.email, '/deactivate'), as: adam });
    const demoted = await putPerson(adam.email, { name: 'Adam', role: 'supervisor' }, { 'if-match': etag });
    // Assess
    expect(deactivated.status).toBe(409);
    expect(deactivated.json.detail).toContain('last active admin');
    expect(demoted.status).toBe(409);
  });

  it("leaves a deactivated agent's tickets in place, lists them, and moves them in bulk once", async () => {
    // Prepare
    const tom: DevIdentity = { email: 'tom@example.com', role: 'agent', tiers: [1] };
    const una: DevIdentity = { email: 'una@example.com', role: 'agent', tiers: [1] };
    await api({ method: 'GET', url: '/tickets?view=assigned', as: tom });
    await api({ method: 'GET', url: '/tickets?view=assigned', as: una });
    const numbers = [await openTicket(1, tom.email), await openTicket(1, tom.email)];
    await api({ method: 'POST', url: userUrl(tom.email, '/deactivate'), as: adam });
    // Act
    const listed = await api({ method: 'GET', url: userUrl(tom.email, '/open-tickets'), as: adam });
    const moved = await api({
      method: 'POST',
      url: userUrl(tom.email, '/reassign'),
      as: adam,
      body: { to: una.email },
    });
    const repeated = await api({
      method: 'POST',
      url: userUrl(tom.email, '/reassign'),
      as: adam,
      body: { to: una.email },
    });
    const unasList = await api({ method: 'GET', url: userUrl(una.email, '/open-tickets'), as: adam });
    const backToGroup = await api({
      method: 'POST',
      url: userUrl(una.email, '/reassign'),
      as: adam,
      body: { group: 'tier1' },
    });
    // Assess
    expect([listed.status, moved.status, moved.json?.detail]).toEqual([200, 200, undefined]);
    expect(listed.json.items.map((t: { number: number }) => t.number).sort()).toEqual(numbers);
    // Each with its SLA summary as of the desk's time.
    expect(listed.json.items.map((t: { sla?: { asOf: string } }) => t.sla?.asOf)).toEqual([
      clock.now().toISOString(),
      clock.now().toISOString(),
    ]);
    expect(moved.json.moved.map((m: { number: number }) => m.number).sort()).toEqual(numbers);
    expect(moved.json.moved[0]).toMatchObject({ to: una.email, group: 'tier1' });
    expect(repeated.json).toEqual({ moved: [], skipped: [] });
    expect(unasList.json.items).toHaveLength(2);
    expect(backToGroup.json.moved).toHaveLength(2);
    expect((await env.store.getTicket(numbers[0] as number))?.assignee).toBeUndefined();
  });
});

describe('Authorization follows the directory', () => {
  it('takes Tier 2 away from an agent within 60 s, with a token minted before, and their Tier 2 assignments', async () => {
    // Prepare: an agent of Tier 2, their token (identity) minted before the change, a warm cache.
    const vic: DevIdentity = { email: 'vic@example.com', role: 'agent', tiers: [2] };
    const tier2Ticket = await openTicket(2);
    expect((await warm({ method: 'GET', url: `/tickets/${tier2Ticket}`, as: vic })).status).toBe(200);
    const etag = (await api({ method: 'GET', url: userUrl(vic.email), as: adam })).headers.etag as string;

    // Act: an admin takes them out of Tier 2 (into Tier 1).
    const changed = await putPerson(
      vic.email,
      { name: 'Vic', role: 'agent', groups: ['tier1'] },
      { 'if-match': etag },
    );
    const withinTtl = await warm({ method: 'GET', url: `/tickets/${tier2Ticket}`, as: vic });
    now += 61_000;
    const afterTtl = await warm({ method: 'GET', url: `/tickets/${tier2Ticket}`, as: vic });
    const newTier2Ticket = await openTicket(2);
    const assigned = await autoAssign(env.tickets, newTier2Ticket);

    // Assess: the same token no longer sees Tier 2 once the cache expired, and gets no Tier 2 work.
    expect(changed.status).toBe(200);
    expect(withinTtl.status).toBe(200);
    expect(afterTtl.status).toBe(404);
    expect(assigned?.ticket.assignee).not.toBe(vic.email);
  });

  it('gives no automatic assignment to an agent who is away or deactivated', async () => {
    // Prepare: the only agents of group tier2 now are one away and one deactivated.
    const wes: DevIdentity = { email: 'wes@example.com', role: 'agent', tiers: [2] };
    const xia: DevIdentity = { email: 'xia@example.com', role: 'agent', tiers: [2] };
    await api({ method: 'GET', url: '/tickets?view=assigned', as: wes });
    await api({ method: 'GET', url: '/tickets?view=assigned', as: xia });
    const etag = (await api({ method: 'GET', url: userUrl(wes.email), as: adam })).headers.etag as string;
    await putPerson(
      wes.email,
      {
        name: 'Wes',
        role: 'agent',
        groups: ['tier2'],
        outOfOffice: { until: new Date(now + 3_600_000).toISOString() },
      },
      { 'if-match': etag },
    );
    await api({ method: 'POST', url: userUrl(xia.email, '/deactivate'), as: adam });
    // Act
    const assigned = await autoAssign(env.tickets, await openTicket(2));
    // Assess
    expect(assigned).toBeUndefined();
  });
});
