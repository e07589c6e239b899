import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR, DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { seedDemoConfig } from '#infra/local/seed';
import { fixedClock } from '#shared/domain/clock';
import { principalFromGroups } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import { autoAssign } from '#shared/tickets/assignment';
import { MERGE_LIMITS, mergeTicket } from '#shared/tickets/ticket-actions';
import { addComment, type TicketDeps } from '#shared/tickets/ticket-service';
import type { TicketStore } from '#shared/tickets/ticket-store';
import { type ApiCall, apiFor } from '#test/support/api';
import { freshTable } from '#test/support/table';

const alice: DevIdentity = { email: 'alice@example.com', role: 'requester' };
const bob: DevIdentity = { email: 'bob@example.com', role: 'requester' };
const dan: DevIdentity = { email: 'dan@example.com', role: 'requester' };
const tina: DevIdentity = { email: 'tina@example.com', role: 'agent', tiers: [1] };
const tom: DevIdentity = { email: 'tom@example.com', role: 'agent', tiers: [1] };
const theo: DevIdentity = { email: 'theo@example.com', role: 'agent', tiers: [2] };
const tess: DevIdentity = { email: 'tess@example.com', role: 'agent', tiers: [2] };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };
const vendor = DEMO_PRINTER_VENDOR.vendorId;

const clock = fixedClock('2026-11-20T14:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let env: Awaited<ReturnType<typeof freshTable>>;
let deps: TicketDeps;
let api: (call: ApiCall) => ReturnType<ReturnType<typeof apiFor>>;

beforeAll(async () => {
  env = await freshTable(clock);
  deps = { ...env.tickets, clock };
  api = apiFor(deps, env.tableName, env.endpoint);
  await seedDemoConfig(env.admin);
  for (const agent of [tina, tom, theo, tess, hana]) {
    await env.directory.putUser({
      email: agent.email,
      name: agent.email,
      role: 'agent',
      tiers: [...(agent.tiers ?? [])],
      updatedAt: '2026-11-01T00:00:00.000Z',
    });
  }
});
afterAll(() => env.drop());

const open = async (as: DevIdentity = alice, body: Record<string, unknown> = {}): Promise<number> => {
  const response = await api({
    method: 'POST',
    url: '/tickets',
    as,
    body: { subject: 'Printer offline', description: 'PRN-3F says offline since 9:00.', ...body },
  });
  expect(response.status).toBe(201);
  return response.json.number;
};

const act = (
  number: number,
  action: string,
  as: DevIdentity,
  body?: unknown,
  headers?: Record<string, string>,
) => api({ method: 'POST', url: `/tickets/${number}/${action}`, as, body, headers });

const ok = async (...call: Parameters<typeof act>) => {
  const response = await act(...call);
  expect(response.status, JSON.stringify(response.json)).toBe(200);
  return response;
};

const ticket = async (number: number, as: DevIdentity = hana) =>
  (await api({ method: 'GET', url: `/tickets/${number}`, as })).json;

const timeline = async (number: number, as: DevIdentity = hana) =>
  (await api({ method: 'GET', url: `/tickets/${number}/timeline?limit=100`, as })).json.items as {
    type: string;
    public: boolean;
    actor: string;
    body?: string;
    data?: Record<string, unknown>;
  }[];

/** What the workflow's triage does first: pin the current policy on the ticket. */
const pinPolicy = (number: number) =>
  env.store.mutateTicket(number, (current) => ({
    ticket: { ...current, clocks: { ...current.clocks, policy: DEMO_STANDARD_POLICY } },
    events: [],
  }));

const escalateTo = async (number: number, tier: Tier) => {
  const by: Record<number, DevIdentity> = { 1: tina, 2: theo };
  for (let from = 1; from < tier; from++) {
    await ok(number, 'escalate', by[from] as DevIdentity, {
      reason: 'Beyond us',
      summary: 'Tried the usual.',
    });
  }
};

describe('Handlers: ticket lifecycle actions', () => {
  describe('POST /tickets/{number}/escalate', () => {
    it('escalates 1 → 2 → 3 with work summaries, then refuses with a 409 that says to hand off', async () => {
      const number = await open();
      const first = await ok(
        number,
        'escalate',
        tina,
        { reason: 'Needs a specialist', summary: 'Power-cycled; still offline.' },
        { 'If-Match': '"1"' },
      );
      expect(first.headers.etag).toBe('"2"');
      expect(first.json).toMatchObject({ tier: 2, group: 'tier2', status: 'new', version: 2 });
      expect(first.json).not.toHaveProperty('clocks');

      const second = await ok(number, 'escalate', theo, {
        reason: 'Firmware',
        summary: 'Driver reinstalled.',
      });
      expect(second.json).toMatchObject({ tier: 3, group: 'tier3' });

      const third = await act(number, 'escalate', hana, { reason: 'x', summary: 'y' });
      expect(third.status).toBe(409);
      expect(third.headers['content-type']).toBe('application/problem+json');
      expect(third.json).toMatchObject({
        status: 409,
        type: 'https://tierdesk.dev/problems/invalid-transition',
        instance: `/tickets/${number}/escalate`,
      });
      expect(third.json.detail).toMatch(/Tier 3.*hand it off to a vendor/);

      const events = (await timeline(number)).filter((event) => event.type === 'escalated');
      expect(events).toEqual([
        expect.objectContaining({
          actor: tina.email,
          public: false,
          data: {
            fromTier: 1,
            toTier: 2,
            reason: 'Needs a specialist',
            summary: 'Power-cycled; still offline.',
            automatic: false,
          },
        }),
        expect.objectContaining({
          actor: theo.email,
          data: expect.objectContaining({ fromTier: 2, toTier: 3 }),
        }),
      ]);
      // The requester sees neither the work orders nor the internal events.
      expect(JSON.stringify(await timeline(number, alice))).not.toContain('Power-cycled');
    });

    it('needs a work summary: 400 naming body.summary; and checks who and which version', async () => {
      const number = await open();
      const missing = await act(number, 'escalate', tina, { reason: 'r', summary: '   ', colour: 'red' });
      expect(missing.status).toBe(400);
      expect(missing.json.errors.map((issue: { field: string }) => issue.field).sort()).toEqual([
        'body.colour',
        'body.summary',
      ]);
      expect((await act(number, 'escalate', alice, { reason: 'r', summary: 's' })).status).toBe(403);
      expect((await act(number, 'escalate', theo, { reason: 'r', summary: 's' })).status).toBe(403);
      expect((await act(number, 'escalate', bob, { reason: 'r', summary: 's' })).status).toBe(404);
      expect((await act(987_654, 'escalate', tina, { reason: 'r', summary: 's' })).status).toBe(404);
      const stale = await act(number, 'escalate', tina, { reason: 'r', summary: 's' }, { 'If-Match': '"7"' });
      expect(stale.status).toBe(412);
      expect(
        (await act(number, 'escalate', tina, { reason: 'r', summary: 's' }, { 'If-Match': 'x' })).status,
      ).toBe(400);
    });
  });

  describe('POST /tickets/{number}/pending', () => {
    it('waits on the requester; their reply resumes the ticket', async () => {
      const number = await open();
      const pending = await ok(number, 'pending', tina, { reason: 'Which floor is the printer on?' });
      expect(pending.json).toMatchObject({
        status: 'pending',
        pendingReason: 'Which floor is the printer on?',
      });
      expect((await act(number, 'pending', tina, { reason: 'again' })).status).toBe(409);

      const reply = await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: alice,
        body: { body: 'Third floor, east wing.' },
      });
      expect(reply.status).toBe(201);
      const after = await ticket(number, alice);
      expect(after.status).toBe('open');
      expect(after).not.toHaveProperty('pendingReason');
      expect((await timeline(number, alice)).map((event) => event.type)).toEqual([
        'created',
        'pending',
        'comment',
        'resumed',
      ]);
      const stored = await env.store.getTicket(number);
      expect(stored?.clocks.facts.map((fact) => fact.type)).toEqual([
        'created',
        'status',
        'status',
        'requester_message',
      ]);
    });
  });

  describe('POST /tickets/{number}/resolve and /reopen', () => {
    it('reopens on a requester reply within the reopen window; after it the reply is only recorded', async () => {
      const number = await open();
      await pinPolicy(number);
      const resolved = await ok(number, 'resolve', tina, { resolution: 'Cleared the print queue.' });
      expect(resolved.json).toMatchObject({
        status: 'resolved',
        resolution: 'Cleared the print queue.',
        resolvedAt: clock.now().toISOString(),
      });
      clock.advance(DAY);
      await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: alice,
        body: { body: 'Offline again.' },
      });
      expect(await ticket(number, alice)).toMatchObject({ status: 'open' });
      expect((await timeline(number, alice)).at(-1)).toMatchObject({
        type: 'reopened',
        data: { trigger: 'requester_reply' },
      });

      await ok(number, 'resolve', tina, { resolution: 'Replaced the network cable.' });
      clock.advance(DEMO_STANDARD_POLICY.reopenWindow + HOUR);
      await api({ method: 'POST', url: `/tickets/${number}/comments`, as: alice, body: { body: 'Thanks!' } });
      expect(await ticket(number, alice)).toMatchObject({ status: 'resolved' });
    });

    it('lets the requester reopen within the window (409 after it) and an agent at any time', async () => {
      const number = await open();
      await pinPolicy(number);
      await ok(number, 'resolve', tina, { resolution: 'Done.' });
      clock.advance(HOUR);
      const reopened = await ok(number, 'reopen', alice, { reason: 'Not fixed' });
      expect(reopened.json.status).toBe('open');
      expect(reopened.json).not.toHaveProperty('resolution');

      await ok(number, 'resolve', tina, { resolution: 'Done, really.' });
      clock.advance(DEMO_STANDARD_POLICY.reopenWindow);
      const late = await act(number, 'reopen', alice, { reason: 'Not fixed' });
      expect(late.status).toBe(409);
      expect(late.json.detail).toMatch(/reopen window ended at .*open a new ticket/);
      expect((await ok(number, 'reopen', tina, { reason: 'Requester called' })).json.status).toBe('open');
      expect((await act(number, 'reopen', tina, { reason: 'x' })).status).toBe(409);
    });

    it('holds a watcher to one rule on both paths: no reopen (403), and their reply within the window reopens nothing', async () => {
      const number = await open(alice, { watchers: [dan.email] });
      await pinPolicy(number);
      await ok(number, 'resolve', tina, { resolution: 'Cleared the print queue.' });
      clock.advance(HOUR);

      const refused = await act(number, 'reopen', dan, { reason: 'Still broken for me' });
      expect(refused.status).toBe(403);
      const reply = await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: dan,
        body: { body: 'Still broken for me.' },
      });
      expect(reply.status).toBe(201);

      expect(await ticket(number, alice)).toMatchObject({ status: 'resolved' });
      expect((await timeline(number, alice)).map((event) => event.type)).toEqual([
        'created',
        'resolved',
        'comment',
      ]);
      // The requester still decides: their own reply within the window reopens it.
      await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: alice,
        body: { body: 'Same here.' },
      });
      expect(await ticket(number, alice)).toMatchObject({ status: 'open' });
    });

    it('is a 409 to resolve what is resolved, and 403 for a requester', async () => {
      const number = await open();
      expect((await act(number, 'resolve', alice, { resolution: 'I fixed it' })).status).toBe(403);
      await ok(number, 'resolve', tina, { resolution: 'Done.' });
      const again = await act(number, 'resolve', tina, { resolution: 'Done.' });
      expect(again.status).toBe(409);
      expect(again.json.detail).toBe(
        `Ticket #${number} is resolved, so it cannot be resolved; reopen it first.`,
      );
    });
  });

  describe('POST /tickets/{number}/close', () => {
    it('closes a resolved ticket with or without a body; an open one is a 409; closed takes no replies', async () => {
      const number = await open();
      const early = await act(number, 'close', tina);
      expect(early.status).toBe(409);
      expect(early.json.detail).toMatch(/resolve it first/);
      await ok(number, 'resolve', tina, { resolution: 'Done.' });
      const closed = await ok(number, 'close', tina);
      expect(closed.json).toMatchObject({ status: 'closed', closeReason: 'resolved', resolution: 'Done.' });

      const other = await open();
      await ok(other, 'resolve', tina, { resolution: 'Done.' });
      expect((await ok(other, 'close', tina, { reason: 'Confirmed' })).json.status).toBe('closed');
      expect((await act(other, 'close', tina, { note: 'x' })).status).toBe(400);

      const reply = await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: alice,
        body: { body: 'Hi' },
      });
      expect(reply.status).toBe(409);
      expect((await act(number, 'reopen', tina, { reason: 'x' })).json.detail).toMatch(/open a new ticket/);
    });
  });

  describe('POST /tickets/{number}/handoff and /vendor-update', () => {
    it('hands a Tier 3 ticket to the vendor and resolves it when the vendor does', async () => {
      const number = await open();
      await escalateTo(number, 3);
      const unknown = await act(number, 'handoff', hana, { vendorId: 'nobody', message: 'Please fix.' });
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors).toEqual([
        { field: 'body.vendorId', message: 'must be a vendor of the desk configuration' },
      ]);
      const handoff = { vendorId: vendor, message: 'Please fix.' };
      expect((await act(number, 'handoff', alice, handoff)).status).toBe(403);
      expect((await act(number, 'handoff', theo, handoff)).status).toBe(404);

      const handedOff = await ok(number, 'handoff', hana, { vendorId: vendor, message: 'Fuser error 0x51.' });
      expect(handedOff.json).toMatchObject({ tier: 4, status: 'on_hold', vendorId: vendor, group: 'tier3' });
      // Tier 4 is worked by Tier 3: a Tier 1 agent no longer sees it.
      expect((await act(number, 'vendor-update', tina, { message: 'x' })).status).toBe(404);

      await ok(number, 'vendor-update', hana, { message: 'Technician booked for Monday.' });
      const done = await ok(number, 'vendor-update', hana, {
        message: 'Fuser replaced (RMA 8812).',
        resolved: true,
      });
      expect(done.json).toMatchObject({
        tier: 3,
        status: 'resolved',
        resolution: `${DEMO_PRINTER_VENDOR.name} resolved the issue.`,
      });
      expect((await act(number, 'vendor-update', hana, { message: 'late' })).status).toBe(409);

      const stored = await env.store.getTicket(number);
      expect(stored?.clocks.facts.map((fact) => fact.type).slice(-7)).toEqual([
        'tier',
        'status',
        'vendor_handoff',
        'vendor_response',
        'vendor_resolved',
        'tier',
        'status',
      ]);
      const forAlice = await timeline(number, alice);
      expect(forAlice.map((event) => event.type)).toEqual(['created', 'on_hold', 'resolved']);
      expect(forAlice[1]?.data).toEqual({ vendorName: DEMO_PRINTER_VENDOR.name });
      expect(JSON.stringify(forAlice)).not.toMatch(/0x51|8812|Technician/);
      expect((await timeline(number)).map((event) => event.type)).toContain('vendor_update');
    });
  });

  describe('POST /tickets/{number}/merge', () => {
    it("keeps another requester's ticket from the duplicate's people: they keep their closed duplicate, with a pointer", async () => {
      const target = await open(alice, { description: "Alice's payroll export fails on PRN-3F." });
      await api({
        method: 'POST',
        url: `/tickets/${target}/comments`,
        as: alice,
        body: { body: 'My payslip is in the queue, please hurry.' },
      });
      const duplicate = await open(bob, { watchers: [dan.email] });
      await api({
        method: 'POST',
        url: `/tickets/${duplicate}/comments`,
        as: bob,
        body: { body: 'Also on the 2nd floor.' },
      });
      await api({
        method: 'POST',
        url: `/tickets/${duplicate}/comments`,
        as: tina,
        body: { body: 'Internal: same root cause.', public: false },
      });
      await api({
        method: 'POST',
        url: `/tickets/${duplicate}/comments`,
        as: tina,
        body: { body: 'Bob, we are on it.' },
      });

      const merged = await ok(duplicate, 'merge', tina, { into: target }, { 'If-Match': '"4"' });
      expect(merged.json).toMatchObject({ status: 'closed', closeReason: 'merged', mergedInto: target });

      // Alice's ticket, her words and the desk's answers to her stay hers.
      for (const as of [bob, dan]) {
        expect((await api({ method: 'GET', url: `/tickets/${target}`, as })).status).toBe(404);
        expect((await api({ method: 'GET', url: `/tickets/${target}/timeline`, as })).status).toBe(404);
        const mine = await api({ method: 'GET', url: '/tickets?view=mine', as });
        expect(JSON.stringify(mine.json)).not.toMatch(/payroll|payslip/);
        expect(mine.json.items.map((item: { number: number }) => item.number)).not.toContain(target);
      }
      expect((await ticket(target, tina)).watchers).toEqual([]);
      // Theirs: closed, pointing at the ticket the desk goes on with, their own conversation kept.
      expect(await ticket(duplicate, bob)).toMatchObject({ status: 'closed', mergedInto: target });
      const theirs = await timeline(duplicate, dan);
      expect(theirs.map((event) => [event.type, event.actor])).toEqual([
        ['created', bob.email],
        ['comment', bob.email],
        ['comment', tina.email],
        ['updated', tina.email],
        ['merged', tina.email],
      ]);
      expect(theirs.at(-1)).toMatchObject({ public: true, data: { into: target } });

      // The desk sees who else reported it, and what they wrote (internally: Alice may not know them).
      const carried = (await timeline(target, tina)).find((event) => event.type === 'merged');
      expect(carried).toMatchObject({
        public: false,
        data: {
          from: duplicate,
          requester: bob.email,
          watchers: [dan.email],
          watchersAdded: [],
          omittedComments: 0,
          comments: [
            expect.objectContaining({ actor: bob.email, body: 'Also on the 2nd floor.' }),
            expect.objectContaining({ actor: tina.email, body: 'Bob, we are on it.' }),
          ],
        },
      });
      expect(JSON.stringify(carried)).not.toContain('Internal: same root cause');
      expect(JSON.stringify(await timeline(target, alice))).not.toMatch(/2nd floor|Bob, we are on it/);
    });

    it("moves the duplicate's watchers to the target when one requester filed both", async () => {
      const target = await open(alice);
      const duplicate = await open(alice, { watchers: [dan.email] });
      await ok(duplicate, 'merge', tina, { into: target });
      expect((await ticket(target, tina)).watchers).toEqual([dan.email]);
      expect((await api({ method: 'GET', url: `/tickets/${target}`, as: dan })).status).toBe(200);
      expect(
        (await api({ method: 'GET', url: '/tickets?view=mine', as: dan })).json.items.map(
          (item: { number: number }) => item.number,
        ),
      ).toEqual(expect.arrayContaining([target, duplicate]));
    });

    it('carries the newest comments up to the bound and counts the rest', async () => {
      const target = await open();
      const duplicate = await open(bob);
      const total = MERGE_LIMITS.comments + 3;
      for (let i = 0; i < total; i++) {
        await addComment(deps, principalFromGroups(bob.email, []), duplicate, {
          body: `note ${i}`,
          public: true,
        });
      }
      await ok(duplicate, 'merge', tina, { into: target });
      const carried = (await timeline(target, tina)).find((event) => event.type === 'merged')?.data as {
        comments: { body: string }[];
        omittedComments: number;
      };
      expect(carried.omittedComments).toBe(3);
      expect(carried.comments.map((c) => c.body)).toEqual(
        Array.from({ length: MERGE_LIMITS.comments }, (_, i) => `note ${i + 3}`),
      );
    });

    it('carries a comment that lands while the merge reads the duplicate (the merge retries)', async () => {
      const target = await open();
      const duplicate = await open(bob);
      const agent = principalFromGroups(tina.email, ['tier1']);
      let raced = false;
      // A store whose first timeline read is overtaken by a requester's reply.
      const racing: TicketStore = Object.create(env.store, {
        timeline: {
          value: async (...args: Parameters<TicketStore['timeline']>) => {
            const page = await env.store.timeline(...args);
            if (!raced) {
              raced = true;
              await addComment(deps, principalFromGroups(bob.email, []), duplicate, {
                body: 'Late news',
                public: true,
              });
            }
            return page;
          },
        },
      });
      const closed = await mergeTicket({ ...deps, store: racing }, agent, duplicate, { into: target });
      expect(closed).toMatchObject({ status: 'closed', mergedInto: target });
      const carried = (await timeline(target, tina)).find((event) => event.type === 'merged');
      expect(carried?.data?.comments).toEqual([expect.objectContaining({ body: 'Late news' })]);
    });

    it('is a 409 into itself or a closed ticket, 422 into an unknown one, 403 for a requester', async () => {
      const a = await open();
      const b = await open();
      expect((await act(a, 'merge', tina, { into: a })).json.detail).toMatch(/cannot be merged into itself/);
      expect((await act(a, 'merge', alice, { into: b })).status).toBe(403);
      const unknown = await act(a, 'merge', tina, { into: 987_654 });
      expect(unknown.status).toBe(422);
      expect(unknown.json.errors[0].field).toBe('body.into');
      expect((await act(a, 'merge', tina, { into: '12' })).status).toBe(400);
      await ok(a, 'merge', tina, { into: b });
      const intoClosed = await act(b, 'merge', tina, { into: a });
      expect(intoClosed.status).toBe(409);
      expect(intoClosed.json.detail).toBe(
        `Ticket #${a} is closed; merge into a ticket that is still active.`,
      );
      expect((await act(a, 'merge', tina, { into: b })).status).toBe(409);
    });
  });

  describe('Comments', () => {
    it('opens a new ticket with the first public agent reply, not with an internal note', async () => {
      const number = await open();
      await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: tina,
        body: { body: 'x', public: false },
      });
      expect((await ticket(number)).status).toBe('new');
      await api({
        method: 'POST',
        url: `/tickets/${number}/comments`,
        as: tina,
        body: { body: 'Looking into it.' },
      });
      expect((await ticket(number)).status).toBe('open');
      const stored = await env.store.getTicket(number);
      expect(stored?.clocks.facts.map((fact) => fact.type)).toEqual(['created', 'agent_reply', 'status']);
    });

    it('records a priority change as a clock fact', async () => {
      const number = await open();
      await api({
        method: 'PATCH',
        url: `/tickets/${number}`,
        as: tina,
        body: { priority: 'P1' },
        headers: { 'If-Match': '1' },
      });
      const stored = await env.store.getTicket(number);
      expect(stored?.clocks.facts.at(-1)).toMatchObject({ type: 'priority', priority: 'P1' });
    });
  });
});

describe('Function: autoAssign', () => {
  it('assigns Tier 1 tickets in turn (round robin) and records who and how', async () => {
    const numbers = [await open(), await open(), await open()];
    const assigned = [];
    for (const number of numbers) assigned.push((await autoAssign(deps, number))?.ticket.assignee);
    expect(assigned).toEqual([tina.email, tom.email, tina.email]);
    expect((await timeline(numbers[0] as number)).at(-1)).toMatchObject({
      type: 'assigned',
      actor: 'tierdesk',
      public: false,
      data: { assignee: tina.email, mode: 'round_robin', group: 'tier1' },
    });
    // Already assigned: left alone.
    expect(await autoAssign(deps, numbers[0] as number)).toBeUndefined();
  });

  it('gives a Tier 2 ticket to the specialist with the fewest unresolved tickets', async () => {
    const loads: [DevIdentity, number][] = [
      [theo, 2],
      [tess, 1],
    ];
    for (const [agent, count] of loads) {
      for (let i = 0; i < count; i++) {
        const number = await open();
        await escalateTo(number, 2);
        await api({
          method: 'PATCH',
          url: `/tickets/${number}`,
          as: theo,
          body: { assignee: agent.email },
          headers: { 'If-Match': '2' },
        });
      }
    }
    expect(await env.assignments.countAssigned(theo.email)).toBe(2);
    const number = await open();
    await escalateTo(number, 2);
    expect((await autoAssign(deps, number))?.ticket).toMatchObject({ assignee: tess.email, tier: 2 });

    // Resolved tickets no longer count: theo's two resolved, he is now the least loaded.
    const theirs = await env.store.assignedTo(theo.email, { limit: 10 });
    for (const item of theirs.items) await ok(item.number, 'resolve', theo, { resolution: 'Done.' });
    const next = await open();
    await escalateTo(next, 2);
    expect((await autoAssign(deps, next))?.ticket.assignee).toBe(theo.email);
  });

  it('leaves manual groups to their agents', async () => {
    const number = await open();
    await escalateTo(number, 3);
    expect(await autoAssign(deps, number)).toBeUndefined();
    expect((await ticket(number)).assignee).toBeUndefined();
  });
});
