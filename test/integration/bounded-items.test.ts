import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { localClientConfig, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { fixedClock } from '#shared/domain/clock';
import { clockBasis, clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import { comment } from '#shared/domain/lifecycle';
import type { ServicePolicy } from '#shared/domain/service-levels';
import { slaSummary } from '#shared/domain/sla-summary';
import type { Ticket } from '#shared/domain/ticket';
import { documentClient } from '#shared/store/client';
import { TICKET_ENTITY } from '#shared/store/entities';
import { ticketIndexKeys, ticketKey } from '#shared/store/keys';
import { PutCommand } from '#shared/store/sdk';
import { createTableInput } from '#shared/store/table';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { addComment } from '#shared/tickets/ticket-service';
import type { TicketStore } from '#shared/tickets/ticket-store';
import {
  AGENT,
  REQUESTER,
  recordWriteCapacity,
  seedTicket,
  storedBytes,
  timedComment,
} from '#test/bench/item-growth';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

const clock = fixedClock('2026-11-20T14:00:00.000Z');
/** Interleaved rounds of one comment on each ticket, per batch. */
const ROUNDS = 21;
let env: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  env = await freshTable(clock);
});
afterAll(() => env.drop());

/** The clocks as a reader computes them from the stored ticket, and from its whole history. */
const clocksBothWays = async (
  number: number,
  store: Pick<TicketStore, 'getTicket' | 'ticketWithHistory'> = env.store,
) => {
  const stored = await store.getTicket(number);
  const history = await store.ticketWithHistory(number);
  if (!stored?.clocks.policy || !history?.clocks.policy) throw new Error(`no triaged ticket #${number}`);
  const now = clock.now();
  const view = (ticket: Ticket) =>
    evaluateClocks({ ...clockInputOf(ticket.clocks), policy: ticket.clocks.policy as ServicePolicy, now });
  const [fromItem, fromHistory] = [view(stored), view(history)];
  return { stored, history, fromItem, fromHistory };
};

const sameClocks = ({
  fromItem,
  fromHistory,
  stored,
  history,
}: Awaited<ReturnType<typeof clocksBothWays>>) => {
  expect(fromItem.events).toEqual(fromHistory.events);
  expect(fromItem.due).toEqual(fromHistory.due);
  expect(fromItem.next).toEqual(fromHistory.next);
  expect(fromItem.dueAt).toEqual(fromHistory.dueAt);
  expect(slaSummary(stored, clock.now())).toEqual(slaSummary(history, clock.now()));
};

describe('Acceptance: bounded ticket items', () => {
  it('writes a comment on a ticket with 10,000 comments with the write units of a young one (±1), in at most 1.2× the time', async () => {
    // A DynamoDB Local of its own: seeding 20,000 items must not slow the other test files' table.
    const dynamo = await startDynamoDbLocal();
    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    const tableName = 'tierdesk-bounded-items';
    onTestFinished(async () => {
      client.destroy();
      await dynamo.stop();
    });
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    const db = documentClient(client);
    const capacity = recordWriteCapacity(db);
    const store = new DynamoTicketStore(db, tableName, clock);
    const deps = { ...env.tickets, store };
    const young = await seedTicket(db, tableName, clock, 900_001, 10);
    const old = await seedTicket(db, tableName, clock, 900_002, 10_000);
    expect(old.bytes - young.bytes).toBeLessThanOrEqual(64);

    const commentOn = (number: number) => {
      clock.advance(1000);
      return timedComment(deps, capacity, number);
    };
    for (let round = 0; round < 3; round++) for (const { number } of [young, old]) await commentOn(number);
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    // Interleaved rounds, medians. The machine is shared: a batch disturbed by other work is
    // measured again (at most three batches); a ticket whose comments really cost more with its
    // history misses in every one.
    const ratios: number[] = [];
    let comments = 0;
    for (let batch = 0; batch < 3 && !ratios.some((ratio) => ratio <= 1.2); batch++) {
      const times = { young: [] as number[], old: [] as number[] };
      const units = { young: [] as number[], old: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 ? (['old', 'young'] as const) : (['young', 'old'] as const);
        for (const which of order) {
          const { ms, capacity: used } = await commentOn(which === 'young' ? young.number : old.number);
          times[which].push(ms);
          units[which].push(used.total);
        }
      }
      comments += ROUNDS;
      for (const used of units.old)
        expect(Math.abs(used - (units.young[0] as number))).toBeLessThanOrEqual(1);
      expect(new Set(units.young).size).toBe(1);
      ratios.push(median(times.old) / median(times.young));
    }
    expect(
      Math.min(...ratios),
      `median ratios ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}`,
    ).toBeLessThanOrEqual(1.2);
    expect(
      (await storedBytes(db, tableName, old.number)) - (await storedBytes(db, tableName, young.number)),
    ).toBeLessThanOrEqual(64);

    // The whole history is still there: one fact per comment, and the same clocks from it.
    const both = await clocksBothWays(old.number, store);
    expect(both.history.clocks.facts).toHaveLength(1 + 10_000 + 1 + 3 + comments);
    expect(both.stored.clocks.facts).toHaveLength(1);
    sameClocks(both);
  }, 240_000);

  it('reads a ticket stored with every fact on its item, and moves its history to an item on its next change', async () => {
    const number = 900_010;
    const createdAt = new Date(clock.now().getTime() - 3_600_000).toISOString();
    // As tickets were stored before fact items: every fact on the item, no checkpoint.
    const draft = ticketDraft(createdAt, {
      subject: 'VPN drops',
      description: 'The VPN drops every ten minutes.',
      requester: REQUESTER.id,
      createdBy: REQUESTER.id,
    });
    let ticket: Ticket = {
      ...draft,
      number,
      version: 2,
      clocks: { ...draft.clocks, policy: DEMO_STANDARD_POLICY },
    };
    for (let n = 0; n < 6; n++) {
      const at = new Date(Date.parse(createdAt) + (n + 1) * 60_000);
      ticket = { ...comment(ticket, n % 2 ? AGENT : REQUESTER, { body: `#${n}`, public: true }, at).ticket };
      ticket.version += 1;
    }
    await env.db.send(
      new PutCommand({
        TableName: env.tableName,
        Item: { ...ticketKey(number), ...ticketIndexKeys(ticket), entity: TICKET_ENTITY.ticket, ...ticket },
      }),
    );
    const legacy = await clocksBothWays(number);
    // `created`, six comments, the first reply's status change.
    expect(legacy.stored.clocks.facts).toHaveLength(8);
    expect(legacy.history.clocks.facts).toEqual(legacy.stored.clocks.facts);
    sameClocks(legacy);
    const expected = evaluateClocks({
      facts: ticket.clocks.facts,
      applied: [],
      policy: DEMO_STANDARD_POLICY,
      now: clock.now(),
    });
    expect(legacy.fromItem.events).toEqual(expected.events);

    clock.advance(1000);
    await addComment(env.tickets, REQUESTER, number, { body: 'Still dropping.', public: true });
    const moved = await clocksBothWays(number);
    expect(moved.stored.version).toBe(ticket.version + 1);
    expect(moved.stored.clocks.checkpoint).toBeDefined();
    expect(moved.stored.clocks.facts.map((fact) => fact.type)).toEqual(['requester_message']);
    expect(moved.history.clocks.facts).toEqual([...ticket.clocks.facts, ...moved.stored.clocks.facts]);
    sameClocks(moved);
  });

  it('keeps the applied keys of finished clocks with the history, not on the ticket', async () => {
    const { number } = await seedTicket(env.db, env.tableName, clock, 900_030, 10);
    clock.advance(1000);
    // The first next-response clock ended long ago; a warning of it recorded late, say.
    const { ticket } = await env.store.mutateTicket(number, (current) => ({
      ticket: {
        ...current,
        clocks: { ...current.clocks, applied: [...current.clocks.applied, 'next_response#0.warning'] },
      },
      events: [],
    }));
    expect(ticket.clocks.applied).toEqual([]);
    const both = await clocksBothWays(number);
    expect(both.stored.clocks.applied).toEqual([]);
    expect(both.history.clocks.applied).toEqual(['next_response#0.warning']);
    sameClocks(both);
  });

  it('computes the clocks again from the whole history when the policy changes', async () => {
    const { number } = await seedTicket(env.db, env.tableName, clock, 900_020, 40);
    const changed: ServicePolicy = { ...DEMO_STANDARD_POLICY, warnAt: 0.5, version: 2 };
    clock.advance(1000);
    const { ticket } = await env.store.mutateTicket(number, (current) => ({
      ticket: { ...current, clocks: { ...current.clocks, policy: changed } },
      events: [],
    }));
    expect(ticket.clocks.checkpoint?.basis).toBe(clockBasis(changed, undefined));
    const both = await clocksBothWays(number);
    expect(both.stored.clocks.policy).toEqual(changed);
    sameClocks(both);
    // The warnings moved to half the targets.
    const warning = both.fromItem.events.find((event) => event.kind === 'warning');
    const before = evaluateClocks({
      ...clockInputOf(both.history.clocks),
      policy: DEMO_STANDARD_POLICY,
      now: clock.now(),
    }).events.find((event) => event.key === warning?.key);
    expect(warning && before && Date.parse(warning.at) < Date.parse(before.at)).toBe(true);
  });
});
