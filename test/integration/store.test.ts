import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/domain/clock';
import {
  ContentionError,
  IdempotencyKeyReuseError,
  NotFoundError,
  ValidationError,
  VersionMismatchError,
} from '#shared/domain/errors';
import type { Ticket } from '#shared/domain/ticket';
import type { NewTimelineEvent } from '#shared/domain/timeline';
import { documentClient } from '#shared/store/client';
import { encodeCursor } from '#shared/store/cursor';
import { PAGE_READS } from '#shared/store/query-page';
import { GetCommand, QueryCommand, TransactWriteCommand } from '#shared/store/sdk';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import type { CreateResult, TicketDraft } from '#shared/tickets/ticket-store';
import { ticketDraft } from '#test/support/fixtures';
import { spyThrough } from '#test/support/spy-through';
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

const note = (body: string, visible = false): NewTimelineEvent => ({
  type: 'comment',
  at: clock.now().toISOString(),
  actor: 't1@example.com',
  public: visible,
  body,
});

/** How DynamoDB cancels a transaction: one reason per item, in order. */
const cancelled = (items: unknown[], last: 'TransactionConflict' | 'ConditionalCheckFailed') =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${last}]`,
    $metadata: {},
    CancellationReasons: items.map((_, position) =>
      position === items.length - 1 ? { Code: last } : { Code: 'None' },
    ),
  });

/** A store on its own document client, every call recorded and passed through to DynamoDB Local. */
const spiedStore = (intercept: Parameters<typeof spyThrough>[1] = [], options = {}) => {
  const db = documentClient(env.client);
  const spy = spyThrough(db, intercept);
  return { ...spy, store: new DynamoTicketStore(db, env.tableName, clock, options) };
};

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

    it('answers as the winner when a request with the same key is committing (TransactionConflict)', async () => {
      // Prepare: this request's write collides with a concurrent one for the same key, which lands.
      const claim = { key: 'conflict-1', caller: 'alice@example.com', fingerprint: 'f' };
      const { mock, passThrough, store } = spiedStore([TransactWriteCommand]);
      let winner: CreateResult | undefined;
      mock
        .on(TransactWriteCommand)
        .callsFakeOnce(async (input) => {
          winner = await env.store.createTicket(draft(), claim);
          throw cancelled(input.TransactItems, 'TransactionConflict');
        })
        .callsFake(passThrough(TransactWriteCommand));
      try {
        // Act
        const result = await store.createTicket(draft(), claim);
        // Assess
        expect(result).toEqual({ ticket: winner?.ticket, replayed: true });
      } finally {
        mock.restore();
      }
    });

    it('writes again when the conflicting request did not land (TransactionConflict, no record)', async () => {
      const claim = { key: 'conflict-2', caller: 'alice@example.com', fingerprint: 'f' };
      const { mock, passThrough, store } = spiedStore([TransactWriteCommand]);
      mock
        .on(TransactWriteCommand)
        .callsFakeOnce((input) => Promise.reject(cancelled(input.TransactItems, 'TransactionConflict')))
        .callsFake(passThrough(TransactWriteCommand));
      try {
        const result = await store.createTicket(draft(), claim);
        expect(result.replayed).toBe(false);
        expect(await env.store.createTicket(draft(), claim)).toEqual({
          ticket: result.ticket,
          replayed: true,
        });
      } finally {
        mock.restore();
      }
    });

    it('forgets an Idempotency-Key after 24 hours, even before TTL deletes its record', async () => {
      // Prepare: a store on its own clock, so moving a day does not move the other tests.
      const day = fixedClock('2026-12-01T09:00:00.000Z');
      const store = new DynamoTicketStore(env.db, env.tableName, day);
      const claim = { key: 'daily-report', caller: 'alice@example.com', fingerprint: 'monday' };
      const create = (fingerprint: string) =>
        store.createTicket(ticketDraft(day.now().toISOString()), { ...claim, fingerprint });
      const first = await create('monday');
      // Act + Assess: a second before the day is over it still replays…
      day.advance(24 * 60 * 60 * 1000 - 1000);
      expect(await create('monday')).toEqual({ ticket: first.ticket, replayed: true });
      // …and past it the key is free again, for any body, and claims the new ticket.
      day.advance(2000);
      const next = await create('tuesday');
      expect(next.replayed).toBe(false);
      expect(next.ticket.number).not.toBe(first.ticket.number);
      expect(await create('tuesday')).toEqual({ ticket: next.ticket, replayed: true });
    });
  });

  describe('Method: createTicket, numbering', () => {
    it('numbers concurrent creates of many containers uniquely, rising in commit order, none lost', async () => {
      // Prepare: four containers (stores), each with a warm number, creating at the same time.
      const containers = Array.from({ length: 4 }, () => new DynamoTicketStore(env.db, env.tableName, clock));
      await Promise.all(containers.map((store) => store.createTicket(draft())));
      // Act: 60 creates, 15 at once per container, each timed from its call to its answer.
      const created = await Promise.all(
        containers.flatMap((store) =>
          Array.from({ length: 15 }, async () => {
            const started = performance.now();
            const { ticket } = await store.createTicket(draft());
            return { number: ticket.number, started, answered: performance.now() };
          }),
        ),
      );
      // Assess: unique numbers, every ticket stored, and a create that began after another was
      // answered (so after it committed) has the higher number.
      const numbers = created.map(({ number }) => number);
      expect(new Set(numbers).size).toBe(60);
      const stored = await Promise.all(numbers.map((number) => env.store.getTicket(number)));
      expect(stored.every((ticket) => ticket !== undefined)).toBe(true);
      for (const earlier of created) {
        for (const later of created) {
          if (earlier.answered < later.started) expect(later.number).toBeGreaterThan(earlier.number);
        }
      }
    });

    it('numbers with one call per create in a warm container, reading the counter once when cold', async () => {
      // Prepare: a cold container, after others numbered tickets.
      const latest = (await env.store.createTicket(draft())).ticket.number;
      const { mock, store } = spiedStore();
      try {
        // Act + Assess: cold, it reads the counter once and takes the next number…
        const first = await store.createTicket(draft());
        expect(first.ticket.number).toBe(latest + 1);
        expect(mock.commandCalls(GetCommand)).toHaveLength(1);
        expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
        // …and warm, a create is one transaction, with or without an Idempotency-Key.
        mock.resetHistory();
        const second = await store.createTicket(draft(), {
          key: 'warm',
          caller: 'a@example.com',
          fingerprint: 'f',
        });
        expect(second.ticket.number).toBe(latest + 2);
        expect(mock.calls()).toHaveLength(1);
        expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
      } finally {
        mock.restore();
      }
    });

    it('learns the counter from a refused transaction when another container numbered tickets meanwhile', async () => {
      // Prepare: this container is warm; another one then creates three tickets.
      const { mock, store } = spiedStore();
      const other = new DynamoTicketStore(env.db, env.tableName, clock);
      try {
        await store.createTicket(draft());
        let last = 0;
        for (let i = 0; i < 3; i++) last = (await other.createTicket(draft())).ticket.number;
        mock.resetHistory();
        // Act
        const { ticket } = await store.createTicket(draft());
        // Assess: the refused transaction carried the counter; no read, the next number at once.
        expect(ticket.number).toBe(last + 1);
        expect(mock.commandCalls(GetCommand)).toHaveLength(0);
        expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
        expect(await env.store.getTicket(ticket.number)).toEqual(ticket);
      } finally {
        mock.restore();
      }
    });

    it('answers a replayed Idempotency-Key from the refused transaction, with no number used', async () => {
      const claim = { key: 'replay-from-cancel', caller: 'alice@example.com', fingerprint: 'f' };
      const { mock, store } = spiedStore();
      try {
        const first = await store.createTicket(draft(), claim);
        mock.resetHistory();
        const again = await store.createTicket(draft(), claim);
        expect(again).toEqual({ ticket: first.ticket, replayed: true });
        // The record came back with the cancellation: only the ticket is read.
        expect(mock.commandCalls(GetCommand)).toHaveLength(1);
        expect(mock.commandCalls(GetCommand)[0]?.args[0].input.Key?.sk).toBe('TICKET');
        // The counter did not move: the next ticket follows the first.
        expect((await store.createTicket(draft())).ticket.number).toBe(first.ticket.number + 1);
      } finally {
        mock.restore();
      }
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
      // DynamoDB Local runs one transaction at a time, ~25-40 ms each (50 uncontended comments
      // take ~2 s), so 50 writers racing on one ticket need ~10 s there, several times that on a
      // loaded machine: more than the Lambda-safe retry budget, which the ContentionError test
      // below covers. This one is about convergence: every comment lands exactly once, however
      // long DynamoDB Local takes, so the budget is generous.
      const { ticket } = await env.store.createTicket(draft());
      const patient = new DynamoTicketStore(env.db, env.tableName, clock, { retryBudgetMs: 80_000 });
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => patient.mutateTicket(ticket.number, comment(`c${i}`))),
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
    }, 120_000);

    it('makes a change once per idempotency key, also under a race, and answers a replay with its events', async () => {
      // Prepare
      const { ticket } = await env.store.createTicket(draft());
      const patient = new DynamoTicketStore(env.db, env.tableName, clock, { retryBudgetMs: 25_000 });

      // Act: five calls with one key race, then one more comes late
      const raced = await Promise.all(
        Array.from({ length: 5 }, () =>
          patient.mutateTicket(ticket.number, comment('once'), { idempotencyKey: 'mail:a' }),
        ),
      );
      const late = await env.store.mutateTicket(ticket.number, comment('again'), {
        idempotencyKey: 'mail:a',
      });
      const other = await env.store.mutateTicket(ticket.number, comment('other'), {
        idempotencyKey: 'mail:b',
      });

      // Assess
      const timeline = await env.store.timeline(ticket.number, { limit: 100, includeInternal: true });
      expect(timeline.items.filter((event) => event.type === 'comment').map((event) => event.body)).toEqual([
        'once',
        'other',
      ]);
      const first = raced.find((result) => !result.replayed);
      expect(raced.filter((result) => result.replayed)).toHaveLength(4);
      expect(late).toMatchObject({ replayed: true, events: first?.events });
      expect(late.events).toEqual([expect.objectContaining({ id: '0000000002#000', body: 'once' })]);
      expect(other.replayed).toBeUndefined();
      expect((await env.store.getTicket(ticket.number))?.version).toBe(3);
    });

    it('forgets the idempotency key of a change after 30 days, even before TTL deletes it', async () => {
      // Prepare: a store on its own clock, so moving a month does not move the other tests.
      const month = fixedClock('2026-12-01T09:00:00.000Z');
      const store = new DynamoTicketStore(env.db, env.tableName, month);
      const { ticket } = await store.createTicket(ticketDraft(month.now().toISOString()));
      await store.mutateTicket(ticket.number, comment('first'), { idempotencyKey: 'mail:c' });
      // Act + Assess: a second before the 30 days are over it still replays…
      month.advance(30 * 24 * 60 * 60 * 1000 - 1000);
      const replayed = await store.mutateTicket(ticket.number, comment('x'), { idempotencyKey: 'mail:c' });
      expect(replayed).toMatchObject({ replayed: true, events: [{ body: 'first' }] });
      // …and past them the key is free again.
      month.advance(2000);
      const later = await store.mutateTicket(ticket.number, comment('later'), { idempotencyKey: 'mail:c' });
      expect(later.replayed).toBeUndefined();
      expect(later.events).toEqual([expect.objectContaining({ body: 'later' })]);
    });

    it('is NotFound for a ticket that does not exist', async () => {
      await expect(env.store.mutateTicket(999_999, comment('x'))).rejects.toThrow(NotFoundError);
    });

    it('stops retrying a lost race after its time budget: ContentionError, not a Lambda timeout', async () => {
      // Prepare: every write loses its race.
      const { ticket } = await env.store.createTicket(draft());
      const { mock, store } = spiedStore([TransactWriteCommand], { retryBudgetMs: 300 });
      mock
        .on(TransactWriteCommand)
        .callsFake((input) => Promise.reject(cancelled(input.TransactItems, 'ConditionalCheckFailed')));
      try {
        // Act
        const started = performance.now();
        const outcome = store.mutateTicket(ticket.number, comment('x'));
        // Assess
        await expect(outcome).rejects.toThrow(ContentionError);
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(mock.commandCalls(TransactWriteCommand).length).toBeGreaterThan(1);
      } finally {
        mock.restore();
      }
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

    it('ends on a full last page without a cursor (no empty page after it)', async () => {
      const { ticket } = await env.store.createTicket(draft());
      await env.store.mutateTicket(ticket.number, comment('only reply'));
      const page = await env.store.timeline(ticket.number, { limit: 2, includeInternal: true });
      expect(page.items).toHaveLength(2);
      expect(page.nextCursor).toBeUndefined();
    });

    it('reads a bounded number of DynamoDB pages per page, however many internal notes hide', async () => {
      // Prepare: a public comment behind 400 internal notes.
      const { ticket } = await env.store.createTicket(draft());
      for (let batch = 0; batch < 5; batch++) {
        await env.store.mutateTicket(ticket.number, (current) => ({
          ticket: current,
          events: Array.from({ length: 80 }, (_, i) => note(`internal ${batch}.${i}`)),
        }));
      }
      await env.store.mutateTicket(ticket.number, (current) => ({
        ticket: current,
        events: [note('public reply', true)],
      }));
      const { mock, store } = spiedStore();
      try {
        // Act: a requester walks the whole timeline.
        const seen: string[] = [];
        const queriesPerPage: number[] = [];
        let cursor: string | undefined;
        do {
          mock.resetHistory();
          const page = await store.timeline(ticket.number, { limit: 10, cursor, includeInternal: false });
          queriesPerPage.push(mock.commandCalls(QueryCommand).length);
          seen.push(...page.items.map((event) => event.body ?? event.type));
          cursor = page.nextCursor;
        } while (cursor && queriesPerPage.length < 50);
        // Assess: every page stayed inside the budget, and nothing public was skipped.
        expect(seen).toEqual(['created', 'public reply']);
        expect(Math.max(...queriesPerPage)).toBeLessThanOrEqual(PAGE_READS.queries);
        expect(queriesPerPage.length).toBeLessThanOrEqual(2);
      } finally {
        mock.restore();
      }
    });

    it('answers a cursor DynamoDB still refuses with a 400 on query.cursor, not a 500', async () => {
      // Prepare: DynamoDB rejects the start key, whatever the reason.
      const { ticket } = await env.store.createTicket(draft());
      const { mock, passThrough, store } = spiedStore([QueryCommand]);
      mock.on(QueryCommand).callsFake((input) =>
        input.ExclusiveStartKey
          ? Promise.reject(
              Object.assign(new Error('The provided starting key is invalid'), {
                name: 'ValidationException',
              }),
            )
          : passThrough(QueryCommand)(input),
      );
      try {
        // Act
        const outcome = store.timeline(ticket.number, {
          limit: 10,
          cursor: encodeCursor(`TICKET#${String(ticket.number).padStart(10, '0')}`, { version: 1, index: 0 }),
          includeInternal: true,
        });
        // Assess
        await expect(outcome).rejects.toMatchObject({
          name: 'ValidationError',
          issues: [{ field: 'query.cursor', message: expect.any(String) }],
        });
      } finally {
        mock.restore();
      }
    });

    it('reads a page with its ticket in one Query when the page reaches the end, walking like timeline()', async () => {
      // Prepare: events, internal notes, a change key and a presence item under the ticket.
      const { ticket } = await env.store.createTicket(draft());
      for (let i = 0; i < 4; i++) {
        await env.store.mutateTicket(
          ticket.number,
          (current) => ({
            ticket: current,
            events: [note(`n${i}`, i % 2 === 0)],
          }),
          i === 0 ? { idempotencyKey: 'mail-1' } : {},
        );
      }
      await env.store.putPresence(ticket.number, {
        email: 't1@example.com',
        state: 'viewing',
        since: clock.now().toISOString(),
        expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
      });
      const current = await env.store.getTicket(ticket.number);
      const { mock, store } = spiedStore();
      try {
        for (const includeInternal of [true, false]) {
          // Act + Assess: one page for all, one Query.
          mock.resetHistory();
          const whole = await store.timelineWithTicket(ticket.number, { limit: 100, includeInternal });
          expect(mock.calls()).toHaveLength(1);
          expect(whole.ticket).toEqual(current);
          expect(whole.page).toEqual(
            await env.store.timeline(ticket.number, { limit: 100, includeInternal }),
          );
          // Page by page: the same events; the ticket read on its own until the last page.
          const walked = [];
          const calls = [];
          let cursor: string | undefined;
          do {
            mock.resetHistory();
            const read = await store.timelineWithTicket(ticket.number, { limit: 2, cursor, includeInternal });
            calls.push(mock.calls().length);
            expect(read.ticket).toEqual(current);
            walked.push(...read.page.items);
            cursor = read.page.nextCursor;
          } while (cursor);
          expect(walked).toEqual(whole.page.items);
          expect(calls.at(-1)).toBe(1);
        }
        // No such ticket: one Query, and no ticket.
        mock.resetHistory();
        expect(await store.timelineWithTicket(99_999, { limit: 10, includeInternal: true })).toEqual({
          ticket: undefined,
          page: { items: [], nextCursor: undefined },
        });
        expect(mock.calls()).toHaveLength(1);
      } finally {
        mock.restore();
      }
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
      const onlyOpen = await env.store.tierQueue(3, { status: 'open' }, { limit: 10 });
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
      const queue = await env.store.tierQueue(2, { status: 'new' }, { limit: 10 });
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
      await env.directory.putUser(user);
      expect(await env.directory.getUser('tom@example.com')).toMatchObject(user);
      expect(await env.directory.getUser('nobody@example.com')).toBeUndefined();
    });
  });
});
