import { describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR } from '#infra/local/demo/service-levels';
import { ConflictError, ForbiddenError } from '#shared/domain/errors';
import {
  autoEscalate,
  close,
  closeBySystem,
  comment,
  escalate,
  handOff,
  initialClocks,
  isWithinReopenWindow,
  merge,
  priorityFacts,
  recordVendorUpdate,
  reopen,
  resolve,
  SYSTEM_ACTOR,
  setPending,
  type Transition,
} from '#shared/domain/lifecycle';
import type { ServicePolicy, VendorContract } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { Status, Tier } from '#shared/domain/ticket-fields';
import { type Person, people, storedTicket } from '#test/support/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const created = '2026-11-20T10:00:00.000Z';
const at = new Date('2026-11-20T12:00:00.000Z');
const resolvedAt = '2026-11-20T11:00:00.000Z';

const policy: ServicePolicy = {
  id: 'standard',
  version: 1,
  calendar: { id: '24x7', name: '24×7', timeZone: 'UTC', weekly: {}, holidays: [] },
  sla: {
    P1: { firstResponse: HOUR, nextResponse: HOUR, resolution: 4 * HOUR },
    P2: { firstResponse: 2 * HOUR, nextResponse: 2 * HOUR, resolution: 8 * HOUR },
    P3: { firstResponse: 4 * HOUR, nextResponse: 4 * HOUR, resolution: 2 * DAY },
    P4: { firstResponse: 8 * HOUR, nextResponse: 8 * HOUR, resolution: 5 * DAY },
  },
  ola: { 1: 2 * HOUR, 2: 8 * HOUR, 3: 3 * DAY },
  warnAt: 0.75,
  onHoldPausesSla: true,
  reopenWindow: 7 * DAY,
  pendingReminder: 2 * DAY,
  pendingAutoClose: 5 * DAY,
};

const acme: VendorContract = { ...DEMO_PRINTER_VENDOR, vendorId: 'acme', name: 'Acme Printers' };

/** alice requested it, carol watches it; a policy is pinned unless said otherwise. */
const ticket = (overrides: Partial<Ticket> = {}): Ticket =>
  storedTicket({
    watchers: ['carol@example.com'],
    status: 'open',
    clocks: { ...initialClocks({ createdAt: created, priority: 'P3', tier: 1, status: 'new' }), policy },
    ...overrides,
  });
const resolvedTicket = (overrides: Partial<Ticket> = {}) =>
  ticket({ status: 'resolved', resolution: 'Replaced the cable.', resolvedAt, ...overrides });
const withVendor = (overrides: Partial<Ticket> = {}) =>
  ticket({ tier: 4, status: 'on_hold', vendorId: 'acme', group: 'tier3', ...overrides });

/** The facts a transition appended, without their time stamps. */
const newFacts = (before: Ticket, result: Transition) =>
  result.ticket.clocks.facts.slice(before.clocks.facts.length).map(({ at: _at, ...fact }) => fact);

const conflict = (run: () => unknown, message: RegExp) => {
  expect(run).toThrow(ConflictError);
  expect(run).toThrow(message);
};

const STATUSES_BUT = (...allowed: Status[]) =>
  (['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const).filter((s) => !allowed.includes(s));

describe('Module: lifecycle', () => {
  describe('Function: initialClocks', () => {
    it('starts with one created fact and nothing applied', () => {
      expect(initialClocks({ createdAt: created, priority: 'P2', tier: 1, status: 'new' })).toEqual({
        facts: [{ at: created, type: 'created', priority: 'P2', tier: 1, status: 'new' }],
        applied: [],
      });
    });
  });

  describe('Function: escalate', () => {
    const input = { reason: 'Needs a VPN specialist', summary: 'Reinstalled the client; same drops.' };
    // who × tier of the ticket → allowed (403 otherwise)
    const table: [Person, Tier, boolean][] = [
      ['t1', 1, true],
      ['t2', 1, false],
      ['t12', 1, true],
      ['t12', 2, true],
      ['t2', 2, true],
      ['t1', 2, false],
      ['sup', 2, true],
      ['admin', 1, true],
      ['alice', 1, false],
    ];
    it.each(table)('%s escalating a Tier %i ticket is allowed: %s', (who, tier, allowed) => {
      const run = () => escalate(ticket({ tier }), people[who], input, at);
      if (allowed) expect(run().ticket.tier).toBe(tier + 1);
      else expect(run).toThrow(ForbiddenError);
    });

    it('moves to the next tier and its default group, clears the assignee, records tier and event', () => {
      const before = ticket({ tier: 1, assignee: 't1@example.com' });
      const result = escalate(before, people.t1, input, at);
      expect(result.ticket).toMatchObject({ tier: 2, group: 'tier2', status: 'open' });
      expect(result.ticket.assignee).toBeUndefined();
      expect(newFacts(before, result)).toEqual([{ type: 'tier', tier: 2 }]);
      expect(result.events).toEqual([
        {
          type: 'escalated',
          at: at.toISOString(),
          actor: 't1@example.com',
          public: false,
          data: { fromTier: 1, toTier: 2, ...input, automatic: false },
        },
      ]);
      expect(result.ticket.updatedAt).toBe(at.toISOString());
    });

    it('keeps the status of a new or pending ticket', () => {
      expect(escalate(ticket({ status: 'new' }), people.t1, input, at).ticket.status).toBe('new');
      expect(escalate(ticket({ status: 'pending' }), people.t1, input, at).ticket.status).toBe('pending');
    });

    it('is a 409 at Tier 3: hand off instead', () => {
      conflict(() => escalate(ticket({ tier: 3 }), people.t3, input, at), /Tier 3.*hand it off to a vendor/);
    });

    it.each(STATUSES_BUT('new', 'open', 'pending'))('is a 409 from %s, saying why', (status) => {
      const tier = status === 'on_hold' ? 4 : 1;
      conflict(
        () => escalate(ticket({ status, tier }), people.sup, input, at),
        /Ticket #42 is .*so it cannot be escalated/,
      );
    });

    it('tells what to do instead: reopen a resolved ticket first', () => {
      conflict(
        () => escalate(resolvedTicket(), people.t1, input, at),
        /^Ticket #42 is resolved, so it cannot be escalated; reopen it first\.$/,
      );
    });
  });

  describe('Function: autoEscalate', () => {
    const input = { trigger: 'ola_breach', reason: 'OLA of Tier 1 breached', summary: 'No agent answered.' };

    it('escalates as Tierdesk, marked automatic with its trigger', () => {
      const result = autoEscalate(ticket({ tier: 2 }), input, at);
      expect(result.ticket.tier).toBe(3);
      expect(result.events[0]).toMatchObject({
        type: 'escalated',
        actor: SYSTEM_ACTOR,
        public: false,
        data: { fromTier: 2, toTier: 3, automatic: true, trigger: 'ola_breach' },
      });
    });

    it('cannot escalate past Tier 3 (the workflow notifies supervisors instead)', () => {
      expect(() => autoEscalate(ticket({ tier: 3 }), input, at)).toThrow(ConflictError);
    });
  });

  describe('Function: setPending', () => {
    it.each(['new', 'open'] as const)('sets a %s ticket pending with its reason, publicly', (status) => {
      const before = ticket({ status });
      const result = setPending(before, people.t1, { reason: 'Send the asset tag' }, at);
      expect(result.ticket).toMatchObject({ status: 'pending', pendingReason: 'Send the asset tag' });
      expect(newFacts(before, result)).toEqual([{ type: 'status', status: 'pending' }]);
      expect(result.events).toEqual([
        expect.objectContaining({ type: 'pending', public: true, data: { reason: 'Send the asset tag' } }),
      ]);
    });

    it('is a 409 when already pending', () => {
      conflict(
        () => setPending(ticket({ status: 'pending', pendingReason: 'x' }), people.t1, { reason: 'y' }, at),
        /already pending \(x\)/,
      );
    });

    it.each(STATUSES_BUT('new', 'open', 'pending'))('is a 409 from %s', (status) => {
      expect(() =>
        setPending(ticket({ status, tier: status === 'on_hold' ? 4 : 1 }), people.sup, { reason: 'r' }, at),
      ).toThrow(ConflictError);
    });

    it.each(['alice', 'carol', 'bob'] as const)('refuses %s (not an agent of the ticket): 403', (who) => {
      expect(() => setPending(ticket(), people[who], { reason: 'r' }, at)).toThrow(ForbiddenError);
    });
  });

  describe('Function: resolve', () => {
    it.each(['new', 'open', 'pending'] as const)('resolves a %s ticket', (status) => {
      const before = ticket({ status, pendingReason: status === 'pending' ? 'x' : undefined });
      const result = resolve(before, people.t1, { resolution: 'Replaced the cable.' }, at);
      expect(result.ticket).toMatchObject({
        status: 'resolved',
        resolution: 'Replaced the cable.',
        resolvedAt: at.toISOString(),
      });
      expect(result.ticket.pendingReason).toBeUndefined();
      expect(newFacts(before, result)).toEqual([{ type: 'status', status: 'resolved' }]);
      expect(result.events).toEqual([
        expect.objectContaining({
          type: 'resolved',
          public: true,
          data: { resolution: 'Replaced the cable.' },
        }),
      ]);
    });

    it('brings a ticket resolved at Tier 4 back to the Tier 3 that owns it', () => {
      const before = withVendor();
      const result = resolve(before, people.t3, { resolution: 'Worked around it.' }, at);
      expect(result.ticket).toMatchObject({ tier: 3, status: 'resolved' });
      expect(newFacts(before, result)).toEqual([
        { type: 'tier', tier: 3 },
        { type: 'status', status: 'resolved' },
      ]);
    });

    it.each(['resolved', 'closed'] as const)('is a 409 when already %s', (status) => {
      expect(() => resolve(ticket({ status }), people.t1, { resolution: 'r' }, at)).toThrow(ConflictError);
    });

    it('refuses the requester: 403', () => {
      expect(() => resolve(ticket(), people.alice, { resolution: 'r' }, at)).toThrow(ForbiddenError);
    });
  });

  describe('Function: reopen', () => {
    const inWindow = new Date(Date.parse(resolvedAt) + 7 * DAY - 1);
    const afterWindow = new Date(Date.parse(resolvedAt) + 7 * DAY);

    it('lets the requester reopen within the window: open, resolution cleared, public event', () => {
      const before = resolvedTicket();
      const result = reopen(before, people.alice, { reason: 'It broke again' }, inWindow);
      expect(result.ticket.status).toBe('open');
      expect(result.ticket.resolution).toBeUndefined();
      expect(result.ticket.resolvedAt).toBeUndefined();
      expect(newFacts(before, result)).toEqual([{ type: 'status', status: 'open' }]);
      expect(result.events).toEqual([
        expect.objectContaining({
          type: 'reopened',
          actor: 'alice@example.com',
          public: true,
          data: { trigger: 'request', reason: 'It broke again' },
        }),
      ]);
    });

    it('refuses the requester once the window has ended: 409 naming its end', () => {
      conflict(
        () => reopen(resolvedTicket(), people.alice, { reason: 'r' }, afterWindow),
        /reopen window ended at 2026-11-27T11:00:00.000Z; open a new ticket/,
      );
    });

    it('gives the requester no window before a policy is pinned', () => {
      const unpinned = resolvedTicket({
        clocks: initialClocks({ createdAt: created, priority: 'P3', tier: 1, status: 'new' }),
      });
      conflict(() => reopen(unpinned, people.alice, { reason: 'r' }, inWindow), /no reopen window/);
      expect(reopen(unpinned, people.t1, { reason: 'r' }, inWindow).ticket.status).toBe('open');
    });

    it('lets an agent reopen at any time while resolved', () => {
      expect(reopen(resolvedTicket(), people.t1, { reason: 'r' }, afterWindow).ticket.status).toBe('open');
    });

    it.each(['carol', 'bob'] as const)('refuses %s (not the requester, not an agent): 403', (who) => {
      expect(() => reopen(resolvedTicket(), people[who], { reason: 'r' }, inWindow)).toThrow(ForbiddenError);
    });

    it('is a 409 for a closed ticket (open a new one) and for one that is not resolved', () => {
      conflict(
        () => reopen(ticket({ status: 'closed' }), people.t1, { reason: 'r' }, at),
        /closed and cannot be reopened; open a new ticket/,
      );
      conflict(
        () => reopen(ticket({ status: 'open' }), people.t1, { reason: 'r' }, at),
        /only a resolved ticket/,
      );
    });
  });

  describe('Function: close', () => {
    it('closes a resolved ticket, keeping its resolution', () => {
      const before = resolvedTicket();
      const result = close(before, people.t1, { reason: 'Confirmed by phone' }, at);
      expect(result.ticket).toMatchObject({
        status: 'closed',
        closeReason: 'resolved',
        closedAt: at.toISOString(),
        resolution: 'Replaced the cable.',
      });
      expect(newFacts(before, result)).toEqual([{ type: 'status', status: 'closed' }]);
      expect(result.events).toEqual([
        expect.objectContaining({
          type: 'closed',
          public: true,
          data: { reason: 'resolved', note: 'Confirmed by phone' },
        }),
      ]);
    });

    it.each(STATUSES_BUT('resolved', 'closed'))('is a 409 from %s', (status) => {
      expect(() => close(ticket({ status, tier: status === 'on_hold' ? 4 : 1 }), people.sup, {}, at)).toThrow(
        ConflictError,
      );
    });

    it('says "resolve it first" for an open ticket and "already closed" for a closed one', () => {
      conflict(() => close(ticket(), people.t1, {}, at), /open, so it cannot be closed; resolve it first/);
      conflict(() => close(ticket({ status: 'closed' }), people.t1, {}, at), /already closed/);
    });

    it('refuses the requester: 403', () => {
      expect(() => close(resolvedTicket(), people.alice, {}, at)).toThrow(ForbiddenError);
    });
  });

  describe('Function: closeBySystem', () => {
    it('closes a resolved ticket when the window ends, and a pending one that waited too long', () => {
      expect(closeBySystem(resolvedTicket(), { reason: 'resolved' }, at).ticket).toMatchObject({
        status: 'closed',
        closeReason: 'resolved',
      });
      const abandoned = closeBySystem(ticket({ status: 'pending' }), { reason: 'auto_closed' }, at);
      expect(abandoned.ticket).toMatchObject({ status: 'closed', closeReason: 'auto_closed' });
      expect(abandoned.events[0]).toMatchObject({ type: 'closed', actor: SYSTEM_ACTOR });
    });

    it('is a 409 when the status does not match the reason', () => {
      expect(() => closeBySystem(ticket(), { reason: 'resolved' }, at)).toThrow(ConflictError);
      expect(() => closeBySystem(resolvedTicket(), { reason: 'auto_closed' }, at)).toThrow(ConflictError);
    });
  });

  describe('Function: handOff', () => {
    const input = {
      vendor: acme,
      message: 'Please replace the fuser.',
    };

    it('moves a Tier 3 ticket to Tier 4, on hold, with the vendor; the message stays internal', () => {
      const before = ticket({ tier: 3, group: 'tier3', assignee: 't3@example.com' });
      const result = handOff(before, people.t3, input, at);
      expect(result.ticket).toMatchObject({
        tier: 4,
        status: 'on_hold',
        vendorId: 'acme',
        group: 'tier3',
        assignee: 't3@example.com',
      });
      expect(result.ticket.clocks.vendor).toEqual(acme);
      expect(newFacts(before, result)).toEqual([
        { type: 'tier', tier: 4 },
        { type: 'status', status: 'on_hold' },
        { type: 'vendor_handoff', vendorId: 'acme' },
      ]);
      expect(result.events).toEqual([
        expect.objectContaining({
          type: 'handoff',
          public: false,
          data: { vendorId: 'acme', vendorName: 'Acme Printers', message: 'Please replace the fuser.' },
        }),
        expect.objectContaining({ type: 'on_hold', public: true, data: { vendorName: 'Acme Printers' } }),
      ]);
      expect(JSON.stringify(result.events.filter((event) => event.public))).not.toContain('fuser');
    });

    // who → allowed on a Tier 3 ticket
    const table: [Person, boolean][] = [
      ['t3', true],
      ['sup', true],
      ['t2', false],
      ['t12', false],
      ['alice', false],
    ];
    it.each(table)('%s handing off is allowed: %s', (who, allowed) => {
      const run = () => handOff(ticket({ tier: 3 }), people[who], input, at);
      if (allowed) expect(run().ticket.tier).toBe(4);
      else expect(run).toThrow(ForbiddenError);
    });

    it('is a 409 below Tier 3 (escalate first), at Tier 4 (already with a vendor) and once resolved', () => {
      conflict(() => handOff(ticket({ tier: 2 }), people.sup, input, at), /Tier 2.*escalate it first/);
      conflict(() => handOff(withVendor(), people.t3, input, at), /already with a vendor \(acme\)/);
      conflict(() => handOff(resolvedTicket({ tier: 3 }), people.t3, input, at), /reopen it first/);
    });
  });

  describe('Function: recordVendorUpdate', () => {
    const handedOff = () =>
      handOff(
        ticket({ tier: 3, group: 'tier3' }),
        people.t3,
        { vendor: { ...acme, name: 'Acme' }, message: 'm' },
        at,
      ).ticket;

    it('records the first answer as the vendor response, and only the first', () => {
      const before = handedOff();
      const first = recordVendorUpdate(before, people.t3, { message: 'On it', resolved: false }, at);
      expect(first.ticket).toMatchObject({ tier: 4, status: 'on_hold' });
      expect(newFacts(before, first)).toEqual([{ type: 'vendor_response' }]);
      expect(first.events).toEqual([
        expect.objectContaining({
          type: 'vendor_update',
          public: false,
          data: { vendorId: 'acme', message: 'On it', resolved: false },
        }),
      ]);
      const second = recordVendorUpdate(
        first.ticket,
        people.t3,
        { message: 'Still on it', resolved: false },
        at,
      );
      expect(newFacts(first.ticket, second)).toEqual([]);
    });

    it('resolves back at Tier 3 when the vendor resolved it, without exposing their words', () => {
      const before = handedOff();
      const result = recordVendorUpdate(
        before,
        people.t3,
        { message: 'Fuser replaced, ref 8812', resolved: true, vendorName: 'Acme' },
        at,
      );
      expect(result.ticket).toMatchObject({
        tier: 3,
        status: 'resolved',
        resolution: 'Acme resolved the issue.',
      });
      expect(newFacts(before, result)).toEqual([
        { type: 'vendor_response' },
        { type: 'vendor_resolved' },
        { type: 'tier', tier: 3 },
        { type: 'status', status: 'resolved' },
      ]);
      expect(result.events.map((event) => [event.type, event.public])).toEqual([
        ['vendor_update', false],
        ['resolved', true],
      ]);
      expect(JSON.stringify(result.events.filter((event) => event.public))).not.toContain('8812');
    });

    it('counts a response again after a new hand-off', () => {
      const answered = recordVendorUpdate(
        handedOff(),
        people.t3,
        { message: 'x', resolved: true },
        at,
      ).ticket;
      const reopened = reopen(answered, people.t3, { reason: 'back' }, at).ticket;
      const again = handOff(reopened, people.t3, { vendor: { ...acme, name: 'Acme' }, message: 'm' }, at);
      const update = recordVendorUpdate(again.ticket, people.t3, { message: 'y', resolved: false }, at);
      expect(newFacts(again.ticket, update)).toEqual([{ type: 'vendor_response' }]);
    });

    it('is a 409 when the ticket is not with a vendor, and a 403 for the requester', () => {
      conflict(
        () => recordVendorUpdate(ticket({ tier: 3 }), people.t3, { message: 'x', resolved: false }, at),
        /not with a vendor/,
      );
      expect(() =>
        recordVendorUpdate(withVendor(), people.alice, { message: 'x', resolved: false }, at),
      ).toThrow(ForbiddenError);
    });
  });

  describe('Function: merge', () => {
    const carried = {
      comments: [{ at: created, actor: 'bob@example.com', body: 'Mine too' }],
      omittedComments: 0,
    };
    const duplicate = () =>
      ticket({ number: 7, requester: 'bob@example.com', watchers: ['dan@example.com', 'carol@example.com'] });
    const target = () => ticket({ number: 9 });

    it("closes the duplicate into the target; its words go along internally; another requester's people stay out", () => {
      const result = merge(duplicate(), target(), people.t1, carried, at);
      expect(result.duplicate.ticket).toMatchObject({
        status: 'closed',
        closeReason: 'merged',
        mergedInto: 9,
        closedAt: at.toISOString(),
      });
      expect(result.duplicate.ticket.watchers).toEqual(['dan@example.com', 'carol@example.com']);
      expect(result.duplicate.events).toEqual([
        expect.objectContaining({ type: 'merged', public: true, data: { into: 9 } }),
      ]);
      expect(result.target.ticket.watchers).toEqual(['carol@example.com']);
      expect(result.target.ticket.status).toBe('open');
      expect(result.target.events).toEqual([
        expect.objectContaining({
          type: 'merged',
          public: false,
          data: expect.objectContaining({
            from: 7,
            requester: 'bob@example.com',
            watchers: ['dan@example.com', 'carol@example.com'],
            watchersAdded: [],
            comments: carried.comments,
            omittedComments: 0,
          }),
        }),
      ]);
    });

    it("brings the duplicate's watchers along when one requester filed both, never the requester themself", () => {
      const own = ticket({
        number: 7,
        watchers: ['dan@example.com', 'carol@example.com', 'alice@example.com'],
      });
      const result = merge(own, target(), people.t1, carried, at);
      expect(result.target.ticket.watchers).toEqual(['carol@example.com', 'dan@example.com']);
      expect(result.target.events[0]?.data).toMatchObject({ watchersAdded: ['dan@example.com'] });
    });

    it('does not make the target requester a watcher of their own ticket', () => {
      const result = merge(ticket({ number: 7 }), target(), people.t1, carried, at);
      expect(result.target.ticket.watchers).toEqual(['carol@example.com']);
    });

    it('is a 409 into itself, from a closed duplicate and into a closed target', () => {
      conflict(() => merge(target(), target(), people.t1, carried, at), /cannot be merged into itself/);
      conflict(
        () => merge(ticket({ number: 7, status: 'closed' }), target(), people.t1, carried, at),
        /#7 is already closed/,
      );
      conflict(
        () => merge(duplicate(), ticket({ number: 9, status: 'closed' }), people.t1, carried, at),
        /#9 is closed/,
      );
    });

    it('merges into a resolved target', () => {
      expect(
        merge(duplicate(), resolvedTicket({ number: 9 }), people.t1, carried, at).duplicate.ticket.status,
      ).toBe('closed');
    });

    it('needs an agent who works both tickets: 403', () => {
      expect(() => merge(duplicate(), ticket({ number: 9, tier: 2 }), people.t1, carried, at)).toThrow(
        ForbiddenError,
      );
      expect(() => merge(duplicate(), target(), people.alice, carried, at)).toThrow(ForbiddenError);
    });
  });

  describe('Function: comment', () => {
    const reply = { body: 'Try this', public: true };
    const note = { body: 'Checking', public: false };

    it('counts a public agent reply as a response; the first one opens a new ticket', () => {
      const before = ticket({ status: 'new' });
      const result = comment(before, people.t1, reply, at);
      expect(result.ticket.status).toBe('open');
      expect(newFacts(before, result)).toEqual([{ type: 'agent_reply' }, { type: 'status', status: 'open' }]);
      expect(result.events.map((event) => event.type)).toEqual(['comment', 'updated']);
      expect(result.events[1]).toMatchObject({
        public: true,
        changes: [{ field: 'status', from: 'new', to: 'open' }],
      });
    });

    it('changes nothing but the timeline for an internal note', () => {
      const before = ticket({ status: 'new' });
      const result = comment(before, people.t1, note, at);
      expect(result.ticket.status).toBe('new');
      expect(newFacts(before, result)).toEqual([]);
      expect(result.events).toEqual([
        { type: 'comment', at: at.toISOString(), actor: 't1@example.com', public: false, body: 'Checking' },
      ]);
    });

    it.each(['alice', 'carol'] as const)('resumes a pending ticket when %s replies', (who) => {
      const before = ticket({ status: 'pending', pendingReason: 'Send the asset tag' });
      const result = comment(before, people[who], reply, at);
      expect(result.ticket.status).toBe('open');
      expect(result.ticket.pendingReason).toBeUndefined();
      expect(newFacts(before, result)).toEqual([
        { type: 'status', status: 'open' },
        { type: 'requester_message' },
      ]);
      expect(result.events.map((event) => [event.type, event.public])).toEqual([
        ['comment', true],
        ['resumed', true],
      ]);
    });

    it('reopens a resolved ticket when the requester replies within the window', () => {
      const result = comment(resolvedTicket(), people.alice, reply, new Date(Date.parse(resolvedAt) + DAY));
      expect(result.ticket.status).toBe('open');
      expect(result.events[1]).toMatchObject({ type: 'reopened', data: { trigger: 'requester_reply' } });
    });

    it('only records a watcher reply within the window: the requester and the desk reopen, watchers do not', () => {
      const before = resolvedTicket();
      const result = comment(before, people.carol, reply, new Date(Date.parse(resolvedAt) + DAY));
      expect(result.ticket.status).toBe('resolved');
      expect(newFacts(before, result)).toEqual([]);
      expect(result.events.map((event) => event.type)).toEqual(['comment']);
    });

    it('only records a requester reply after the window: no reopen, no waiting message', () => {
      const before = resolvedTicket();
      const result = comment(before, people.alice, reply, new Date(Date.parse(resolvedAt) + 8 * DAY));
      expect(result.ticket.status).toBe('resolved');
      expect(newFacts(before, result)).toEqual([]);
      expect(result.events.map((event) => event.type)).toEqual(['comment']);
    });

    it('starts the next-response clock for a requester message on an open ticket', () => {
      const before = ticket();
      expect(newFacts(before, comment(before, people.alice, reply, at))).toEqual([
        { type: 'requester_message' },
      ]);
    });

    it('treats an agent who filed their own ticket as its requester', () => {
      const own = ticket({ requester: 't1@example.com', status: 'pending' });
      expect(comment(own, people.t1, reply, at).ticket.status).toBe('open');
    });

    it('takes no public replies on a closed ticket (409), internal notes still', () => {
      conflict(
        () => comment(ticket({ status: 'closed' }), people.alice, reply, at),
        /closed.*open a new ticket/,
      );
      expect(comment(ticket({ status: 'closed' }), people.t1, note, at).events).toHaveLength(1);
    });
  });

  describe('Function: isWithinReopenWindow', () => {
    it('is true from the resolution until the window ends, for resolved tickets only', () => {
      const resolvedMs = Date.parse(resolvedAt);
      expect(isWithinReopenWindow(resolvedTicket(), new Date(resolvedMs))).toBe(true);
      expect(isWithinReopenWindow(resolvedTicket(), new Date(resolvedMs + 7 * DAY))).toBe(false);
      expect(isWithinReopenWindow(ticket({ status: 'closed', resolvedAt }), new Date(resolvedMs))).toBe(
        false,
      );
    });
  });

  describe('Function: priorityFacts', () => {
    it('records a priority change, and nothing when it stays', () => {
      const before = ticket();
      const after = priorityFacts(before, { ...before, priority: 'P1' }, at.toISOString());
      expect(after.clocks.facts.at(-1)).toEqual({ at: at.toISOString(), type: 'priority', priority: 'P1' });
      expect(priorityFacts(before, { ...before }, at.toISOString()).clocks.facts).toHaveLength(1);
    });
  });

  it('never changes the ticket it was given', () => {
    const before = ticket({ status: 'pending', pendingReason: 'x' });
    const snapshot = structuredClone(before);
    comment(before, people.alice, { body: 'here', public: true }, at);
    resolve(before, people.t1, { resolution: 'r' }, at);
    escalate(before, people.t1, { reason: 'r', summary: 's' }, at);
    expect(before).toEqual(snapshot);
  });
});
