import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { DevIdentity } from '#infra/local/dev-key';
import { person } from '#test/support/local-stack';
import { wholeTicketIssues } from './fuzz.ts';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Concurrency: 100 mixed actions at once on one ticket leave it in a valid state with every
 * accepted action on its timeline (optimistic locking retries lost races; a request it cannot
 * place is refused, never half-written); two deliveries of one mail racing make one ticket.
 */

interface Ticket {
  number: number;
  version: number;
  status: string;
}
interface TimelineEvent {
  id: string;
  type: string;
}

const ACTIONS = 100;

/** The version an event was written at: its id is `<version, 10 digits>#<index>`. */
const versionOf = (eventId: string) => Number(eventId.split('#')[0]);

export const concurrency: VerifyPromise = {
  name: 'concurrency',
  async run() {
    const stack = await sharedStack();
    const failures = new Failures();
    const owner: DevIdentity = { email: person('racer'), role: 'requester' };
    const agent: DevIdentity = { email: person('racer-agent'), role: 'agent', tiers: [1] };
    const created = await stack.api<Ticket>('/tickets', {
      method: 'POST',
      as: owner,
      body: { subject: 'Laptop fan loud', description: 'Constantly spinning.' },
    });
    if (created.status !== 201)
      return { figures: 'could not create the ticket', failures: [`create: ${created.status}`] };
    const { number } = created.body;

    // Act: public replies, internal notes, field changes and lifecycle actions, all at once.
    type Request = { path: string; method?: string; as: DevIdentity; body: unknown };
    const build: Record<string, (i: number) => Request> = {
      reply: (i) => ({ path: `/tickets/${number}/comments`, as: owner, body: { body: `Reply ${i}` } }),
      note: (i) => ({
        path: `/tickets/${number}/comments`,
        as: agent,
        body: { body: `Note ${i}`, public: false },
      }),
      patch: (i) => ({
        path: `/tickets/${number}`,
        method: 'PATCH',
        as: agent,
        body: { subject: `Fan loud (${i})` },
      }),
      tag: (i) => ({ path: `/tickets/${number}`, method: 'PATCH', as: agent, body: { tags: [`t${i}`] } }),
      pending: (i) => ({
        path: `/tickets/${number}/pending`,
        as: agent,
        body: { reason: `Which model? (${i})` },
      }),
      resolve: (i) => ({
        path: `/tickets/${number}/resolve`,
        as: agent,
        body: { resolution: `Cleaned (${i}).` },
      }),
      reopen: (i) => ({
        path: `/tickets/${number}/reopen`,
        as: owner,
        body: { reason: `Loud again (${i})` },
      }),
    };
    const kinds = Object.keys(build);
    const requests = Array.from({ length: ACTIONS }, (_, i) => {
      const kind = kinds[i % kinds.length] as string;
      return { kind, ...(build[kind] as (i: number) => Request)(i) };
    });
    const responses = await Promise.all(
      requests.map((request) =>
        stack.api<{ id?: string; version?: number }>(request.path, {
          method: request.method ?? 'POST',
          as: request.as,
          headers: { 'if-match': '*' },
          body: request.body,
        }),
      ),
    );

    // Assess: every answer is one a client can act on; every accepted change is on the timeline.
    const statuses = new Map<number, number>();
    for (const [i, response] of responses.entries()) {
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (![200, 201, 409, 503].includes(response.status))
        failures.add(
          `${requests[i]?.kind}: ${response.status} ${JSON.stringify(response.body).slice(0, 120)}`,
        );
      if (response.status === 503 && !response.headers.get('retry-after'))
        failures.add(`${requests[i]?.kind}: 503 without Retry-After`);
    }
    const events: TimelineEvent[] = [];
    for (let cursor: string | undefined, page = 0; page === 0 || cursor; page++) {
      const timeline = await stack.api<{ items: TimelineEvent[]; nextCursor?: string }>(
        `/tickets/${number}/timeline?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { as: agent },
      );
      events.push(...timeline.body.items);
      cursor = timeline.body.nextCursor;
    }
    const eventIds = new Set(events.map((event) => event.id));
    const versions = new Set(events.map((event) => versionOf(event.id)));
    let accepted = 0;
    for (const [i, response] of responses.entries()) {
      if (response.status !== 200 && response.status !== 201) continue;
      accepted++;
      const { id, version } = response.body;
      if (id !== undefined ? !eventIds.has(id) : version === undefined || !versions.has(version))
        failures.add(
          `${requests[i]?.kind} was accepted but is not on the timeline (${id ?? `version ${version}`})`,
        );
    }
    const final = await stack.api<Ticket>(`/tickets/${number}`, { as: agent });
    for (const issue of await wholeTicketIssues(stack, agent, number)) failures.add(issue);
    if (!['new', 'open', 'pending', 'resolved'].includes(final.body.status))
      failures.add(`the ticket ended ${final.body.status}`);

    // Two deliveries of one mail at once (an MTA retrying, or two support addresses): one ticket.
    const mailer = nodemailer.createTransport({
      host: '127.0.0.1',
      port: stack.mail.smtpPort,
      secure: false,
    });
    const sender = person('twice');
    const messageId = `<${randomUUID()}@mail.example.com>`;
    const deliver = () =>
      mailer.sendMail({
        from: sender,
        to: stack.mail.supportAddresses[0],
        subject: 'Keyboard missing keys',
        text: 'The E key fell off.',
        messageId,
      });
    const deliveries = await Promise.allSettled([deliver(), deliver()]);
    // A delivery refused for now (451: the other holds the claim) is what an MTA retries.
    for (const delivery of deliveries) if (delivery.status === 'rejected') await deliver();
    const mine = await stack.api<{ items: Ticket[] }>('/tickets?view=mine', {
      as: { email: sender, role: 'requester' },
    });
    if (mine.body.items.length !== 1)
      failures.add(`two deliveries of one mail made ${mine.body.items.length} tickets`);
    mailer.close();

    const spread = [...statuses].map(([status, count]) => `${count}×${status}`).join(', ');
    return {
      figures: `${ACTIONS} concurrent actions on one ticket (${spread}), ${accepted} accepted and all on its timeline, version ${final.body.version}; 2 racing deliveries → ${mine.body.items.length} ticket`,
      ...failures.report(),
    };
  },
};
