import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { fixedClock } from '#shared/domain/clock';
import type { Ticket } from '#shared/domain/ticket';
import { BatchGetCommand, GetCommand, QueryCommand, type QueryCommandInput } from '#shared/store/sdk';
import { type ApiCall, apiFor } from '#test/support/api';
import { ticketDraft } from '#test/support/fixtures';
import { spyThrough } from '#test/support/spy-through';
import { freshTable } from '#test/support/table';

/**
 * Finding tickets (`GET /tickets?view=all`), the queue and assigned filters, the SLA summary of the
 * desk's view and watcher editing, against DynamoDB Local through the real handlers.
 */

const ann: DevIdentity = { email: 'ann@example.com', role: 'requester' };
const dan: DevIdentity = { email: 'dan@example.com', role: 'requester' };
const tina: DevIdentity = { email: 'tina@example.com', role: 'agent', tiers: [1] };
const tom: DevIdentity = { email: 'tom@example.com', role: 'agent', tiers: [1] };
const theo: DevIdentity = { email: 'theo@example.com', role: 'agent', tiers: [2] };
const vic: DevIdentity = { email: 'vic@example.com', role: 'agent', tiers: [3] };
const sue: DevIdentity = { email: 'sue@example.com', role: 'supervisor' };
const otto: DevIdentity = { email: 'otto@example.com', role: 'ops' };

let env: Awaited<ReturnType<typeof freshTable>>;
let api: (call: ApiCall) => ReturnType<ReturnType<typeof apiFor>>;

/** The tickets of the first week of November, by the names the tests give them. */
const t: Record<string, Ticket> = {};

const file = async (name: string, createdAt: string, fields: Partial<Ticket>) => {
  const { ticket } = await env.store.createTicket(ticketDraft(createdAt, fields));
  t[name] = ticket;
  return ticket;
};

beforeAll(async () => {
  env = await freshTable(fixedClock('2026-11-20T14:00:00.000Z'));
  api = apiFor({ ...env.tickets, clock: env.clock }, env.tableName, env.endpoint);
  for (const agent of [tina, tom]) {
    await env.directory.putUser({
      email: agent.email,
      name: agent.email,
      role: 'agent',
      tiers: [1],
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
  }
  const ann = 'ann@example.com';
  await file('one', '2026-11-01T09:00:00.000Z', {
    requester: ann,
    priority: 'P3',
    status: 'open',
    tags: ['vpn'],
    assignee: tina.email,
  });
  await file('two', '2026-11-02T09:00:00.000Z', {
    requester: ann,
    tier: 2,
    group: 'tier2',
    priority: 'P1',
    status: 'resolved',
    tags: ['vpn', 'wifi'],
    assignee: theo.email,
  });
  await file('three', '2026-11-03T09:00:00.000Z', {
    requester: 'ben@example.com',
    priority: 'P2',
    status: 'closed',
    tags: ['printer'],
    assignee: tina.email,
    // Ann watches it: her person partition holds a link to it, which a search by requester skips.
    watchers: [ann],
  });
  await file('four', '2026-11-04T09:00:00.000Z', {
    requester: 'ben@example.com',
    tier: 3,
    group: 'tier3',
    priority: 'P1',
    status: 'pending',
  });
  await file('five', '2026-11-05T09:00:00.000Z', { requester: ann, priority: 'P1', tags: ['wifi'] });
  await file('six', '2026-11-06T09:00:00.000Z', {
    requester: 'cid@example.com',
    tier: 4,
    group: 'tier3',
    priority: 'P3',
    status: 'on_hold',
    tags: ['printer'],
    assignee: vic.email,
  });
});
afterAll(() => env.drop());

const WEEK = 'from=2026-11-01&to=2026-11-07';

const find = async (as: DevIdentity, query: string) => {
  const response = await api({ method: 'GET', url: `/tickets?view=all&${query}`, as });
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response.json as { items: { number: number; view: string }[]; nextCursor?: string };
};
const names = (page: { items: { number: number }[] }) =>
  page.items.map(({ number }) => Object.keys(t).find((name) => t[name]?.number === number) ?? number);

describe('GET /tickets?view=all', () => {
  describe('every supported combination', () => {
    it.each([
      ['nothing but the week', WEEK, ['six', 'five', 'four', 'three', 'two', 'one']],
      ['a status, resolved too', `status=resolved&${WEEK}`, ['two']],
      ['a status, closed too', `status=closed&${WEEK}`, ['three']],
      ['a tier', `tier=1&${WEEK}`, ['five', 'three', 'one']],
      ['a priority', `priority=P1&${WEEK}`, ['five', 'four', 'two']],
      ['a tier and a priority', `tier=1&priority=P1&${WEEK}`, ['five']],
      ['a status and a tier', `status=open&tier=1&${WEEK}`, ['one']],
      ['status, tier and priority', `status=on_hold&tier=4&priority=P3&${WEEK}`, ['six']],
      ['a range of days (the last one whole)', 'from=2026-11-02&to=2026-11-04', ['four', 'three', 'two']],
      ['a range to an instant (included)', 'from=2026-11-01&to=2026-11-01T09:00:00.000Z', ['one']],
      ['a range with an offset', 'from=2026-11-05T10:00:00%2B01:00&to=2026-11-05T10:00:00%2B01:00', ['five']],
      ['a requester', 'requester=Ann@Example.com', ['five', 'two', 'one']],
      ['a requester and a tag', 'requester=ann@example.com&tag=vpn', ['two', 'one']],
      ['a requester and an assignee', 'requester=ann@example.com&assignee=tina@example.com', ['one']],
      ['a requester and a status', 'requester=ann@example.com&status=resolved', ['two']],
      ['a requester, a tier and a priority', 'requester=ann@example.com&tier=1&priority=P1', ['five']],
      ['a requester and a range', 'requester=ann@example.com&from=2026-11-02&to=2026-11-02', ['two']],
      [
        'a requester, an assignee and a tag',
        'requester=ann@example.com&assignee=tina@example.com&tag=vpn',
        ['one'],
      ],
      ['an assignee', 'assignee=tina@example.com', ['three', 'one']],
      ['an assignee and a status', 'assignee=tina@example.com&status=closed', ['three']],
      ['an assignee and a range', 'assignee=tina@example.com&from=2026-11-02', ['three']],
      ['an assignee, a tier and a priority', 'assignee=vic@example.com&tier=4&priority=P3', ['six']],
      ['a tag', 'tag=vpn', ['two', 'one']],
      ['a tag and a tier', 'tag=printer&tier=4', ['six']],
      ['a tag and a priority', 'tag=wifi&priority=P1', ['five', 'two']],
      ['a tag and a status', 'tag=printer&status=closed', ['three']],
      ['a tag and a range', 'tag=printer&to=2026-11-05', ['three']],
      ['a number', `number=${3}`, ['three']],
      ['a number and a filter it matches', 'number=3&tag=printer&status=closed', ['three']],
      ['a number and a filter it does not match', 'number=3&status=open', []],
      ['a number that does not exist', 'number=999', []],
    ])('finds by %s, newest first, in the desk view', async (_case, query, expected) => {
      const page = await find(sue, query);
      expect(names(page)).toEqual(expected);
      expect(page.items.every((item) => item.view === 'desk')).toBe(true);
      expect(page.nextCursor).toBeUndefined();
    });

    it('finds every ticket with no filter at all, newest first', async () => {
      const page = await find(sue, 'limit=100');
      expect(names(page).slice(-6)).toEqual(['six', 'five', 'four', 'three', 'two', 'one']);
    });

    it('refuses assignee and tag together without a requester: 400 naming what is served', async () => {
      const response = await api({
        method: 'GET',
        url: '/tickets?view=all&assignee=tina@example.com&tag=vpn',
        as: sue,
      });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json.errors).toEqual([
        { field: 'query.tag', message: expect.stringMatching(/requester, with any other filter/) },
      ]);
    });

    it.each([
      ['a filter of another view', 'view=all&group=tier1', 'query.group'],
      ['a search filter on a queue', 'view=queue&tier=1&requester=ann@example.com', 'query.requester'],
      ['a search filter on my tickets', 'view=mine&tag=vpn', 'query.tag'],
      ['a range backwards', 'view=all&from=2026-11-05&to=2026-11-01', 'query.to'],
      ['a date that is none', 'view=all&from=2026-13-01', 'query.from'],
      ['an instant without its offset', 'view=all&from=2026-11-01T09:00:00', 'query.from'],
      ['a tag that is none', 'view=all&tag=a%20b', 'query.tag'],
      ['a number that is none', 'view=all&number=12a', 'query.number'],
    ])('answers %s with a 400 naming the field', async (_case, query, field) => {
      const response = await api({ method: 'GET', url: `/tickets?${query}`, as: sue });
      expect(response.status).toBe(400);
      expect(response.json.errors.map((error: { field: string }) => error.field)).toContain(field);
    });
  });

  describe('who finds what', () => {
    it('is for the desk: a requester and ops get 403', async () => {
      for (const as of [ann, otto]) {
        const response = await api({ method: 'GET', url: '/tickets?view=all', as });
        expect(response.status).toBe(403);
      }
    });

    it('limits an agent to the tiers they work, and refuses a tier beyond them (403)', async () => {
      expect(names(await find(tina, WEEK))).toEqual(['five', 'three', 'one']);
      expect(names(await find(tina, 'tag=vpn'))).toEqual(['one']);
      expect(names(await find(tina, 'requester=ann@example.com'))).toEqual(['five', 'one']);
      expect(names(await find(tina, 'number=2'))).toEqual([]);
      expect(names(await find(theo, WEEK))).toEqual(['five', 'three', 'two', 'one']);
      // Tier 3 works Tier 4 too: its vendors' tickets stay Tier 3's.
      expect(names(await find(vic, WEEK))).toEqual(['six', 'five', 'four', 'three', 'two', 'one']);
      const beyond = await api({ method: 'GET', url: '/tickets?view=all&tier=2', as: tina });
      expect(beyond.status).toBe(403);
    });
  });

  describe('paging', () => {
    it('pages newest first with the cursor, filtered pages too, and ends without one', async () => {
      const seen: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = await find(sue, `${WEEK}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...names(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['six', 'five', 'four', 'three', 'two', 'one']);
      for (const query of ['tier=1', 'tag=printer', 'requester=ann@example.com']) {
        const first = await find(sue, `${query}&limit=1`);
        const second = await find(sue, `${query}&limit=1&cursor=${first.nextCursor}`);
        expect(first.nextCursor).toBeDefined();
        expect([...names(first), ...names(second)]).toEqual(names(await find(sue, query)).slice(0, 2));
      }
    });

    it("does not resume one list with another's cursor (400 on query.cursor)", async () => {
      const mine = await api({ method: 'GET', url: '/tickets?view=mine&limit=1', as: ann });
      expect(mine.json.nextCursor).toBeDefined();
      for (const query of ['requester=ann@example.com', 'tag=vpn', '']) {
        const response = await api({
          method: 'GET',
          url: `/tickets?view=all&${query}&cursor=${mine.json.nextCursor}`,
          as: sue,
        });
        expect(response.status).toBe(400);
        expect(response.json.errors[0].field).toBe('query.cursor');
      }
    });
  });

  it('reads with Query, GetItem and BatchGetItem only: never a Scan, every Query on one partition', async () => {
    // Prepare: every caller is in the directory already (the first call writes their entry).
    await find(sue, 'number=1');
    const { mock } = spyThrough(env.db);
    try {
      // Act
      for (const query of [
        WEEK,
        'status=closed',
        'tier=1&priority=P1',
        'requester=ann@example.com&tag=vpn',
        'assignee=tina@example.com&status=closed',
        'tag=printer&tier=4',
        'number=3',
      ]) {
        await find(sue, query);
      }
      // Assess
      const commands = mock.calls().map((call) => (call.args[0] as object).constructor.name);
      expect(new Set(commands)).toEqual(new Set(['GetCommand', 'QueryCommand', 'BatchGetCommand']));
      const queries = mock.commandCalls(QueryCommand).map((call) => call.args[0].input as QueryCommandInput);
      expect(queries.map((query) => query.KeyConditionExpression)).toEqual(
        queries.map(() => expect.stringMatching(/^#pk = :pk/)),
      );
      expect(
        queries.map((query) => query.IndexName ?? String(query.ExpressionAttributeValues?.[':pk'])),
      ).toEqual(['gsi5', 'gsi5', 'gsi5', 'gsi1', 'ASSIGNED#tina@example.com', 'TAGGED#printer']);
      expect(
        mock.commandCalls(GetCommand).length + mock.commandCalls(BatchGetCommand).length,
      ).toBeGreaterThan(0);
    } finally {
      mock.restore();
    }
  });

  it('follows a ticket as it changes: assignee, tags and status move its listings', async () => {
    // Prepare: a ticket of its own week, so the other tests' lists stay as they are.
    const moving = await file('moving', '2026-11-10T09:00:00.000Z', {
      requester: 'mo@example.com',
      tags: ['dock'],
      assignee: tina.email,
    });
    const url = `/tickets/${moving.number}`;
    const range = 'from=2026-11-10&to=2026-11-10';
    // Act: reassign, retag, then resolve.
    const patched = await api({
      method: 'PATCH',
      url,
      as: tina,
      body: { assignee: tom.email, tags: ['screen'], priority: 'P1' },
      headers: { 'if-match': '*' },
    });
    expect(patched.status).toBe(200);
    // Assess
    expect(names(await find(sue, `assignee=tina@example.com&${range}`))).toEqual([]);
    expect(names(await find(sue, `assignee=tom@example.com&${range}`))).toEqual(['moving']);
    expect(names(await find(sue, `assignee=tom@example.com&priority=P1`))).toEqual(['moving']);
    expect(names(await find(sue, 'tag=dock'))).toEqual([]);
    expect(names(await find(sue, 'tag=screen&priority=P1'))).toEqual(['moving']);
    await env.store.mutateTicket(moving.number, (current) => ({
      ticket: { ...current, status: 'resolved' },
      events: [],
    }));
    expect(names(await find(sue, `status=resolved&${range}`))).toEqual(['moving']);
    expect(names(await find(sue, 'tag=screen&status=resolved'))).toEqual(['moving']);
    expect(names(await find(sue, 'assignee=tom@example.com&status=new'))).toEqual([]);
    // Unassigned: it leaves the assignee's listing.
    await api({ method: 'PATCH', url, as: tina, body: { assignee: null }, headers: { 'if-match': '*' } });
    expect(names(await find(sue, 'assignee=tom@example.com'))).toEqual([]);
  });
});

describe('Queue and assigned filters', () => {
  it('narrows a tier queue by status, priority, group and category, keeping the deadline order', async () => {
    // Prepare: a queue of its own (Tier 2), with deadlines in reverse filing order.
    const at = '2026-11-12T09:00:00.000Z';
    const q = async (name: string, fields: Partial<Ticket>) =>
      file(name, at, { tier: 2, group: 'tier2', requester: 'queue@example.com', ...fields });
    await q('late', { priority: 'P1', category: 'network/vpn', dueAt: '2026-11-30T09:00:00.000Z' });
    await q('soon', {
      priority: 'P1',
      category: 'network',
      status: 'open',
      dueAt: '2026-11-21T09:00:00.000Z',
    });
    await q('other', {
      priority: 'P2',
      category: 'networking',
      group: 'net',
      dueAt: '2026-11-22T09:00:00.000Z',
    });
    await q('done', { priority: 'P1', category: 'network', status: 'resolved' });
    const queue = async (query: string) => {
      const response = await api({ method: 'GET', url: `/tickets?view=queue&tier=2&${query}`, as: theo });
      expect(response.status).toBe(200);
      return names(response.json).filter((name) => ['late', 'soon', 'other', 'done'].includes(String(name)));
    };
    // Act and assess
    expect(await queue('limit=100')).toEqual(['soon', 'other', 'late']);
    expect(await queue('priority=P1&limit=100')).toEqual(['soon', 'late']);
    expect(await queue('category=network&limit=100')).toEqual(['soon', 'late']);
    expect(await queue('category=network/vpn&limit=100')).toEqual(['late']);
    expect(await queue('group=net&limit=100')).toEqual(['other']);
    expect(await queue('status=open&priority=P1&category=network&limit=100')).toEqual(['soon']);
    expect(await queue('status=new&group=tier2&limit=100')).toEqual(['late']);
    const resolved = await api({
      method: 'GET',
      url: '/tickets?view=queue&tier=2&status=resolved',
      as: theo,
    });
    expect(resolved.status).toBe(400);
    expect(resolved.json.errors[0]).toMatchObject({ field: 'query.status', message: /view=all/ });
  });

  it('narrows "assigned to me" by the same filters', async () => {
    // Prepare
    const at = '2026-11-13T09:00:00.000Z';
    const a = async (name: string, fields: Partial<Ticket>) =>
      file(name, at, { assignee: tom.email, requester: 'assigned@example.com', ...fields });
    await a('mine-p1', {
      priority: 'P1',
      status: 'open',
      category: 'hardware/dock',
      dueAt: '2026-11-21T09:00:00.000Z',
    });
    await a('mine-p3', { priority: 'P3', dueAt: '2026-11-20T15:00:00.000Z' });
    const assigned = async (query: string) => {
      const response = await api({ method: 'GET', url: `/tickets?view=assigned&${query}`, as: tom });
      expect(response.status).toBe(200);
      return names(response.json).filter((name) => String(name).startsWith('mine-'));
    };
    // Act and assess
    expect(await assigned('limit=100')).toEqual(['mine-p3', 'mine-p1']);
    expect(await assigned('priority=P1')).toEqual(['mine-p1']);
    expect(await assigned('status=new')).toEqual(['mine-p3']);
    expect(await assigned('category=hardware&group=tier1')).toEqual(['mine-p1']);
    const tier = await api({ method: 'GET', url: '/tickets?view=assigned&tier=1', as: tom });
    expect(tier.json.errors[0]).toEqual({
      field: 'query.tier',
      message: 'applies to view=queue, view=all only',
    });
  });
});

describe('The SLA summary of the desk view', () => {
  it('is on a ticket and on list items for its staff, as of the desk clock, never in the requester view', async () => {
    // Prepare: a P3 ticket triage pinned the demo policy to, filed 30 minutes ago (Friday
    // 14:30 in Berlin, business hours 09:00-17:00): 3.5 of its 4 business hours left.
    const pinned = await file('pinned', '2026-11-20T13:30:00.000Z', {
      requester: ann.email,
      priority: 'P3',
      clocks: { ...ticketDraft('2026-11-20T13:30:00.000Z').clocks, policy: DEMO_STANDARD_POLICY },
    });
    const expected = {
      clock: 'response',
      // 2.5 h on Friday, 1.5 h from Monday 09:00.
      dueAt: '2026-11-23T09:30:00.000Z',
      remainingMs: 3.5 * 60 * 60_000,
      warningMs: 60 * 60_000,
      running: true,
      asOf: '2026-11-20T14:00:00.000Z',
    };
    // Act
    const desk = await api({ method: 'GET', url: `/tickets/${pinned.number}`, as: tina });
    const queue = await api({ method: 'GET', url: '/tickets?view=queue&tier=1&limit=100', as: tina });
    const found = await find(sue, `number=${pinned.number}`);
    const own = await api({ method: 'GET', url: `/tickets/${pinned.number}`, as: ann });
    const mine = await api({ method: 'GET', url: '/tickets?view=mine&limit=100', as: ann });
    // Assess
    expect(desk.json.sla).toEqual(expected);
    const listed = queue.json.items.find((item: { number: number }) => item.number === pinned.number);
    expect(listed.sla).toEqual(expected);
    expect(found.items[0]).toMatchObject({ sla: expected });
    expect(own.json.view).toBe('requester');
    expect(own.json).not.toHaveProperty('sla');
    expect(mine.json.items.every((item: object) => !('sla' in item))).toBe(true);
    // A ticket no policy was pinned to yet has none.
    expect(
      (await api({ method: 'GET', url: `/tickets/${t.one?.number}`, as: tina })).json,
    ).not.toHaveProperty('sla');
  });
});

describe('PATCH /tickets/{number}: watchers', () => {
  const patch = (number: number, as: DevIdentity, watchers: unknown) =>
    api({ method: 'PATCH', url: `/tickets/${number}`, as, body: { watchers }, headers: { 'if-match': '*' } });

  it("lets the requester copy the organization's people and the desk anyone, replacing the list", async () => {
    // Prepare
    const { json: opened } = await api({
      method: 'POST',
      url: '/tickets',
      as: ann,
      body: { subject: 'Share my screen', description: 'Teams cannot share it.' },
    });
    // Act: the requester adds a colleague, and may not add a stranger.
    const added = await patch(opened.number, ann, ['Dan@Example.com']);
    const stranger = await patch(opened.number, ann, ['dan@example.com', 'mallory@evil.test']);
    // Assess
    expect(added.status).toBe(200);
    expect(added.json.watchers).toEqual(['dan@example.com']);
    expect(stranger.status).toBe(422);
    expect(stranger.json.errors).toEqual([
      { field: 'body.watchers.1', message: expect.stringMatching(/example\.com/) },
    ]);
    const watched = await api({ method: 'GET', url: '/tickets?view=mine', as: dan });
    expect(watched.json.items.map((item: { number: number }) => item.number)).toContain(opened.number);
    const timeline = await api({ method: 'GET', url: `/tickets/${opened.number}/timeline`, as: ann });
    expect(timeline.json.items.at(-1)).toMatchObject({
      type: 'updated',
      public: true,
      changes: [{ field: 'watchers', from: [], to: ['dan@example.com'] }],
    });

    // The desk copies an outside partner (the requester is never a watcher of their own ticket).
    const byDesk = await patch(opened.number, tina, [
      'mallory@evil.test',
      'ann@example.com',
      'dan@example.com',
    ]);
    expect(byDesk.status).toBe(200);
    expect(byDesk.json.watchers).toEqual(['mallory@evil.test', 'dan@example.com']);
    // The requester keeps the desk's choice while removing a colleague.
    const kept = await patch(opened.number, ann, ['mallory@evil.test']);
    expect(kept.status).toBe(200);
    expect(kept.json.watchers).toEqual(['mallory@evil.test']);
    const unwatched = await api({ method: 'GET', url: '/tickets?view=mine', as: dan });
    expect(unwatched.json.items.map((item: { number: number }) => item.number)).not.toContain(opened.number);
  });

  it('refuses a watcher who is not the requester (403), and a malformed or too long list (400)', async () => {
    const { json: opened } = await api({
      method: 'POST',
      url: '/tickets',
      as: ann,
      body: { subject: 'Dock', description: 'Second screen stays dark.', watchers: ['dan@example.com'] },
    });
    expect((await patch(opened.number, dan, [])).status).toBe(403);
    const malformed = await patch(opened.number, ann, ['not an address']);
    expect(malformed.status).toBe(400);
    expect(malformed.json.errors[0].field).toBe('body.watchers.0');
    const many = Array.from({ length: 21 }, (_, index) => `w${index}@example.com`);
    const tooMany = await patch(opened.number, tina, many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors[0].field).toBe('body.watchers');
  });
});
