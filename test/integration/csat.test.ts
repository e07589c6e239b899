import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyToken } from '#shared/csat/csat-service';
import { signSurveyToken, staticKeyring } from '#shared/csat/survey-link';
import { fixedClock } from '#shared/domain/clock';
import { principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { type IntakeDeps, type IntakeOutcome, intake } from '#shared/email/intake';
import { closeTicket, resolveTicket } from '#shared/tickets/ticket-actions';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { CONFIG } from '#test/fixtures/email/world';
import { apiFor } from '#test/support/api';
import { freshTable } from '#test/support/table';

/**
 * Acceptance of the satisfaction survey: the real survey handlers (through `apiFor`, as API
 * Gateway calls them) and the real mail intake on real MIME, on DynamoDB Local. Tickets are
 * opened by mail, resolved and closed by an agent; the survey mail is recorded as the mailer
 * records it, so a reply to it reaches the intake as a reply to the survey.
 */

const DAY = 24 * 3_600_000;
const clock = fixedClock('2026-11-23T09:00:00.000Z');
const keyring = staticKeyring([{ id: 'k1', secret: Buffer.from('csat acceptance key') }]);
const agent = principalFromGroups('marco@example.com', ['tier1']);

let env: Awaited<ReturnType<typeof freshTable>>;
let bucket: MailBucket;
let mail: DynamoMailStore;
let deps: IntakeDeps;
let api: ReturnType<typeof apiFor>;
let delivery = 0;

beforeAll(async () => {
  env = await freshTable(clock);
  bucket = await startMailBucket(clock);
  mail = new DynamoMailStore(env.db, env.tableName, clock);
  deps = { tickets: { ...env.tickets, clock }, mail, config: CONFIG, attachments: bucket.attachments };
  api = apiFor({ ...env.tickets, keyring } as TicketDeps, env.tableName, env.endpoint);
});
afterAll(async () => {
  await bucket.stop();
  await env.drop();
});

const deliver = async (raw: string): Promise<IntakeOutcome> => {
  clock.advance(1000);
  delivery += 1;
  return intake(deps, { raw: Buffer.from(raw), rawKey: `inbound/csat-${delivery}.eml` });
};

const message = (lines: string[]) => [...lines, ''].join('\r\n');

/**
 * A ticket its requester opened by mail, resolved and closed by the desk, and the survey mail
 * sent about it (recorded as the mailer records it): its number, requester and survey Message-ID.
 */
const closedByMail = async (requester: string) => {
  delivery += 1;
  const outcome = await deliver(
    message([
      `From: ${requester}`,
      'To: support@tierdesk.local',
      `Subject: Printer ${delivery} jams`,
      `Message-ID: <original.${delivery}@example.com>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The printer jams on every second page.',
    ]),
  );
  if (outcome.kind !== 'ticket') throw new Error(`expected a ticket, got ${JSON.stringify(outcome)}`);
  const number = outcome.ticket;
  clock.advance(20 * 60_000);
  await resolveTicket(env.tickets, agent, number, { resolution: 'New fuser unit.' });
  clock.advance(60_000);
  await closeTicket(env.tickets, agent, number, {});
  const survey = `csat.${number}.${delivery}@tierdesk.local`;
  const claim = { ticket: number, eventId: `csat-${number}`, recipient: requester };
  await mail.claimOutbound(claim);
  await mail.recordOutbound({
    claim,
    party: 'requester',
    template: 'csat',
    messageIds: [survey],
    automatic: true,
  });
  return { number, requester, survey, ticket: (await env.store.getTicket(number)) as Ticket };
};

const replyToSurvey = (from: string, number: number, survey: string, body: string) =>
  message([
    `From: ${from}`,
    'To: support@tierdesk.local',
    `Subject: Re: [#${number}] How did we do?`,
    `Message-ID: <answer.${number}.${delivery + 1}@example.com>`,
    `In-Reply-To: <${survey}>`,
    `References: <${survey}>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
    `> ticket #${number} is now closed. How satisfied are you with how it was handled?`,
  ]);

const timeline = async (number: number): Promise<TimelineEvent[]> =>
  (await env.store.timeline(number, { limit: 100, includeInternal: true })).items;

const answers = async (number: number) =>
  (await timeline(number)).filter((event) => event.type === 'csat_recorded');

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

describe('Acceptance: the survey link', () => {
  it('answers GET with the HTML page and records nothing (mail scanners follow links)', async () => {
    // Prepare
    const { number, ticket } = await closedByMail('alice@example.com');
    const before = await timeline(number);
    const token = await surveyToken(keyring, ticket);

    // Act
    const page = await api({ method: 'GET', url: `/csat/${token}` });

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`Ticket #${number}`);
    expect(page.text).toContain('<form method="post"');
    expect(await timeline(number)).toEqual(before);
    expect((await env.store.getTicket(number))?.version).toBe(ticket.version);
  });

  it('records an answer posted from the page, and a second one within 7 days replaces the first', async () => {
    // Prepare
    const { number, ticket, requester } = await closedByMail('bob@example.com');
    const token = await surveyToken(keyring, ticket);

    // Act
    const first = await api({
      method: 'POST',
      url: `/csat/${token}`,
      ...form({ score: '2', comment: 'slow' }),
    });
    clock.advance(3 * DAY);
    const second = await api({
      method: 'POST',
      url: `/csat/${token}`,
      body: { score: 4, comment: 'fixed after all' },
    });

    // Assess
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    const events = await answers(number);
    expect(events.map((event) => ({ actor: event.actor, ...event.data }))).toEqual([
      { actor: requester, score: 2, comment: 'slow', channel: 'link' },
      { actor: requester, score: 4, comment: 'fixed after all', channel: 'link', replaces: true },
    ]);
    const rated = (await env.store.getTicket(number)) as Ticket;
    expect(rated.csat).toMatchObject({ score: 4, comment: 'fixed after all', firstAt: events[0]?.at });
    expect(rated.status).toBe('closed');
  });

  it('refuses an answer more than 7 days after the first (409), and leaves the first', async () => {
    // Prepare
    const { number, ticket } = await closedByMail('carol@example.com');
    const token = await surveyToken(keyring, ticket);
    expect((await api({ method: 'POST', url: `/csat/${token}`, body: { score: 5 } })).status).toBe(200);

    // Act
    clock.advance(7 * DAY + 60_000);
    const late = await api({ method: 'POST', url: `/csat/${token}`, body: { score: 1 } });

    // Assess
    expect(late.status).toBe(409);
    expect(late.json.detail).toMatch(/7 days/);
    expect((await answers(number)).map((event) => event.data?.score)).toEqual([5]);
  });

  it('expires: 14 days after closing neither the page nor the answer is served (409), nothing is recorded', async () => {
    // Prepare
    const { number, ticket } = await closedByMail('dave@example.com');
    const token = await surveyToken(keyring, ticket);
    const before = await timeline(number);

    // Act
    clock.advance(14 * DAY);
    const page = await api({ method: 'GET', url: `/csat/${token}` });
    const answer = await api({ method: 'POST', url: `/csat/${token}`, body: { score: 5 } });

    // Assess
    expect([page.status, answer.status]).toEqual([409, 409]);
    expect(answer.json.detail).toMatch(/expired/);
    expect(await timeline(number)).toEqual(before);
  });

  it('refuses a forged token (changed ticket, changed signature) and a token for another ticket (404)', async () => {
    // Prepare: two closed tickets of two requesters
    const mine = await closedByMail('erin@example.com');
    const theirs = await closedByMail('frank@example.com');
    const token = await surveyToken(keyring, mine.ticket);
    const [id, , expiry, signature] = token.split('.') as [string, string, string, string];
    const flipped = `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    const before = [await timeline(mine.number), await timeline(theirs.number)];
    const attempts = [
      // Mine, pointed at their ticket
      [id, theirs.number, expiry, signature].join('.'),
      // Mine, its signature changed
      [id, mine.number, expiry, flipped].join('.'),
      // Signed with our key for their ticket, but as me: the signature covers the requester
      await signSurveyToken(keyring, theirs.number, mine.requester, new Date(Number(expiry) * 1000)),
      // Signed with a key the desk does not have
      await surveyToken(staticKeyring([{ id: 'k1', secret: Buffer.from('a guess') }]), mine.ticket),
    ];

    // Act
    const responses = [];
    for (const attempt of attempts) {
      responses.push((await api({ method: 'GET', url: `/csat/${attempt}` })).status);
      responses.push((await api({ method: 'POST', url: `/csat/${attempt}`, body: { score: 1 } })).status);
    }

    // Assess
    expect(responses).toEqual(attempts.flatMap(() => [404, 404]));
    expect([await timeline(mine.number), await timeline(theirs.number)]).toEqual(before);
  });
});

describe('Acceptance: the survey answered by mail', () => {
  it('records the reply "4 - quick, thanks" to the survey as 4 with its comment: not quarantined, not a reopen, no comment', async () => {
    // Prepare
    const { number, requester, survey } = await closedByMail('gina@example.com');
    const quarantinedBefore = (await mail.quarantined(100)).length;
    const before = await timeline(number);

    // Act
    const outcome = await deliver(replyToSurvey(requester, number, survey, '4 - quick, thanks'));

    // Assess
    expect(outcome).toEqual({ kind: 'csat', ticket: number, score: 4 });
    const after = await timeline(number);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(
      after.slice(before.length).map((event) => ({ type: event.type, actor: event.actor, ...event.data })),
    ).toEqual([
      { type: 'csat_recorded', actor: requester, score: 4, comment: 'quick, thanks', channel: 'mail' },
    ]);
    const ticket = (await env.store.getTicket(number)) as Ticket;
    expect(ticket.status).toBe('closed');
    expect(ticket.csat).toMatchObject({ score: 4, comment: 'quick, thanks', channel: 'mail' });
    expect((await mail.quarantined(100)).length).toBe(quarantinedBefore);
  });

  it('replaces a mail answer within 7 days, and quarantines one after 7 days as refused', async () => {
    // Prepare
    const { number, requester, survey } = await closedByMail('hank@example.com');
    await deliver(replyToSurvey(requester, number, survey, '2'));

    // Act
    clock.advance(2 * DAY);
    const replaced = await deliver(replyToSurvey(requester, number, survey, '5 stars'));
    clock.advance(6 * DAY);
    const late = await deliver(replyToSurvey(requester, number, survey, '1 - changed my mind'));

    // Assess
    expect(replaced).toEqual({ kind: 'csat', ticket: number, score: 5 });
    expect(late).toMatchObject({
      kind: 'quarantine',
      reason: 'refused',
      detail: expect.stringMatching(/7 days/),
    });
    expect(
      (await answers(number)).map((event) => [event.data?.score, event.data?.replaces ?? false]),
    ).toEqual([
      [2, false],
      [5, true],
    ]);
    expect((await env.store.getTicket(number))?.status).toBe('closed');
  });
});
