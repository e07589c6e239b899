import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/domain/clock';
import {
  IdempotencyKeyReuseError,
  NotFoundError,
  ValidationError,
  VersionMismatchError,
} from '#shared/domain/errors';
import type { Ticket } from '#shared/domain/ticket';
import type { TicketDraft } from '#shared/store/ticket-store';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

const clock = fixedClock('2026-11-20T14:00:00.000Z');
let env: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  env = await freshTable(clock);
});
afterAll(() => env.drop());

/** Each draft a second after the previous one, so newest-first orders are unambiguous. */
const draft = (overrides: Partial<TicketDraft> = {}): TicketDraft => {
  clock.advance(1000);
  return ticketDraft(clock.now().toISOString(), overrides);
};

const comment = (body: string) => (current: Ticket) => ({
  ticket: { ...current, updatedAt: clock.now().toISOString() },
  events: [
    {
      type: 'comment' as const,
      at: clock.now().toISOString(),
      actor: 'alice@example.com',
      public: true,
      body,
    },
  ],
});

describe('Class: DynamoTicketStore', () => {
  describe('Method: createTicket', () => {
    it('numbers tickets sequentially and writes the created event with the ticket', async () => {
      const first = await env.store.createTicket(draft());
      const second = await env.store.createTicket(draft());
      expect(second.ticket.number).toBe(first.ticket.number + 1);
      expect(first.ticket.version).toBe(1);
      const timeline = await env.store.timeline(first.ticket.number, { limit: 10, includeInternal: true });
      expect(timeline.items).toEqual([
        {
          id: '0000000001#000',
          type: 'created',
          at: first.ticket.createdAt,
          actor: 'alice@example.com',
          public: true,
        },
      ]);
      expect(await env.store.getTicket(first.ticket.number)).toEqual(first.ticket);
    });

    it('replays the same ticket for the same idempotency key and fingerprint, also under a race', async () => {
      const claim = { key: 'retry-1', caller: 'alice@example.com', fingerprint: 'f1' };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => env.store.createTicket(draft(), claim)),
      );
      const numbers = new Set(results.map((result) => result.ticket.number));
      expect(numbers.size).toBe(1);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      await expect(env.store.createTicket(draft(), { ...claim, fingerprint: 'other' })).rejects.toThrow(
        IdempotencyKeyReuseError,
      );
    });

    it('scopes idempotency keys to the caller', async () => {
      const a = await env.store.createTicket(draft(), {
        key: 'k',
        caller: 'alice@example.com',
        fingerprint: 'f',
      });
      const b = await env.store.createTicket(draft({ requester: 'bob@example.com' }), {
        key: 'k',
        caller: 'bob@example.com',
        fingerprint: 'f',
      });
      expect(b.ticket.number).not.toBe(a.ticket.number);
    });
  });

  describe('Method: mutateTicket', () => {
    it('bumps the version and writes the events atomically', async () => {
      const { ticket } = await env.store.createTicket(draft());
      const result = await env.store.mutateTicket(ticket.number, comment('hello'));
      expect(result.ticket.version).toBe(2);
      expect(result.events).toEqual([expect.objectContaining({ id: '0000000002#000', body: 'hello' })]);
    });

    it('fails fast with VersionMismatchError on a stale expected version', async () => {
      const { ticket } = await env.store.createTicket(draft());
      await env.store.mutateTicket(ticket.number, comment('first'));
      await expect(
        env.store.mutateTicket(ticket.number, comment('stale'), { expectedVersion: 1 }),
      ).rejects.toMatchObject({ name: 'VersionMismatchError', expected: 1, actual: 2 });
      await expect(
        env.store.mutateTicket(ticket.number, comment('stale'), { expectedVersion: 1 }),
      ).rejects.toThrow(VersionMismatchError);
    });

    it('lets exactly one of two writers with the same expected version win', async () => {
      const { ticket } = await env.store.createTicket(draft());
      const outcomes = await Promise.allSettled([
        env.store.mutateTicket(ticket.number, comment('a'), { expectedVersion: 1 }),
        env.store.mutateTicket(ticket.number, comment('b'), { expectedVersion: 1 }),
      ]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((await env.store.getTicket(ticket.number))?.version).toBe(2);
    });

    it('retries lost races without an expected version: 50 concurrent comments all land', async () => {
      const { ticket } = await env.store.createTicket(draft());
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => env.store.mutateTicket(ticket.number, comment(`c${i}`))),
      );
      const after = await env.store.getTicket(ticket.number);
      const timeline = await env.store.timeline(ticket.number, { limit: 100, includeInternal: true });
      expect(after?.version).toBe(51);
      expect(
        timeline.items
          .filter((event) => event.type === 'comment')
          .map((event) => event.body)
          .sort(),
      ).toEqual(Array.from({ length: 50 }, (_, i) => `c${i}`).sort());
    });

    it('is NotFound for a ticket that does not exist', async () => {
      await expect(env.store.mutateTicket(999_999, comment('x'))).rejects.toThrow(NotFoundError);
    });
  });

  describe('Method: timeline', () => {
    it('pages oldest first and hides internal notes when asked, keeping pages full', async () => {
      const { ticket } = await env.store.createTicket(draft());
      for (let i = 0; i < 6; i++) {
        await env.store.mutateTicket(ticket.number, (current) => ({
          ticket: current,
          events: [
            {
              type: 'comment',
              at: clock.now().toISOString(),
              actor: 't1@example.com',
              public: i % 2 === 0,
              body: `n${i}`,
            },
          ],
        }));
      }
      const first = await env.store.timeline(ticket.number, { limit: 2, includeInternal: false });
      const second = await env.store.timeline(ticket.number, {
        limit: 2,
        cursor: first.nextCursor,
        includeInternal: false,
      });
      expect(first.items.map((event) => (event.type === 'created' ? 'created' : event.body))).toEqual([
        'created',
        'n0',
      ]);
      expect(second.items.map((event) => event.body)).toEqual(['n2', 'n4']);
      const all = await env.store.timeline(ticket.number, { limit: 100, includeInternal: true });
      expect(all.items).toHaveLength(7);
      expect(all.nextCursor).toBeUndefined();
    });

    it('refuses a cursor from another ticket', async () => {
      const a = await env.store.createTicket(draft());
      const b = await env.store.createTicket(draft());
      await env.store.mutateTicket(a.ticket.number, comment('x'));
      const page = await env.store.timeline(a.ticket.number, { limit: 1, includeInternal: true });
      await expect(
        env.store.timeline(b.ticket.number, { limit: 1, cursor: page.nextCursor, includeInternal: true }),
      ).rejects.toThrow(ValidationError);
    });
  });

  describe('Methods: list views', () => {
    it("lists a person's requested and watched tickets newest first, across pages", async () => {
      const person = 'dana@example.com';
      const own1 = await env.store.createTicket(draft({ requester: person }));
      const watched = await env.store.createTicket(
        draft({ requester: 'erin@example.com', watchers: [person] }),
      );
      const own2 = await env.store.createTicket(draft({ requester: person }));
      const first = await env.store.ticketsOfPerson(person, { limit: 2 });
      const second = await env.store.ticketsOfPerson(person, { limit: 2, cursor: first.nextCursor });
      expect([...first.items, ...second.items].map((t) => t.number)).toEqual([
        own2.ticket.number,
        watched.ticket.number,
        own1.ticket.number,
      ]);
      expect(second.nextCursor).toBeUndefined();
    });

    it('drops a watcher link when the watcher is removed', async () => {
      const { ticket } = await env.store.createTicket(
        draft({ requester: 'fay@example.com', watchers: ['gus@example.com'] }),
      );
      await env.store.mutateTicket(ticket.number, (current) => ({
        ticket: { ...current, watchers: [] },
        events: [],
      }));
      expect((await env.store.ticketsOfPerson('gus@example.com', { limit: 10 })).items).toEqual([]);
    });

    it('serves tier queues by status and drops resolved tickets from them (sparse)', async () => {
      const open = await env.store.createTicket(draft({ tier: 3, group: 'tier3', status: 'open' }));
      const fresh = await env.store.createTicket(draft({ tier: 3, group: 'tier3' }));
      const done = await env.store.createTicket(draft({ tier: 3, group: 'tier3', status: 'open' }));
      await env.store.mutateTicket(done.ticket.number, (current) => ({
        ticket: { ...current, status: 'resolved' },
        events: [],
      }));
      const all = await env.store.tierQueue(3, undefined, { limit: 10 });
      const onlyOpen = await env.store.tierQueue(3, 'open', { limit: 10 });
      expect(all.items.map((t) => t.number)).toEqual([open.ticket.number, fresh.ticket.number]);
      expect(onlyOpen.items.map((t) => t.number)).toEqual([open.ticket.number]);
    });

    it('orders a queue by next due time', async () => {
      const later = await env.store.createTicket(
        draft({ tier: 2, group: 'tier2', dueAt: '2026-11-25T10:00:00.000Z' }),
      );
      const sooner = await env.store.createTicket(
        draft({ tier: 2, group: 'tier2', dueAt: '2026-11-21T10:00:00.000Z' }),
      );
      const none = await env.store.createTicket(draft({ tier: 2, group: 'tier2' }));
      const queue = await env.store.tierQueue(2, 'new', { limit: 10 });
      expect(queue.items.map((t) => t.number)).toEqual([
        sooner.ticket.number,
        later.ticket.number,
        none.ticket.number,
      ]);
    });

    it('lists unresolved tickets assigned to an agent', async () => {
      const { ticket } = await env.store.createTicket(draft({ assignee: 'tom@example.com' }));
      await env.store.createTicket(draft({ assignee: 'other@example.com' }));
      const page = await env.store.assignedTo('tom@example.com', { limit: 10 });
      expect(page.items.map((t) => t.number)).toEqual([ticket.number]);
    });
  });

  describe('Methods: directory', () => {
    it('stores and reads a directory user', async () => {
      const user = {
        email: 'tom@example.com',
        name: 'Tom',
        role: 'agent' as const,
        tiers: [1 as const],
        updatedAt: clock.now().toISOString(),
      };
      await env.store.putUser(user);
      expect(await env.store.getUser('tom@example.com')).toEqual(user);
      expect(await env.store.getUser('nobody@example.com')).toBeUndefined();
    });
  });
});
