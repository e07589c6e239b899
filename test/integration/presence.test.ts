import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { STREAM_FILTER_PATTERNS } from '#infra/constructs/events';
import type { DevIdentity } from '#infra/local/dev-key';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { processChanges } from '#shared/changes/process-changes';
import { fixedClock } from '#shared/domain/clock';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { mailConfig } from '#shared/email/config';
import { SEND_MAIL_FILTER } from '#shared/email/outbound/filter';
import { loadTemplates } from '#shared/email/outbound/render';
import { sendMailForRecords } from '#shared/email/outbound/stream';
import { presenceKey } from '#shared/store/keys';
import { GetCommand } from '#shared/store/sdk';
import { type ApiCall, apiFor } from '#test/support/api';
import { matchesFilter } from '#test/support/event-filter';
import { freshTable } from '#test/support/table';

/**
 * Collision detection over the API, on DynamoDB Local with a clock that stands still until moved:
 * who of the desk is on a ticket, expiry decided on read (TTL deletes late), the ticket's version
 * in the same answer, the desk's business only; and presence writes wake nothing on the stream.
 */

const alice: DevIdentity = { email: 'alice@example.com', role: 'requester' };
const walt: DevIdentity = { email: 'walt@example.com', role: 'requester' };
const tina: DevIdentity = { email: 'tina@example.com', role: 'agent', tiers: [1] };
const tom: DevIdentity = { email: 'tom@example.com', role: 'agent', tiers: [1] };
const sam: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };

const clock = fixedClock('2026-11-20T14:00:00.000Z');
let env: Awaited<ReturnType<typeof freshTable>>;
let api: (call: ApiCall) => ReturnType<ReturnType<typeof apiFor>>;
let poller: StreamPoller;
const delivered: DynamoDBRecord[] = [];

beforeAll(async () => {
  env = await freshTable(clock);
  api = apiFor(env.tickets, env.tableName, env.endpoint);
  // The first call as Tina writes her directory entry as the tests do; then she gets her name.
  await api({ method: 'GET', url: '/me', as: tina });
  await env.directory.putUser({
    email: tina.email,
    name: 'Tina Agent',
    role: 'agent',
    tiers: [1],
    updatedAt: '2026-11-01T00:00:00.000Z',
  });
  poller = await startStreamPoller({
    endpoint: env.endpoint,
    tableName: env.tableName,
    intervalMs: 20,
    from: 'latest',
    handler: async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
});
afterAll(async () => {
  await poller?.stop();
  await env?.drop();
});

const open = async (): Promise<number> => {
  const { status, json } = await api({
    method: 'POST',
    url: '/tickets',
    as: alice,
    body: { subject: 'Printer offline', description: 'Floor 3.', watchers: [walt.email] },
  });
  expect(status).toBe(201);
  return json.number;
};
const presence = (number: number, as: DevIdentity, method = 'GET', state?: string) =>
  api({ method, url: `/tickets/${number}/presence`, as, ...(state && { body: { state } }) });

describe('Handlers: presence (collision detection)', () => {
  it('PUT announces the caller and answers with everyone on the ticket and its version', async () => {
    const number = await open();

    const first = await presence(number, tina, 'PUT', 'viewing');
    clock.advance(5_000);
    const second = await presence(number, tom, 'PUT', 'replying');

    expect(first.status).toBe(200);
    expect(first.json).toEqual({
      ticketVersion: 1,
      items: [
        {
          email: tina.email,
          name: 'Tina Agent',
          state: 'viewing',
          since: '2026-11-20T14:00:00.000Z',
          expiresAt: '2026-11-20T14:00:45.000Z',
        },
      ],
    });
    expect(
      second.json.items.map((item: { email: string; state: string }) => [item.email, item.state]),
    ).toEqual([
      [tina.email, 'viewing'],
      [tom.email, 'replying'],
    ]);
    const seen = await presence(number, tina);
    expect(seen.status).toBe(200);
    expect(seen.json).toEqual(second.json);
  });

  it('keeps `since` while the state stays, restarts it when the state changes', async () => {
    const number = await open();
    await presence(number, tina, 'PUT', 'viewing');
    const started = clock.now().toISOString();

    clock.advance(15_000);
    const heartbeat = await presence(number, tina, 'PUT', 'viewing');
    clock.advance(15_000);
    const replying = await presence(number, tina, 'PUT', 'replying');

    const renewed = new Date(clock.now().getTime() - 15_000 + 45_000).toISOString();
    expect(heartbeat.json.items[0]).toMatchObject({ since: started, expiresAt: renewed });
    expect(replying.json.items[0]).toMatchObject({ state: 'replying', since: clock.now().toISOString() });
  });

  it('leaves out an entry 45 s after its last heartbeat, though TTL has not deleted it yet', async () => {
    const number = await open();
    await presence(number, tina, 'PUT', 'viewing');
    const expiry = clock.now().getTime() + 45_000;
    clock.advance(30_000);
    await presence(number, tom, 'PUT', 'viewing');

    clock.advance(15_001);
    const later = await presence(number, tom);

    expect(later.json.items.map((item: { email: string }) => item.email)).toEqual([tom.email]);
    const { Item } = await env.db.send(
      new GetCommand({ TableName: env.tableName, Key: presenceKey(number, tina.email) }),
    );
    // Its TTL attribute is the expiry in epoch seconds, for DynamoDB to clear it some day.
    expect(Item).toMatchObject({ entity: 'presence', expiresAt: Math.ceil(expiry / 1000) });
  });

  it('answers the ticket version in the same read: a change moves it, presence does not', async () => {
    const number = await open();
    await presence(number, tina, 'PUT', 'viewing');
    await presence(number, tina, 'PUT', 'replying');
    expect((await presence(number, tom)).json.ticketVersion).toBe(1);

    await api({ method: 'POST', url: `/tickets/${number}/comments`, as: tina, body: { body: 'On it.' } });

    expect((await presence(number, tom)).json.ticketVersion).toBe(2);
    expect((await api({ method: 'GET', url: `/tickets/${number}`, as: tina })).json.version).toBe(2);
  });

  it('DELETE takes the caller off at once: 204', async () => {
    const number = await open();
    await presence(number, tina, 'PUT', 'viewing');
    await presence(number, tom, 'PUT', 'viewing');

    const left = await presence(number, tina, 'DELETE');

    expect(left.status).toBe(204);
    expect((await presence(number, tom)).json.items.map((item: { email: string }) => item.email)).toEqual([
      tom.email,
    ]);
  });

  it('is the desk’s business: the requester and watchers get 404, like a ticket that does not exist', async () => {
    const number = await open();
    await presence(number, tina, 'PUT', 'viewing');

    for (const who of [alice, walt]) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const answer = await presence(number, who, method, method === 'PUT' ? 'viewing' : undefined);
        expect([who.email, method, answer.status]).toEqual([who.email, method, 404]);
      }
    }
    expect((await presence(999_999, sam)).status).toBe(404);
    expect((await presence(number, sam)).status).toBe(200);
    expect((await presence(number, tina, 'PUT', 'typing')).status).toBe(400);
  });
});

describe('Presence on the stream', () => {
  it('writes only presence items: no workflow start or wake, no report, no mail, and no filter lets them through', async () => {
    // Prepare: a ticket whose own records have been read already
    const number = await open();
    await poller.drain();
    delivered.splice(0);

    // Act: an afternoon of heartbeats from two agents, and leaving
    for (let beat = 0; beat < 20; beat++) {
      clock.advance(15_000);
      await presence(number, beat % 2 ? tina : tom, 'PUT', beat % 3 ? 'viewing' : 'replying');
    }
    await presence(number, tina, 'DELETE');
    await poller.drain();
    const records = delivered.splice(0);

    // Assess: the stream holds presence items only, the ticket did not move
    expect(records.length).toBeGreaterThanOrEqual(21);
    const entities = new Set(
      records.map((record) => (record.dynamodb?.NewImage ?? record.dynamodb?.OldImage)?.entity?.S),
    );
    expect([...entities]).toEqual(['presence']);
    expect((await api({ method: 'GET', url: `/tickets/${number}`, as: tina })).json.version).toBe(1);
    // AWS: neither event source mapping's filter passes them (the processor's, the mailer's)
    const patterns = [...Object.values(STREAM_FILTER_PATTERNS), SEND_MAIL_FILTER];
    expect(records.filter((record) => patterns.some((pattern) => matchesFilter(pattern, record)))).toEqual(
      [],
    );
    // Locally every record reaches the readers: they ignore them all
    const signals = { start: vi.fn(), wake: vi.fn() };
    const workflows = { parked: vi.fn() };
    // Any call on the report store (or the configuration it reads) is a report change.
    const reportCalls = vi.fn();
    const recording = new Proxy(
      {},
      {
        get:
          (_, name) =>
          (...args: unknown[]) =>
            reportCalls(name, ...args),
      },
    );
    const outcome = await processChanges({
      signals,
      workflows,
      reports: { reports: recording as never, config: recording as never },
    })({ Records: records });
    expect(outcome).toEqual({ batchItemFailures: [] });
    expect(signals.start).not.toHaveBeenCalled();
    expect(signals.wake).not.toHaveBeenCalled();
    expect(workflows.parked).not.toHaveBeenCalled();
    expect(reportCalls).not.toHaveBeenCalled();
    const transport = { send: vi.fn() };
    const mailer = sendMailForRecords({
      tickets: env.store,
      directory: env.directory,
      config: env.config,
      mail: new DynamoMailStore(env.db, env.tableName, clock),
      transport,
      templates: loadTemplates(),
      settings: mailConfig(['support@tierdesk.local']),
      clock,
    });
    expect(await mailer({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(transport.send).not.toHaveBeenCalled();
  });
});
