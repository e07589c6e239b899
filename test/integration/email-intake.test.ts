import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/domain/clock';
import { type IntakeDeps, type IntakeOutcome, intake } from '#shared/email/intake';
import { DynamoMailStore } from '#shared/store/dynamo-mail-store';
import { CONFIG, fixture } from '#test/fixtures/email/world';
import { freshTable } from '#test/support/table';

/**
 * The intake on DynamoDB Local over the committed fixtures. The fixtures were written against
 * tickets #1042–#1044 of a desk that does not exist here: the tests open real tickets by mail
 * and record our outbound Message-IDs for them, as the outbound side will, so the fixtures'
 * references point at those tickets.
 */

const clock = fixedClock('2026-11-20T14:00:00.000Z');
let env: Awaited<ReturnType<typeof freshTable>>;
let mail: DynamoMailStore;
let deps: IntakeDeps;
let delivery = 0;

beforeAll(async () => {
  env = await freshTable(clock);
  mail = new DynamoMailStore(env.db, env.tableName, clock);
  deps = { tickets: { store: env.store, config: env.config, clock }, mail, config: CONFIG };
});
afterAll(() => env.drop());

const deliver = (raw: Buffer | string): Promise<IntakeOutcome> => {
  clock.advance(1000);
  delivery += 1;
  return intake(deps, { raw: Buffer.from(raw), rawKey: `inbound/${delivery}.eml` });
};

const ticketOf = (outcome: IntakeOutcome): number => {
  if (outcome.kind !== 'ticket') throw new Error(`expected a ticket, got ${JSON.stringify(outcome)}`);
  return outcome.ticket;
};

const comments = async (number: number) => {
  const { items } = await env.store.timeline(number, { limit: 100, includeInternal: true });
  return items.filter((event) => event.type === 'comment');
};

/** Alice's first mail: the original that the Gmail reply and Erin's reply-all answer. */
const aliceOriginal = [
  'From: Alice Example <alice@example.com>',
  'To: Tierdesk Support <support@tierdesk.local>',
  'Cc: Bob <bob@example.com>',
  'Subject: Printer on floor 3 jams',
  'Date: Fri, 20 Nov 2026 13:55:00 +0000',
  'Message-ID: <CAF=alice.original.Q7mK@mail.gmail.com>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The printer on floor 3 jams on every second page.',
  '',
].join('\r\n');

const carolOriginal = [
  'From: Carol Jones <carol.jones@contoso.example>',
  'To: support@tierdesk.local',
  'Subject: VPN drops every hour',
  'Message-ID: <carol.original@contoso.example>',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'My VPN connection drops every hour.',
  '',
].join('\r\n');

describe('Function: intake', () => {
  let alice: number;

  it('opens a ticket for a new mail: requester = sender, CC as watchers, channel email', async () => {
    alice = ticketOf(await deliver(aliceOriginal));

    const ticket = await env.store.getTicket(alice);
    expect(ticket).toMatchObject({
      requester: 'alice@example.com',
      watchers: ['bob@example.com'],
      channel: 'email',
      subject: 'Printer on floor 3 jams',
      description: 'The printer on floor 3 jams on every second page.',
      createdBy: 'alice@example.com',
    });
    expect(await mail.ticketByMessageId('CAF=alice.original.Q7mK@mail.gmail.com')).toBe(alice);
  });

  it('adds the Gmail reply to our acknowledgment as a comment by the requester, quote stripped', async () => {
    // Prepare: the acknowledgment the outbound side sent for Alice's ticket
    await mail.recordMessageId('tierdesk.1042.ack@tierdesk.local', alice, 'out');

    const outcome = await deliver(fixture('gmail-reply.eml'));

    expect(outcome).toEqual({ kind: 'comment', ticket: alice });
    const [reply] = await comments(alice);
    expect(reply).toMatchObject({ actor: 'alice@example.com', public: true });
    expect(reply?.body).not.toMatch(/wrote:|^>/m);
    expect(await mail.ticketByMessageId('CAF=alice.reply.x7Qk2Zp@mail.gmail.com')).toBe(alice);
  });

  it('adds the Outlook reply to its ticket as a comment', async () => {
    const carol = ticketOf(await deliver(carolOriginal));
    await mail.recordMessageId('tierdesk.1043.reply-1@tierdesk.local', carol, 'out');

    const outcome = await deliver(fixture('outlook-reply.eml'));

    expect(outcome).toEqual({ kind: 'comment', ticket: carol });
    const [reply] = await comments(carol);
    expect(reply?.actor).toBe('carol.jones@contoso.example');
    expect(reply?.body).not.toContain('Original Message');
  });

  it('threads a CC’d person’s reply-all to the ticket and makes them and their Cc watchers', async () => {
    const outcome = await deliver(fixture('reply-all-cc.eml'));

    expect(outcome).toEqual({ kind: 'comment', ticket: alice });
    const ticket = await env.store.getTicket(alice);
    expect(ticket?.watchers).toEqual(expect.arrayContaining(['bob@example.com', 'erin@example.com']));
    expect((await comments(alice)).map((event) => event.actor)).toContain('erin@example.com');
  });

  it('creates one ticket when the same message is delivered twice', async () => {
    const first = await deliver(fixture('multipart-alternative.eml'));
    const second = await deliver(fixture('multipart-alternative.eml'));

    ticketOf(first);
    expect(second).toMatchObject({ kind: 'duplicate' });
    const { items } = await env.store.ticketsOfPerson('heidi@example.com', { limit: 10 });
    expect(items).toHaveLength(1);
  });

  it('creates nothing for an out-of-office answer', async () => {
    const before = await env.store.getTicket(alice);

    const outcome = await deliver(fixture('ooo-outlook-exchange.eml'));

    expect(outcome).toMatchObject({ kind: 'drop', reason: 'auto-reply' });
    expect((await env.store.getTicket(alice))?.version).toBe(before?.version);
  });

  it('does not put a stranger’s mail with [#N] in the subject on ticket N', async () => {
    const before = await env.store.getTicket(alice);
    const raw = fixture('stranger-token.eml').toString('latin1').replaceAll('[#1042]', `[#${alice}]`);

    const outcome = await deliver(Buffer.from(raw, 'latin1'));

    const stranger = ticketOf(outcome);
    expect(stranger).not.toBe(alice);
    expect((await env.store.getTicket(stranger))?.requester).toBe('mallory@elsewhere.example');
    expect((await env.store.getTicket(alice))?.version).toBe(before?.version);
  });

  it('quarantines malformed mail with a reason and the raw object key', async () => {
    const outcome = await deliver(fixture('malformed.eml'));

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'broken-mime' });
    const [record] = await mail.quarantined(1);
    expect(record).toMatchObject({ reason: 'broken-mime', rawKey: `inbound/${delivery}.eml` });
  });

  it('quarantines mail without headers as no-sender, without a claim', async () => {
    const outcome = await deliver(fixture('no-headers.eml'));

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'no-sender' });
  });

  it('files a delivery-status bounce of our mail on its ticket, internally', async () => {
    await mail.recordMessageId('tierdesk.1042.watcher-notice@tierdesk.local', alice, 'out');

    const outcome = await deliver(fixture('bounce-delivery-status.eml'));

    expect(outcome).toEqual({ kind: 'bounce', ticket: alice });
    const { items } = await env.store.timeline(alice, { limit: 100, includeInternal: true });
    expect(items.at(-1)).toMatchObject({ type: 'mail_bounced', public: false });
  });
});

describe('Class: DynamoMailStore', () => {
  it('counts automatic mails per address and day', async () => {
    expect(await mail.automaticMailsToday('Zed@example.com')).toBe(0);
    await mail.countAutomaticMail('zed@example.com');
    expect(await mail.countAutomaticMail('ZED@example.com')).toBe(2);
    expect(await mail.automaticMailsToday('zed@example.com')).toBe(2);
  });

  it('keeps the first ticket a Message-ID was recorded for', async () => {
    await mail.recordMessageId('first@example.com', 7, 'in');
    await mail.recordMessageId('first@example.com', 8, 'out');
    expect(await mail.ticketByMessageId('first@example.com')).toBe(7);
  });
});
