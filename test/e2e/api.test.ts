import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { PROJECT_ROOT } from '#infra/local/lambda';
import { DEMO_TICKETS } from '#infra/local/seed';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The local stack driven over HTTP like a client would: real handlers, real DynamoDB Local,
 * real dev tokens, the API Gateway behaviour (401/404) in front.
 */

interface Ticket {
  number: number;
  subject: string;
  requester: string;
  status: string;
  tier: number;
  version: number;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  errors?: { field: string; message: string }[];
}

const requester = (email = person('requester')): DevIdentity => ({ email, role: 'requester' });
const tier1Agent: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };

const newTicket = (subject = 'Monitor flickers after docking') => ({
  subject,
  description: 'The external monitor flickers every few seconds when the laptop is docked.',
  impact: 'low',
  urgency: 'medium',
  category: 'hardware/monitor',
});

describe('Local stack: the API over HTTP', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ seed: true });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const createTicket = async (
    as: DevIdentity,
    body: unknown = newTicket(),
    headers: Record<string, string> = {},
  ) => {
    const response = await stack.api<Ticket>('/tickets', { method: 'POST', as, body, headers });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response;
  };

  describe('API Gateway in front of the handlers', () => {
    it('serves GET /openapi.json without a token: 200', async () => {
      const response = await stack.api<{ openapi: string; paths: Record<string, unknown> }>('/openapi.json');

      expect(response.status).toBe(200);
      expect(response.body.openapi).toMatch(/^3\./);
      expect(Object.keys(response.body.paths)).toContain('/tickets/{number}');
    });

    it('refuses a JWT route without a token: 401 {"message":"Unauthorized"}', async () => {
      const response = await stack.api('/tickets');

      expect(response.status).toBe(401);
      expect(response.body).toEqual({ message: 'Unauthorized' });
    });

    it('refuses an expired token: 401', async () => {
      const expired = await stack.token(requester(), -60);

      const response = await stack.api('/tickets', { headers: { authorization: `Bearer ${expired}` } });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('the token has expired');
    });

    it('answers an unknown route with 404 {"message":"Not Found"}', async () => {
      const response = await stack.api('/no/such/route', { as: requester() });

      expect(response.status).toBe(404);
      expect(response.body).toEqual({ message: 'Not Found' });
    });

    it('refuses a body over 10 MB: 413', async () => {
      const response = await stack.api('/tickets', {
        method: 'POST',
        as: requester(),
        body: 'x'.repeat(10 * 1024 * 1024 + 1),
      });

      expect(response.status).toBe(413);
    });
  });

  describe('Tickets', () => {
    it('lets the requester create a ticket (201) and read it (200), and hides it from others (404)', async () => {
      const alice = requester();
      const created = await createTicket(alice);
      const { number } = created.body;
      expect(created.headers.get('location')).toBe(`/tickets/${number}`);
      expect(created.body).toMatchObject({
        view: 'requester',
        requester: alice.email,
        status: 'new',
        version: 1,
      });
      expect(created.body).not.toHaveProperty('tier');

      const own = await stack.api<Ticket>(`/tickets/${number}`, { as: alice });
      const other = await stack.api<Problem>(`/tickets/${number}`, { as: requester() });

      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ number, subject: created.body.subject });
      expect(own.headers.get('etag')).toBeTruthy();
      expect(other.status).toBe(404);
    });

    it('puts a new ticket in the Tier 1 queue: GET /tickets?view=queue&tier=1', async () => {
      const { body: ticket } = await createTicket(requester(), newTicket('Keyboard missing keys'));

      const queue = await stack.api<{ items: Ticket[] }>('/tickets?view=queue&tier=1&limit=100', {
        as: tier1Agent,
      });

      expect(queue.status).toBe(200);
      expect(queue.body.items.map((item) => item.number)).toContain(ticket.number);
    });

    it('gives the desk an SLA summary once triage pinned the policy, and finds the ticket by number', async () => {
      const { body: created } = await createTicket(requester(), newTicket('Webcam is black'));
      await stack.workflow.settle();

      const found = await stack.api<{ items: Record<string, unknown>[] }>(
        `/tickets?view=all&number=${created.number}`,
        { as: tier1Agent },
      );

      expect(found.status).toBe(200);
      expect(found.body.items).toHaveLength(1);
      expect(found.body.items[0]).toMatchObject({
        view: 'desk',
        number: created.number,
        sla: { clock: 'response', remainingMs: expect.any(Number), asOf: expect.any(String) },
      });
    });

    it('refuses a PATCH based on a stale version: 412', async () => {
      const { body: created } = await createTicket(requester());
      // The workflow triages a new ticket at once (a new version): read the ETag after it settled.
      await stack.workflow.settle();
      const { body: ticket, headers } = await stack.api<Ticket>(`/tickets/${created.number}`, {
        as: tier1Agent,
      });
      const staleEtag = headers.get('etag') as string;
      const first = await stack.api<Ticket>(`/tickets/${ticket.number}`, {
        method: 'PATCH',
        as: tier1Agent,
        headers: { 'if-match': staleEtag },
        body: { tags: ['monitor'] },
      });
      expect(first.status, JSON.stringify(first.body)).toBe(200);

      const second = await stack.api<Problem>(`/tickets/${ticket.number}`, {
        method: 'PATCH',
        as: tier1Agent,
        headers: { 'if-match': staleEtag },
        body: { tags: ['display'] },
      });

      expect(second.status).toBe(412);
      expect(second.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('answers a malformed body with a 400 problem naming the field', async () => {
      const response = await stack.api<Problem>('/tickets', {
        method: 'POST',
        as: requester(),
        body: { description: 'No subject given' },
      });

      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors?.map((error) => error.field)).toContain('body.subject');
    });

    it('returns the same ticket for a retried POST with the same Idempotency-Key', async () => {
      const bob = requester();
      const key = `retry-${Date.now()}`;
      const first = await createTicket(bob, newTicket('Docking station not charging'), {
        'idempotency-key': key,
      });

      const retry = await stack.api<Ticket>('/tickets', {
        method: 'POST',
        as: bob,
        headers: { 'idempotency-key': key },
        body: newTicket('Docking station not charging'),
      });

      expect(retry.status).toBe(201);
      expect(retry.body.number).toBe(first.body.number);
    });

    it('keeps all of 50 concurrent comments: timeline has 50, version advanced by 50', async () => {
      const carol = requester();
      const { body: created } = await createTicket(carol);
      // Let the ticket's workflow triage it first: its writes are versions too.
      await stack.workflow.settle();
      const { body: ticket } = await stack.api<Ticket>(`/tickets/${created.number}`, { as: carol });

      // DynamoDB Local runs one transaction at a time, so 50 writers on one ticket can outlast
      // the handlers' retry budget; the losers get 503 with Retry-After and nothing written. A
      // client does as that answer asks: waits, and sends the comment again.
      const comment = async (index: number) => {
        for (let attempt = 1; ; attempt++) {
          const response = await stack.api(`/tickets/${ticket.number}/comments`, {
            method: 'POST',
            as: carol,
            body: { body: `Update ${index + 1}: still flickering.`, public: true },
          });
          const retryAfter = Number(response.headers.get('retry-after'));
          if (response.status !== 503 || attempt === 5) return response;
          expect(retryAfter).toBeGreaterThan(0);
          await new Promise((done) => setTimeout(done, retryAfter * 1000));
        }
      };
      const responses = await Promise.all(Array.from({ length: 50 }, (_, index) => comment(index)));

      expect(responses.map((response) => response.status)).toEqual(Array(50).fill(201));
      const timeline = await stack.api<{ items: { type: string; body?: string }[] }>(
        `/tickets/${ticket.number}/timeline?limit=100`,
        { as: carol },
      );
      const comments = timeline.body.items.filter((item) => item.type === 'comment');
      expect(comments).toHaveLength(50);
      expect(new Set(comments.map((comment) => comment.body)).size).toBe(50);
      const after = await stack.api<Ticket>(`/tickets/${ticket.number}`, { as: carol });
      expect(after.body.version).toBe(ticket.version + 50);
    });
  });

  describe('Seeded demo data', () => {
    it('gives Alice her demo tickets, created through the create-ticket handler', async () => {
      const mine = await stack.api<{ items: Ticket[] }>('/tickets', { as: requester('alice@example.com') });

      const expected = DEMO_TICKETS.filter((ticket) => ticket.requester === 'alice@example.com');
      expect(stack.seeded?.tickets).toHaveLength(DEMO_TICKETS.length);
      expect(mine.body.items.map((ticket) => ticket.subject).sort()).toEqual(
        expected.map((ticket) => ticket.body.subject).sort(),
      );
    });
  });

  describe('npm run token', () => {
    it('prints, on its last line, a token the API accepts', async () => {
      const { stdout } = await promisify(execFile)(
        'npm',
        ['run', 'token', '--', '--sub', 'priya@example.com', '--role', 'agent', '--tiers', '1'],
        { cwd: PROJECT_ROOT },
      );
      const token = stdout.trim().split('\n').at(-1) ?? '';
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

      const response = await fetch(`${stack.apiUrl}/tickets?view=queue&tier=1`, {
        headers: { authorization: `Bearer ${token}` },
      });

      expect(response.status).toBe(200);
    });
  });
});
