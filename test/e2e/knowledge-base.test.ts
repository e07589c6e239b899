import { type IncomingHttpHeaders, request } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { DynamoArticleStore } from '#shared/kb/adapters/dynamodb';
import { ANONYMOUS_LIMITS } from '#shared/kb/config';
import { documentClient } from '#shared/store/client';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * Tier 0 on the local stack, over HTTP and mail: an article written and published through the
 * API is found by requesters once the stream processor has rebuilt the index (no restart), is
 * suggested with a new ticket and in its acknowledgment, and "solved it" counts as a deflection.
 */

let stack: TestStack;
let dynamo: DynamoDBClient;
const failures: string[] = [];

const sam: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };

beforeAll(async () => {
  stack = await startTestStack({ onError: (error, where) => failures.push(`${where}: ${String(error)}`) });
  dynamo = new DynamoDBClient(localClientConfig(stack.dynamoEndpoint));
});
afterAll(async () => {
  dynamo?.destroy();
  await stack?.stop();
});
afterEach(() => expect(failures).toEqual([]));

type Hit = { id: string; title: string; snippet: string };
type Article = { id: string; version: number; status: string };
type Ticket = { number: number; status: string };

const ARTICLE = {
  title: 'Plotter in the drawing office shows "paper jam" with no paper stuck',
  body: [
    'The large-format plotter in the drawing office reports a paper jam when the roll sensor is dusty.',
    '',
    '1. Open the top cover and lift the roll.',
    '2. Wipe the roll sensor (the small window left of the roll holder) with a dry cloth.',
    '3. Close the cover and press **Resume**.',
  ].join('\n'),
  tags: ['plotter', 'printing'],
  category: 'hardware/printer',
  audience: 'public',
};

const publicSearch = async (q: string): Promise<Hit[]> => {
  const response = await stack.api<{ items: Hit[] }>(`/kb/public/search?q=${encodeURIComponent(q)}`);
  expect(response.status).toBe(200);
  return response.body.items;
};

/** Searches until the index that the stream processor rebuilt reaches the searching function. */
const eventuallyFound = (q: string, id: string) =>
  vi.waitFor(
    async () => {
      await stack.settle();
      expect((await publicSearch(q)).map((hit) => hit.id)).toContain(id);
    },
    { timeout: 20_000, interval: 500 },
  );

describe('Knowledge base: write, publish, find', () => {
  it('keeps a draft from requesters and finds it for them once it is published, without a restart', async () => {
    const created = await stack.api<Article>('/kb/articles', {
      method: 'POST',
      as: hana,
      body: { ...ARTICLE, status: 'draft' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id } = created.body;
    await stack.settle();
    expect((await publicSearch('plotter paper jam')).map((hit) => hit.id)).not.toContain(id);
    expect((await stack.api(`/kb/public/articles/${id}`)).status).toBe(404);

    const published = await stack.api<Article>(`/kb/articles/${id}`, {
      method: 'PUT',
      as: sam,
      headers: { 'if-match': String(created.body.version) },
      body: { ...ARTICLE, status: 'published' },
    });
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    await eventuallyFound('plotter paper jam', id);
    expect((await stack.api(`/kb/public/articles/${id}`)).status).toBe(200);
  });
});

describe('Knowledge base: suggestions and deflection', () => {
  it('suggests the article for a new ticket and in its acknowledgment mail; "solved it" is counted', async () => {
    const created = await stack.api<Article>('/kb/articles', {
      method: 'POST',
      as: sam,
      body: {
        ...ARTICLE,
        title: 'Badge reader at the side entrance blinks red',
        body: 'A red blinking badge reader means your badge is not enabled for the side entrance yet. Request access in the facilities portal.',
        tags: ['badge', 'door', 'access'],
        category: 'facilities/access',
        status: 'published',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { id } = created.body;
    await eventuallyFound('badge reader blinks red', id);

    const requester: DevIdentity = { email: person('ida'), role: 'requester' };
    const ticket = await stack.api<{ number: number }>('/tickets', {
      method: 'POST',
      as: requester,
      body: {
        subject: 'badge reader at the side door blinks red',
        description: 'Cannot get in since Monday.',
      },
    });
    expect(ticket.status).toBe(201);
    // The new ticket's page asks for its suggestions right away: creating it does not search.
    const suggested = await stack.api<{ items: Hit[] }>(`/tickets/${ticket.body.number}/suggestions`, {
      as: requester,
    });
    expect(suggested.body.items.map((hit) => hit.id)).toContain(id);

    await stack.settle();
    const mail = (await (await fetch(`${stack.mail.sesUrl}store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string; body: { text: string; html: string } }[];
    };
    const [ack] = mail.emails.filter((sent) =>
      sent.destination.to.some((to) => to.includes(requester.email)),
    );
    expect(ack?.subject).toContain(`[#${ticket.body.number}]`);
    expect(ack?.body.text).toContain('Badge reader at the side entrance blinks red');
    expect(ack?.body.text).toContain(`/kb/public/articles/${id}`);

    const articles = new DynamoArticleStore(documentClient(dynamo), stack.tableName);
    const before = await articles.deflections(id);
    const solved = await stack.api('/kb/deflections', {
      method: 'POST',
      as: requester,
      body: { articleId: id },
    });
    expect(solved.status, JSON.stringify(solved.body)).toBe(201);
    expect(await articles.deflections(id)).toEqual({ deflections: before.deflections + 1, selfServed: 0 });
    // No ticket was needed: the requester still has exactly the one they filed.
    expect(
      (await stack.api<Ticket>(`/tickets/${ticket.body.number}`, { as: requester })).body.status,
    ).not.toBe('resolved');
  });
});

// Mail in: a request by mail is acknowledged with the same suggestions as one through the API.
describe('Knowledge base: the acknowledgment of a mail', () => {
  it('lists the matching article', async () => {
    const created = await stack.api<Article>('/kb/articles', {
      method: 'POST',
      as: sam,
      body: {
        ...ARTICLE,
        title: 'Meeting room display stays black',
        body: 'If the meeting room display stays black, press the input button on the wall panel and choose HDMI 1.',
        tags: ['display', 'meeting room'],
        category: 'hardware/av',
        status: 'published',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await eventuallyFound('meeting room display black', created.body.id);

    const sender = person('joe');
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack.mail.smtpPort, secure: false });
    await smtp.sendMail({
      from: sender,
      to: 'support@tierdesk.local',
      subject: 'display in meeting room 2 stays black',
      text: 'Nothing shows when I plug in my laptop.',
    });
    smtp.close();
    await stack.settle();

    const mail = (await (await fetch(`${stack.mail.sesUrl}store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    const [ack] = mail.emails.filter((sent) => sent.destination.to.some((to) => to.includes(sender)));
    expect(ack?.body.text).toContain('Meeting room display stays black');
  });
});

/**
 * A request from another loopback address (127.0.0.2, …): the local gateway reports the
 * connection's address as `sourceIp`, as API Gateway does, so each is a different source.
 */
const fromAddress = (localAddress: string, path: string, body?: unknown) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const sent = request(
      new URL(path, stack.apiUrl),
      {
        method: body === undefined ? 'GET' : 'POST',
        localAddress,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(body === undefined ? undefined : JSON.stringify(body));
  });

describe('Knowledge base: anonymous callers, per address', () => {
  it('refuses an address that asks too much (429, Retry-After) while another address is served', async () => {
    const { requests } = ANONYMOUS_LIMITS.reads;
    let refused: Awaited<ReturnType<typeof fromAddress>> | undefined;
    // A window may end during the burst: within two windows' worth the limit is met.
    for (let i = 0; i <= 2 * requests && !refused; i++) {
      const answer = await fromAddress('127.0.0.2', '/kb/public/suggest', { subject: 'printer offline' });
      if (answer.status === 429) refused = answer;
      else expect(answer.status).toBe(200);
    }
    expect(refused?.headers['content-type']).toBe('application/problem+json');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused?.text ?? '{}')).toMatchObject({ status: 429 });
    expect((await fromAddress('127.0.0.3', '/kb/public/search?q=printer')).status).toBe(200);
  });
});
