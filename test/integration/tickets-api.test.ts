import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { fixedClock } from '#shared/domain/clock';
import { documentClient } from '#shared/store/client';
import { GetCommand, TransactWriteCommand } from '#shared/store/sdk';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { type ApiCall, apiFor } from '#test/support/api';
import { ticketDraft } from '#test/support/fixtures';
import { spyThrough } from '#test/support/spy-through';
import { freshTable } from '#test/support/table';

const alice: DevIdentity = { email: 'alice@example.com', role: 'requester' };
const bob: DevIdentity = { email: 'bob@example.com', role: 'requester' };
const tina: DevIdentity = { email: 'tina@example.com', role: 'agent', tiers: [1] };
const theo: DevIdentity = { email: 'theo@example.com', role: 'agent', tiers: [2] };

let env: Awaited<ReturnType<typeof freshTable>>;
let api: (call: ApiCall) => ReturnType<ReturnType<typeof apiFor>>;

beforeAll(async () => {
  env = await freshTable(fixedClock('2026-11-20T14:00:00.000Z'));
  api = apiFor({ ...env.tickets, clock: env.clock }, env.tableName, env.endpoint);
  await env.directory.putUser({
    email: tina.email,
    name: 'Tina',
    role: 'agent',
    tiers: [1],
    updatedAt: '2026-11-01T00:00:00.000Z',
  });
});
afterAll(() => env.drop());

const open = async (as: DevIdentity = alice, body: Record<string, unknown> = {}) => {
  const response = await api({
    method: 'POST',
    url: '/tickets',
    as,
    body: { subject: 'VPN drops every hour', description: 'Since Monday, on Wi-Fi and wired.', ...body },
  });
  expect(response.status).toBe(201);
  return response;
};

describe('Handlers: tickets API', () => {
  describe('POST /tickets', () => {
    it('creates a ticket at Tier 1 for the caller, priority from the matrix: 201 with ETag and Location', async () => {
      const { json, headers } = await open(alice, {
        impact: 'high',
        urgency: 'medium',
        tags: ['vpn', 'vpn'],
      });
      expect(json).toMatchObject({
        view: 'requester',
        requester: 'alice@example.com',
        status: 'new',
        channel: 'api',
        version: 1,
        createdAt: '2026-11-20T14:00:00.000Z',
      });
      expect(headers.etag).toBe('"1"');
      expect(headers.location).toBe(`/tickets/${json.number}`);
      const desk = await api({ method: 'GET', url: `/tickets/${json.number}`, as: tina });
      expect(desk.json).toMatchObject({
        view: 'desk',
        priority: 'P2',
        tier: 1,
        group: 'tier1',
        tags: ['vpn'],
      });
      expect(desk.json).not.toHaveProperty('priorityOverridden');
    });

    it('lets an agent file on behalf of a requester and set the priority', async () => {
      const { json } = await open(tina, { requester: 'Bob@Example.com', priority: 'P1' });
      expect(json).toMatchObject({ requester: 'bob@example.com', priority: 'P1' });
      const seen = await api({ method: 'GET', url: `/tickets/${json.number}`, as: bob });
      expect(seen.status).toBe(200);
    });

    it.each([
      ['file on behalf of someone', { requester: 'bob@example.com' }],
      ['set a priority', { priority: 'P1' }],
    ])('refuses a requester who tries to %s: 403', async (_case, extra) => {
      const response = await api({
        method: 'POST',
        url: '/tickets',
        as: alice,
        body: { subject: 's', description: 'd', ...extra },
      });
      expect(response.status).toBe(403);
      expect(response.headers['content-type']).toBe('application/problem+json');
    });

    it("limits the watchers a requester names to the organization's mail domains: 422 naming each other one", async () => {
      const refused = await api({
        method: 'POST',
        url: '/tickets',
        as: alice,
        body: {
          subject: 'Share the VPN outage',
          description: 'Copy my colleagues.',
          watchers: ['dan@example.com', 'mallory@evil.test', 'Eve@Elsewhere.test'],
        },
      });
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.json.errors).toEqual([
        { field: 'body.watchers.1', message: expect.stringMatching(/example\.com/) },
        { field: 'body.watchers.2', message: expect.stringMatching(/example\.com/) },
      ]);
      expect((await api({ method: 'GET', url: '/tickets?view=mine', as: alice })).json.items).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ subject: 'Share the VPN outage' })]),
      );

      const { json } = await open(alice, { watchers: ['dan@example.com'] });
      expect(json.watchers).toEqual(['dan@example.com']);
      // The desk may copy anyone: a vendor contact, a requester's external partner.
      const byAgent = await open(tina, { requester: 'bob@example.com', watchers: ['mallory@evil.test'] });
      expect(byAgent.json.watchers).toEqual(['mallory@evil.test']);
    });

    it('answers a malformed body with a 400 problem naming each field', async () => {
      const response = await api({
        method: 'POST',
        url: '/tickets',
        as: alice,
        body: { subject: '', urgency: 'asap', colour: 'red' },
      });
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(response.json).toMatchObject({
        status: 400,
        type: 'https://tierdesk.dev/problems/validation',
        instance: '/tickets',
      });
      expect(response.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['body.colour', 'body.description', 'body.subject', 'body.urgency'].sort(),
      );
    });

    it('returns the same ticket for a retried Idempotency-Key, and 422 when the body differs', async () => {
      const call = {
        method: 'POST',
        url: '/tickets',
        as: alice,
        headers: { 'Idempotency-Key': 'create-42' },
      };
      const body = { subject: 'Laptop will not boot', description: 'Black screen after the logo.' };
      const first = await api({ ...call, body });
      const retry = await api({ ...call, body: { description: body.description, subject: body.subject } });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.json.number).toBe(first.json.number);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      const other = await api({ ...call, body: { ...body, subject: 'Something else' } });
      expect(other.status).toBe(422);
      expect(other.json.type).toBe('https://tierdesk.dev/problems/idempotency-key-reuse');
    });

    it('is 401 without identity claims', async () => {
      const response = await api({
        method: 'POST',
        url: '/tickets',
        body: { subject: 's', description: 'd' },
      });
      expect(response.status).toBe(401);
    });
  });

  describe('GET /tickets/{number}', () => {
    it('shows a ticket to its requester and agents of its tier and above, 404 to anyone else', async () => {
      const { json } = await open();
      const status = async (as: DevIdentity) =>
        (await api({ method: 'GET', url: `/tickets/${json.number}`, as })).status;
      expect({
        alice: await status(alice),
        tina: await status(tina),
        theo: await status(theo),
        bob: await status(bob),
      }).toEqual({
        alice: 200,
        tina: 200,
        theo: 200,
        bob: 404,
      });
    });

    it('is 404 for a ticket that does not exist and 400 for a path that is not a number', async () => {
      expect((await api({ method: 'GET', url: '/tickets/987654', as: tina })).status).toBe(404);
      const bad = await api({ method: 'GET', url: '/tickets/abc', as: tina });
      expect(bad.status).toBe(400);
      expect(bad.json.errors).toEqual([
        { field: 'path.number', message: 'must be a ticket number, e.g. 1042' },
      ]);
    });
  });

  describe('GET /tickets', () => {
    it('lists my tickets and the Tier 1 queue; the queue is for agents only', async () => {
      const { json: ticket } = await open(bob);
      const mine = await api({ method: 'GET', url: '/tickets?view=mine', as: bob });
      expect(mine.json.items.map((t: { number: number }) => t.number)).toContain(ticket.number);
      const queue = await api({ method: 'GET', url: '/tickets?view=queue&tier=1&limit=100', as: tina });
      expect(queue.status).toBe(200);
      expect(queue.json.items.map((t: { number: number }) => t.number)).toContain(ticket.number);
      expect((await api({ method: 'GET', url: '/tickets?view=queue&tier=1', as: bob })).status).toBe(403);
      expect((await api({ method: 'GET', url: '/tickets?view=queue&tier=2', as: tina })).status).toBe(403);
    });

    it('lists as assigned only the tickets the agent may still see (tiers change, assignments stay)', async () => {
      // Prepare: an agent assigned a Tier 1 and a Tier 2 ticket, now in Tier 1 only.
      const demoted: DevIdentity = { email: 'dora@example.com', role: 'agent', tiers: [1] };
      const at = env.clock.now().toISOString();
      const visible = await env.store.createTicket(ticketDraft(at, { assignee: demoted.email }));
      const hidden = await env.store.createTicket(
        ticketDraft(at, { tier: 2, group: 'tier2', assignee: demoted.email }),
      );
      // Act
      const list = await api({ method: 'GET', url: '/tickets?view=assigned', as: demoted });
      // Assess
      const numbers = list.json.items.map((t: { number: number }) => t.number);
      expect(numbers).toContain(visible.ticket.number);
      expect(numbers).not.toContain(hidden.ticket.number);
    });

    it('pages with an opaque cursor and rejects a forged one', async () => {
      for (let i = 0; i < 3; i++) await open({ email: 'pager@example.com', role: 'requester' });
      const as = { email: 'pager@example.com', role: 'requester' } as const;
      const first = await api({ method: 'GET', url: '/tickets?limit=2', as });
      const second = await api({
        method: 'GET',
        url: `/tickets?limit=2&cursor=${first.json.nextCursor}`,
        as,
      });
      expect(first.json.items).toHaveLength(2);
      expect(second.json.items).toHaveLength(1);
      expect(second.json.nextCursor).toBeUndefined();
      const forged = Buffer.from(
        JSON.stringify({ pk: 'x', sk: 'y', gsi1pk: 'PERSON#alice@example.com', gsi1sk: 'z' }),
      ).toString('base64url');
      const refused = await api({ method: 'GET', url: `/tickets?cursor=${forged}`, as });
      expect(refused.status).toBe(400);
      expect(refused.json.errors[0].field).toBe('query.cursor');
    });
  });

  describe('Hand-made cursors', () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it('answers each with a 400 naming query.cursor, never a DynamoDB error (500)', async () => {
      const { json } = await open();
      const pk = `TICKET#${String(json.number).padStart(10, '0')}`;
      const cases = [
        ['/tickets', b64({ pk: '', sk: '', gsi1pk: 'PERSON#alice@example.com', gsi1sk: '' })],
        ['/tickets', b64({ pk: 'x', sk: 'y', gsi1pk: 'PERSON#alice@example.com', gsi1sk: 'z' })],
        [`/tickets/${json.number}/timeline`, b64({ pk, sk: 'TICKET' })],
        [`/tickets/${json.number}/timeline`, b64({ pk, sk: '' })],
        [`/tickets/${json.number}/timeline`, b64({ list: pk, after: { version: 0, index: 0 } })],
      ];
      const answers = await Promise.all(
        cases.map(async ([path, cursor]) => {
          const response = await api({ method: 'GET', url: `${path}?cursor=${cursor}`, as: alice });
          return [response.status, response.json.errors?.[0]?.field];
        }),
      );
      expect(answers).toEqual(cases.map(() => [400, 'query.cursor']));
    });
  });

  describe('PATCH /tickets/{number}', () => {
    it('needs If-Match (428), refuses a stale version (412) and answers a new ETag (200)', async () => {
      const { json } = await open();
      const url = `/tickets/${json.number}`;
      expect((await api({ method: 'PATCH', url, as: tina, body: { urgency: 'high' } })).status).toBe(428);
      const changed = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { urgency: 'high' },
        headers: { 'If-Match': '"1"' },
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.json).toMatchObject({ urgency: 'high', priority: 'P2', version: 2 });
      const stale = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { urgency: 'low' },
        headers: { 'If-Match': '"1"' },
      });
      expect(stale.status).toBe(412);
      expect(stale.json.detail).toContain('version 2');
    });

    it('compares If-Match strongly: a weak ETag fails (412) even for the current version', async () => {
      const { json } = await open();
      const weak = await api({
        method: 'PATCH',
        url: `/tickets/${json.number}`,
        as: tina,
        body: { urgency: 'high' },
        headers: { 'If-Match': 'W/"1"' },
      });
      expect(weak.status).toBe(412);
      expect(weak.json.type).toBe('https://tierdesk.dev/problems/precondition-failed');
      expect((await api({ method: 'GET', url: `/tickets/${json.number}`, as: tina })).json.version).toBe(1);
    });

    it('refuses an ETag with unbalanced quotes: 400 on header.if-match', async () => {
      const { json } = await open();
      const response = await api({
        method: 'PATCH',
        url: `/tickets/${json.number}`,
        as: tina,
        body: { urgency: 'high' },
        headers: { 'If-Match': '"1' },
      });
      expect(response.status).toBe(400);
      expect(response.json.errors[0].field).toBe('header.if-match');
    });

    it('applies If-Match: * to whatever version is current (200), and a missing ticket stays 404', async () => {
      const { json } = await open();
      const url = `/tickets/${json.number}`;
      await api({ method: 'PATCH', url, as: tina, body: { urgency: 'high' }, headers: { 'If-Match': '1' } });
      const any = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { impact: 'low' },
        headers: { 'If-Match': '*' },
      });
      expect(any.status).toBe(200);
      expect(any.json).toMatchObject({ impact: 'low', urgency: 'high', version: 3 });
      const missing = await api({
        method: 'PATCH',
        url: '/tickets/987654',
        as: tina,
        body: { impact: 'low' },
        headers: { 'If-Match': '*' },
      });
      expect(missing.status).toBe(404);
    });

    it('keeps an agent-set priority when impact or urgency change later', async () => {
      const { json } = await open();
      const url = `/tickets/${json.number}`;
      await api({ method: 'PATCH', url, as: tina, body: { priority: 'P1' }, headers: { 'If-Match': '1' } });
      const after = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { impact: 'low' },
        headers: { 'If-Match': '2' },
      });
      expect(after.json).toMatchObject({ impact: 'low', priority: 'P1' });
    });

    it('lets a requester fix the subject but not triage fields (403)', async () => {
      const { json } = await open();
      const url = `/tickets/${json.number}`;
      const fixed = await api({
        method: 'PATCH',
        url,
        as: alice,
        body: { subject: 'VPN drops hourly' },
        headers: { 'If-Match': '1' },
      });
      expect(fixed.status).toBe(200);
      const refused = await api({
        method: 'PATCH',
        url,
        as: alice,
        body: { priority: 'P1' },
        headers: { 'If-Match': '2' },
      });
      expect(refused.status).toBe(403);
      expect(refused.json.detail).toContain('body.priority');
    });

    it('assigns only agents of the ticket tier (422 otherwise) and lists the ticket as assigned', async () => {
      const { json } = await open();
      const url = `/tickets/${json.number}`;
      const unknown = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { assignee: 'stranger@example.com' },
        headers: { 'If-Match': '1' },
      });
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors[0].field).toBe('body.assignee');
      const assigned = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { assignee: tina.email },
        headers: { 'If-Match': '1' },
      });
      expect(assigned.json.assignee).toBe(tina.email);
      const list = await api({ method: 'GET', url: '/tickets?view=assigned', as: tina });
      expect(list.json.items.map((t: { number: number }) => t.number)).toContain(json.number);
    });
  });

  describe("The requester's view", () => {
    const DESK_FIELDS = [
      'impact',
      'urgency',
      'priority',
      'category',
      'tags',
      'tier',
      'group',
      'assignee',
      'dueAt',
      'vendorId',
      'linkedArticles',
    ];
    const requesterView = (body: Record<string, unknown>) => {
      expect(body.view).toBe('requester');
      for (const field of DESK_FIELDS) expect(body, field).not.toHaveProperty(field);
      expect(JSON.stringify(body)).not.toMatch(/kb-draft-fix|tina@example\.com|needs-vendor/);
    };

    it('shows requester and watchers no desk field in any response: create, get, list, change, reopen', async () => {
      const created = await open(alice, {
        category: 'network/vpn',
        tags: ['vpn'],
        watchers: ['dan@example.com'],
      });
      requesterView(created.json);
      const { number } = created.json;
      const url = `/tickets/${number}`;
      const triaged = await api({
        method: 'PATCH',
        url,
        as: tina,
        body: { assignee: tina.email, tags: ['vpn', 'needs-vendor'], priority: 'P1' },
        headers: { 'If-Match': '1' },
      });
      expect(triaged.json).toMatchObject({ view: 'desk', assignee: tina.email, priority: 'P1' });
      // What "document the fix" leaves on a ticket: the id of the desk's internal draft.
      await env.store.mutateTicket(number, (current) => ({
        ticket: {
          ...current,
          linkedArticles: ['kb-draft-fix'],
          clocks: { ...current.clocks, policy: DEMO_STANDARD_POLICY },
        },
        events: [],
      }));

      const dan: DevIdentity = { email: 'dan@example.com', role: 'requester' };
      for (const as of [alice, dan]) {
        requesterView((await api({ method: 'GET', url, as })).json);
        const mine = await api({ method: 'GET', url: '/tickets?view=mine', as });
        const listed = mine.json.items.find((item: { number: number }) => item.number === number);
        requesterView(listed);
      }
      const changed = await api({
        method: 'PATCH',
        url,
        as: alice,
        body: { subject: 'VPN drops hourly' },
        headers: { 'If-Match': '*' },
      });
      requesterView(changed.json);
      await api({ method: 'POST', url: `${url}/resolve`, as: tina, body: { resolution: 'New profile.' } });
      const reopened = await api({ method: 'POST', url: `${url}/reopen`, as: alice, body: { reason: 'No' } });
      expect(reopened.status).toBe(200);
      requesterView(reopened.json);

      const desk = (await api({ method: 'GET', url, as: tina })).json;
      expect(desk).toMatchObject({
        view: 'desk',
        assignee: tina.email,
        tags: ['vpn', 'needs-vendor'],
        linkedArticles: ['kb-draft-fix'],
        tier: 1,
      });
    });
  });

  describe('Comments and the timeline', () => {
    it('shows internal notes to agents only, and only agents write them', async () => {
      const { json } = await open();
      const base = `/tickets/${json.number}`;
      const reply = await api({
        method: 'POST',
        url: `${base}/comments`,
        as: alice,
        body: { body: 'Still broken.' },
      });
      expect(reply.status).toBe(201);
      expect(reply.headers.etag).toBe('"2"');
      const note = await api({
        method: 'POST',
        url: `${base}/comments`,
        as: tina,
        body: { body: 'Checking the VPN concentrator.', public: false },
      });
      expect(note.status).toBe(201);
      const sneaky = await api({
        method: 'POST',
        url: `${base}/comments`,
        as: alice,
        body: { body: 'x', public: false },
      });
      expect(sneaky.status).toBe(403);
      const stranger = await api({ method: 'POST', url: `${base}/comments`, as: bob, body: { body: 'x' } });
      expect(stranger.status).toBe(404);

      const forAlice = await api({ method: 'GET', url: `${base}/timeline`, as: alice });
      const forTina = await api({ method: 'GET', url: `${base}/timeline`, as: tina });
      expect(forAlice.json.items.map((e: { type: string }) => e.type)).toEqual(['created', 'comment']);
      expect(JSON.stringify(forAlice.json)).not.toContain('concentrator');
      expect(forTina.json.items.map((e: { public: boolean }) => e.public)).toEqual([true, true, false]);
    });

    it('reads the timeline with its ticket: need-to-know holds on every page, for watchers beyond their tiers too', async () => {
      // Prepare: Tina (Tier 1) watches Alice's ticket, escalates it to Tier 2, where Theo notes.
      const { json } = await open(alice, { watchers: [tina.email] });
      const base = `/tickets/${json.number}`;
      const escalated = await api({
        method: 'POST',
        url: `${base}/escalate`,
        as: tina,
        body: { reason: 'needs the network team', summary: 'Checked the client config.' },
      });
      expect(escalated.status).toBe(200);
      const note = await api({
        method: 'POST',
        url: `${base}/comments`,
        as: theo,
        body: { body: 'Concentrator firmware is suspect.', public: false },
      });
      expect(note.status).toBe(201);
      await api({ method: 'POST', url: `${base}/comments`, as: alice, body: { body: 'Any news?' } });
      // Act: every page, one event a page (the ticket is read on its own until the last page).
      const walk = async (as: DevIdentity) => {
        const pages: { status: number; items: { public: boolean; body?: string }[] }[] = [];
        let cursor: string | undefined;
        do {
          const response = await api({
            method: 'GET',
            url: `${base}/timeline?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            as,
          });
          pages.push({ status: response.status, items: response.json?.items ?? [] });
          cursor = response.json?.nextCursor;
        } while (cursor && pages.length < 20);
        return pages;
      };
      const forTina = await walk(tina);
      const forTheo = await walk(theo);
      const forBob = await walk(bob);
      // Assess: Tina, a watcher beyond her tiers now, sees what Alice sees; Theo sees his note;
      // Bob gets 404 however the page is read.
      const seenBy = (pages: Awaited<ReturnType<typeof walk>>) => pages.flatMap((page) => page.items);
      expect(forTina.every((page) => page.status === 200)).toBe(true);
      expect(seenBy(forTina).every((event) => event.public)).toBe(true);
      expect(JSON.stringify(forTina)).not.toContain('firmware');
      expect(seenBy(forTheo).some((event) => event.body === 'Concentrator firmware is suspect.')).toBe(true);
      expect(seenBy(forTheo).length).toBeGreaterThan(seenBy(forTina).length);
      expect(forBob.map((page) => page.status)).toEqual([404]);
      const missing = await api({ method: 'GET', url: '/tickets/999999/timeline', as: theo });
      expect(missing.status).toBe(404);
    });

    it('records a field change on the timeline: internal for triage fields, public for the subject', async () => {
      const { json } = await open();
      const url = `/tickets/${json.number}`;
      await api({ method: 'PATCH', url, as: tina, body: { urgency: 'high' }, headers: { 'If-Match': '1' } });
      await api({
        method: 'PATCH',
        url,
        as: alice,
        body: { subject: 'Renamed' },
        headers: { 'If-Match': '2' },
      });
      const timeline = await api({ method: 'GET', url: `${url}/timeline`, as: tina });
      expect(timeline.json.items.slice(1)).toEqual([
        expect.objectContaining({
          type: 'updated',
          public: false,
          changes: [
            { field: 'urgency', from: 'medium', to: 'high' },
            { field: 'priority', from: 'P3', to: 'P2' },
          ],
        }),
        expect.objectContaining({
          type: 'updated',
          public: true,
          changes: [{ field: 'subject', from: 'VPN drops every hour', to: 'Renamed' }],
        }),
      ]);
    });
  });

  describe('Faults', () => {
    it('answers an unexpected DynamoDB failure with a bare 500 problem that leaks nothing', async () => {
      // Prepare: a store whose client fails the way a broken deployment would (the table is gone;
      // throttling and timeouts are transient and answered 503, see test/unit/problem.test.ts).
      const db = documentClient(env.client);
      const broken = mockClient(db);
      broken.on(GetCommand).rejects(
        Object.assign(new Error('Requested resource not found: arn:aws:dynamodb secret detail'), {
          name: 'ResourceNotFoundException',
        }),
      );
      try {
        const faulty = apiFor(
          { ...env.tickets, store: new DynamoTicketStore(db, env.tableName, env.clock) },
          env.tableName,
          env.endpoint,
        );
        // Act
        const response = await faulty({ method: 'GET', url: '/tickets/1', as: tina });
        // Assess
        expect(response.status).toBe(500);
        expect(response.headers['content-type']).toBe('application/problem+json');
        expect(JSON.stringify(response.json)).not.toMatch(/arn:|secret|InternalServerError/);
      } finally {
        broken.restore();
      }
    });

    it('answers a change that keeps losing its race with 503 and Retry-After, inside the Lambda timeout', async () => {
      // Prepare: every write to the ticket loses to another writer; the retry budget is short.
      const { json } = await open();
      const db = documentClient(env.client);
      const { mock } = spyThrough(db, [TransactWriteCommand]);
      mock.on(TransactWriteCommand).callsFake((input) =>
        Promise.reject(
          new TransactionCanceledException({
            message: 'Transaction cancelled [ConditionalCheckFailed]',
            $metadata: {},
            CancellationReasons: input.TransactItems.map(() => ({ Code: 'ConditionalCheckFailed' })),
          }),
        ),
      );
      try {
        const store = new DynamoTicketStore(db, env.tableName, env.clock, { retryBudgetMs: 200 });
        const busy = apiFor({ ...env.tickets, store }, env.tableName, env.endpoint);
        // Act
        const response = await busy({
          method: 'POST',
          url: `/tickets/${json.number}/comments`,
          as: alice,
          body: { body: 'Any news?' },
        });
        // Assess
        expect(response.status).toBe(503);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.json.type).toBe('https://tierdesk.dev/problems/contention');
      } finally {
        mock.restore();
      }
    });
  });
});
