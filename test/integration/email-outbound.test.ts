import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { SESClient } from '@aws-sdk/client-ses';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as sesLocalModule from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PRINTER_VENDOR } from '#infra/local/demo/service-levels';
import { type LocalFunction, localFunction } from '#infra/local/lambda';
import { freePort } from '#infra/local/ports';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { fixedClock, systemClock } from '#shared/domain/clock';
import { principalFromGroups } from '#shared/domain/principal';
import type { NewTimelineEvent } from '#shared/domain/timeline';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { MAIL_VARIABLES } from '#shared/email/config';
import { outboundMailKey, ticketKey } from '#shared/store/keys';
import { GetCommand } from '#shared/store/sdk';
import { handOffTicket, resolveTicket, setTicketPending } from '#shared/tickets/ticket-actions';
import { addComment, updateTicket } from '#shared/tickets/ticket-service';
import type { CreateOptions } from '#shared/tickets/ticket-store';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

/**
 * The mailer Lambda as deployed (its entry point, wired from the environment) on DynamoDB Local
 * and a real aws-ses-v2-local. Tickets change through the real use cases; the table's real
 * stream (read by the local stack's poller) yields the records the mailer is invoked with, so a
 * test can hand the same record over twice, as the event source mapping may.
 */

/** aws-ses-v2-local is CommonJS with an `exports.default` (see infra/local/mail.ts). */
type StartSes = typeof sesLocalModule.default;
const startSes: StartSes =
  (sesLocalModule.default as unknown as { default?: StartSes }).default ?? sesLocalModule.default;

const SUPPORT = 'support@tierdesk.local';
const CAP = 3;
const AGENT = 'tom.agent@example.com';
const SUPERVISOR = 'sam.supervisor@example.com';

let env: Awaited<ReturnType<typeof freshTable>>;
let ses: Server;
let sesUrl: string;
let poller: StreamPoller;
let mailer: LocalFunction;
let mail: DynamoMailStore;
const streamed: DynamoDBRecord[] = [];

beforeAll(async () => {
  // The deployed clock: counters and claims are dated as the function dates them.
  env = await freshTable(systemClock);
  const port = await freePort();
  ses = await startSes({ host: '127.0.0.1', port });
  sesUrl = `http://127.0.0.1:${port}`;
  const variables: Record<string, string> = {
    TABLE_NAME: env.tableName,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: env.endpoint,
    AWS_ENDPOINT_URL_SES: sesUrl,
    [MAIL_VARIABLES.supportAddresses]: SUPPORT,
    [MAIL_VARIABLES.dailyAutomaticMailCap]: String(CAP),
  };
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  // Loaded after the environment is set: the entry point wires its clients at load, as on Lambda.
  const { handler } = await import('#functions/email/send-mail');
  mailer = localFunction('tierdesk-send-mail', handler as never, 30_000);
  mail = new DynamoMailStore(env.db, env.tableName, systemClock);

  poller = await startStreamPoller({
    endpoint: env.endpoint,
    tableName: env.tableName,
    handler: async ({ Records }) => {
      streamed.push(...Records);
      return { batchItemFailures: [] };
    },
  });
  await env.directory.putUser({
    email: AGENT,
    name: 'Tom',
    role: 'agent',
    tiers: [1, 3],
    updatedAt: '2026-11-01T00:00:00Z',
  });
  await env.directory.putUser({
    email: SUPERVISOR,
    name: 'Sam',
    role: 'supervisor',
    tiers: [],
    updatedAt: '2026-11-01T00:00:00Z',
  });
  await env.putVendor({ ...DEMO_PRINTER_VENDOR, vendorId: 'printco', email: 'cases@printco.example' });
});

afterAll(async () => {
  await poller?.stop();
  await new Promise<void>((resolve) => {
    ses?.close(() => resolve());
    ses?.closeAllConnections();
  });
  await env?.drop();
  vi.unstubAllEnvs();
});

const tickets = () => ({ ...env.tickets, clock: systemClock });
const agent = principalFromGroups(AGENT, ['tier1', 'tier3']);
const person = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

const open = async (
  requester: string,
  options: CreateOptions & { watchers?: string[]; tier?: 1 | 3 } = {},
) => {
  const at = new Date().toISOString();
  const { ticket } = await env.store.createTicket(
    ticketDraft(at, {
      requester,
      createdBy: requester,
      watchers: options.watchers ?? [],
      tier: options.tier ?? 1,
      group: `tier${options.tier ?? 1}`,
    }),
    undefined,
    options,
  );
  return ticket.number;
};

/** The stream records of a ticket's timeline events so far, oldest first. */
const eventRecords = async (ticket: number): Promise<DynamoDBRecord[]> => {
  await poller.drain();
  return streamed.filter(
    (record) =>
      record.eventName === 'INSERT' &&
      record.dynamodb?.NewImage?.pk?.S === ticketKey(ticket).pk &&
      record.dynamodb.NewImage.entity?.S === 'event',
  );
};

const invoke = async (Records: DynamoDBRecord[]) =>
  (await mailer.invoke({ Records })) as DynamoDBBatchResponse;

/** Hands every event record of the ticket not handed over yet to the mailer. */
const handled = new Set<string>();
const mailFor = async (ticket: number): Promise<DynamoDBBatchResponse> => {
  const fresh = (await eventRecords(ticket)).filter((record) => !handled.has(record.eventID ?? ''));
  const response = await invoke(fresh);
  for (const record of fresh) handled.add(record.eventID ?? '');
  return response;
};

interface SentMail {
  messageId: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

const sentTo = async (address: string): Promise<SentMail[]> => {
  const response = await fetch(`${sesUrl}/store`);
  const { emails } = (await response.json()) as { emails: SentMail[] };
  return emails.filter((email) => email.destination.to.some((to) => to.includes(address)));
};

describe('Lambda: send-mail', () => {
  it('acknowledges a new ticket once, and records the ids a reply will carry', async () => {
    const ana = person('ana');
    const number = await open(ana);

    expect(await mailFor(number)).toEqual({ batchItemFailures: [] });

    const [ack, ...more] = await sentTo(ana);
    expect(more).toEqual([]);
    expect(ack?.subject).toBe(`[#${number}] Printer offline`);
    expect(ack?.replyTo.join()).toContain(`support+${number}@tierdesk.local`);
    expect(ack?.body.text).toContain(`opened ticket [#${number}]`);
    // SES puts its own Message-ID on the mail: a reply answering it finds the ticket.
    expect(await mail.ticketByMessageId(`${ack?.messageId}@email.amazonses.com`)).toBe(number);
    const thread = await mail.mailThread({ ticket: number, party: 'requester' });
    expect(thread?.root).toHaveLength(2);
    expect(thread?.root[1]).toBe(`${ack?.messageId}@email.amazonses.com`);
    expect(await mail.automaticMailsToday(ana)).toBe(1);
    // The next automatic mail reads the same three items in one request.
    expect(await mail.automaticMailState(ana, { ticket: number, party: 'requester' })).toEqual({
      sentToday: 1,
      thread,
    });
    await mail.suppressAutomaticMail(ana, ['loop'], new Date(Date.now() + 86_400_000));
    expect(
      (await mail.automaticMailState(ana, { ticket: number, party: 'requester' })).suppression?.reasons,
    ).toEqual(['loop']);
  });

  it('sends nothing twice for a redelivered record', async () => {
    const ana = person('ana');
    const number = await open(ana);
    const records = await eventRecords(number);

    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });

    expect(await sentTo(ana)).toHaveLength(1);
    expect(await mail.automaticMailsToday(ana)).toBe(1);
  });

  it("answers the requester's mail with the acknowledgment, unless the loop rules forbid it", async () => {
    const ana = person('ana');
    const original = `${randomUUID()}@Mail.Example.com`;
    const fromMail = await open(ana, {
      createdData: () => ({ mail: { messageId: original, autoReply: true } }),
    });
    const bulk = person('newsletter');
    const quiet = await open(bulk, {
      createdData: () => ({
        mail: { messageId: `${randomUUID()}@x.example`, autoReply: false, reasons: ['precedence: bulk'] },
      }),
    });

    await mailFor(fromMail);
    await mailFor(quiet);

    expect(await sentTo(ana)).toHaveLength(1);
    expect((await mail.mailThread({ ticket: fromMail, party: 'requester' }))?.original).toBe(
      original.replace('@Mail.Example.com', '@mail.example.com'),
    );
    expect(await sentTo(bulk)).toEqual([]);
  });

  it("threads the requester's conversation apart from the vendor's", async () => {
    const ana = person('ana');
    const original = `${randomUUID()}@mail.example.com`;
    const number = await open(ana, {
      tier: 3,
      createdData: () => ({ mail: { messageId: original, autoReply: true } }),
    });
    await mailFor(number);
    const [ack] = await sentTo(ana);
    const ackId = `${ack?.messageId}@email.amazonses.com`;
    const answer = `${randomUUID()}@mail.example.com`;
    await addComment(
      tickets(),
      principalFromGroups(ana, ['requesters']),
      number,
      { body: 'It happens on duplex jobs.', public: true },
      { data: { mail: { messageId: answer, autoReply: true } } },
    );
    await handOffTicket(tickets(), agent, number, { vendorId: 'printco', message: 'Fuser unit fault.' });
    await mailFor(number);

    const requesterThread = await mail.mailThread({ ticket: number, party: 'requester' });
    expect(requesterThread).toMatchObject({ original, latest: [answer] });
    expect(requesterThread?.root).toContain(ackId);
    const vendorThread = await mail.mailThread({ ticket: number, party: 'vendor' });
    const [handoff] = (await sentTo('cases@printco.example')).filter((sent) =>
      sent.subject.includes(`[#${number}]`),
    );
    expect(vendorThread?.original).toBeUndefined();
    expect(vendorThread?.latest).toContain(`${handoff?.messageId}@email.amazonses.com`);
    expect(vendorThread?.root).toEqual(vendorThread?.latest);
  });

  it('tells the assignee of an assignment and once per burst of requester replies, never the one who acted', async () => {
    const ana = person('ana');
    const number = await open(ana);
    await mailFor(number);
    const sam = principalFromGroups(SUPERVISOR, ['supervisors']);
    await updateTicket(tickets(), sam, number, { assignee: AGENT }, {});
    const requester = principalFromGroups(ana, ['requesters']);
    for (const body of ['Any news?', 'It is getting worse.', 'Now the second printer too.']) {
      await addComment(tickets(), requester, number, { body, public: true });
    }
    await mailFor(number);

    const notices = (await sentTo(AGENT)).filter((sent) => sent.subject.includes(`[#${number}]`));
    expect(notices.map((sent) => sent.subject)).toEqual([
      `[#${number}] Assigned to you: Printer offline`,
      `[#${number}] New reply: Printer offline`,
    ]);
    expect(notices[1]?.body.text).toContain('Any news?');
    // The supervisor who assigned, and the requester who wrote, hear nothing of their own actions.
    expect((await sentTo(SUPERVISOR)).filter((sent) => sent.subject.includes(`[#${number}]`))).toEqual([]);
    expect((await sentTo(ana)).filter((sent) => sent.subject.includes('New reply'))).toEqual([]);
  });

  it('mails a public staff reply to the requester and watchers, never an internal note, never the desk itself', async () => {
    const ana = person('ana');
    const carol = person('carol');
    const number = await open(ana, { watchers: [carol, SUPPORT, AGENT] });
    await mailFor(number);

    await addComment(tickets(), agent, number, {
      body: 'Internal: the user is on leave next week.',
      public: false,
    });
    await mailFor(number);
    expect((await sentTo(carol)).length).toBe(0);
    expect((await sentTo(ana)).map((sent) => sent.subject)).toEqual([`[#${number}] Printer offline`]);

    await addComment(tickets(), agent, number, { body: 'Please restart the printer.', public: true });
    await mailFor(number);

    const [reply] = (await sentTo(ana)).filter((sent) => sent.subject.startsWith('Re:'));
    expect(reply?.subject).toBe(`Re: [#${number}] Printer offline`);
    expect(reply?.body.text).toContain('Please restart the printer.');
    expect(reply?.body.text).not.toContain('on leave');
    expect((await sentTo(carol)).map((sent) => sent.body.text)).toEqual([reply?.body.text]);
    expect(await sentTo(SUPPORT)).toEqual([]);
    // Tom, a watcher who is an agent of the group, gets no copy of the desk's reply (other
    // tickets' requesters' replies do notify him, as an agent of their group).
    expect((await sentTo(AGENT)).filter((sent) => sent.subject.includes(`[#${number}]`))).toEqual([]);
    // A person's reply counts toward no cap of automatic mail.
    expect(await mail.automaticMailsToday(carol)).toBe(0);
  });

  it('sends no automatic mail over the daily cap, nor to a suppressed address, and still sends replies', async () => {
    const capped = person('capped');
    for (let sent = 0; sent < CAP; sent++) await mail.countAutomaticMail(capped);
    const suppressed = person('looping');
    await mail.suppressAutomaticMail(suppressed, ['auto-reply loop'], new Date(Date.now() + 3600_000));

    const overCap = await open(capped);
    const looping = await open(suppressed);
    await mailFor(overCap);
    await mailFor(looping);
    expect(await sentTo(capped)).toEqual([]);
    expect(await sentTo(suppressed)).toEqual([]);

    await addComment(tickets(), agent, looping, { body: 'A person answers anyway.', public: true });
    await mailFor(looping);
    expect((await sentTo(suppressed)).map((sent) => sent.body.text?.split('\n')[0])).toEqual([
      'A person answers anyway.',
    ]);
  });

  it('tells the requester about pending and resolved, with the reopen hint', async () => {
    const ana = person('ana');
    const number = await open(ana);
    await setTicketPending(tickets(), agent, number, { reason: 'Which printer exactly?' });
    await resolveTicket(tickets(), agent, number, { resolution: 'Replaced the toner.' });
    await mailFor(number);

    const subjects = (await sentTo(ana)).map((sent) => sent.subject);
    expect(subjects).toEqual([
      `[#${number}] Printer offline`,
      `[#${number}] Waiting for your answer: Printer offline`,
      `[#${number}] Resolved: Printer offline`,
    ]);
    const resolved = (await sentTo(ana)).at(-1);
    expect(resolved?.body.text).toContain('Replaced the toner.');
    expect(resolved?.body.text).toContain('reopens');
  });

  it('mails the hand-off message to the vendor, with a Reply-To that threads to the ticket', async () => {
    const ana = person('ana');
    const number = await open(ana, { tier: 3 });
    await handOffTicket(tickets(), agent, number, {
      vendorId: 'printco',
      message: 'Fuser unit fault, please replace.',
    });
    await mailFor(number);

    const [handoff, ...more] = (await sentTo('cases@printco.example')).filter((sent) =>
      sent.subject.includes(`[#${number}]`),
    );
    expect(more).toEqual([]);
    expect(handoff?.subject).toBe(`[#${number}] Service request: Printer offline`);
    expect(handoff?.replyTo.join()).toContain(`support+${number}@tierdesk.local`);
    expect(handoff?.body.text).toContain('Fuser unit fault, please replace.');
    expect(handoff?.body.text).not.toContain('The 3rd floor printer says offline.');
  });

  it("resolves a workflow notice for a group and the supervisors to the group's agents and the supervisors", async () => {
    const ana = person('ana');
    const number = await open(ana);
    await mailFor(number);
    const notice: NewTimelineEvent = {
      type: 'notification',
      at: new Date().toISOString(),
      actor: 'tierdesk',
      public: false,
      data: {
        template: 'clock_warning',
        to: ['group:tier1', 'role:supervisors'],
        clock: 'first_response',
        tier: 1,
        due: '2026-11-20T15:30:00.000Z',
      },
    };
    await env.store.mutateTicket(number, (ticket) => ({ ticket, events: [notice] }));
    await mailFor(number);

    const [warning, ...more] = (await sentTo(AGENT)).filter((sent) => sent.subject.includes(`[#${number}]`));
    expect(more).toEqual([]);
    expect(warning?.subject).toBe(`[#${number}] Warning: first response due 2026-11-20 15:30 UTC`);
    expect((await sentTo(SUPERVISOR)).map((sent) => sent.subject)).toContain(warning?.subject);
    expect((await sentTo(ana)).map((sent) => sent.subject)).toEqual([`[#${number}] Printer offline`]);
  });

  it('fails the record when SES fails, gives the claim back, and sends on the retry', async () => {
    const ana = person('ana');
    const number = await open(ana);
    const records = await eventRecords(number);
    const sesMock = mockClient(SESClient);
    sesMock.rejects(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }));
    try {
      expect(await invoke(records)).toEqual({
        batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }],
      });
    } finally {
      sesMock.restore();
    }
    const [created] = records;
    const eventId = created?.dynamodb?.NewImage?.sk?.S?.slice('EVENT#'.length) ?? '';
    const { Item } = await env.db.send(
      new GetCommand({ TableName: env.tableName, Key: outboundMailKey(number, eventId, ana) }),
    );
    expect(Item).toBeUndefined();
    expect(await sentTo(ana)).toEqual([]);
    expect(await mail.automaticMailsToday(ana)).toBe(0);

    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    expect(await sentTo(ana)).toHaveLength(1);
  });

  it('fails the record while another run holds the claim, and sends once that run let it go', async () => {
    const ana = person('ana');
    const number = await open(ana);
    const records = await eventRecords(number);
    const eventId = records[0]?.dynamodb?.NewImage?.sk?.S?.slice('EVENT#'.length) ?? '';
    const held = { ticket: number, eventId, recipient: ana };
    expect(await mail.claimOutbound(held)).toBe('claimed');

    expect(await invoke(records)).toEqual({
      batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber }],
    });
    expect(await sentTo(ana)).toEqual([]);

    await mail.releaseOutbound(held);
    expect(await invoke(records)).toEqual({ batchItemFailures: [] });
    expect(await sentTo(ana)).toHaveLength(1);
  });
});

describe('Class: DynamoMailStore (outbound)', () => {
  const clock = fixedClock('2026-11-20T14:00:00.000Z');
  const store = () => new DynamoMailStore(env.db, env.tableName, clock);
  const claim = () => ({
    ticket: 901,
    eventId: `0000000001#${randomUUID().slice(0, 3)}`,
    recipient: person('x'),
  });

  it('claims a mail once; a claim left sending by a dead run is taken over, a sent one never', async () => {
    const abandoned = claim();
    const sent = claim();

    expect(await store().claimOutbound(abandoned)).toBe('claimed');
    expect(await store().claimOutbound(abandoned)).toBe('busy');
    expect(await store().claimOutbound(sent)).toBe('claimed');
    await store().recordOutbound({
      claim: sent,
      party: 'requester',
      messageIds: [`${randomUUID()}@x`],
      automatic: false,
    });
    await store().releaseOutbound(sent);
    clock.advance(16 * 60_000);

    expect(await store().claimOutbound(abandoned)).toBe('claimed');
    expect(await store().claimOutbound(sent)).toBe('sent');
  });

  it('suppresses automatic mail until the flag expires, and a shorter flag does not cut a longer one', async () => {
    const address = person('loop');
    const now = clock.now().getTime();
    await store().suppressAutomaticMail(address, ['auto-reply loop'], new Date(now + 2 * 3600_000));
    await store().suppressAutomaticMail(address.toUpperCase(), ['daily cap'], new Date(now + 3600_000));

    expect(await store().automaticMailSuppressed(address)).toEqual({
      reasons: ['auto-reply loop'],
      until: new Date(now + 2 * 3600_000).toISOString(),
    });
    clock.advance(2 * 3600_000);
    expect(await store().automaticMailSuppressed(address)).toBeUndefined();
  });

  it('moves a thread on to the newest mail, and not back for a redelivered older one', async () => {
    const thread = { ticket: 902, party: 'requester' as const };
    await store().recordInboundInThread(thread, {
      eventId: '0000000001#000',
      messageId: 'first@x',
      original: true,
    });
    await store().recordInboundInThread(thread, {
      eventId: '0000000003#000',
      messageId: 'third@x',
      original: false,
    });
    await store().recordInboundInThread(thread, {
      eventId: '0000000002#000',
      messageId: 'second@x',
      original: false,
    });

    expect(await store().mailThread(thread)).toEqual({ original: 'first@x', root: [], latest: ['third@x'] });
    expect(await store().mailThread({ ticket: 902, party: 'vendor' })).toBeUndefined();
  });
});

describe('Method: DynamoMailStore.claimStaffNotice', () => {
  it('allows one notice per person per ticket in five minutes, again for the same event, and again after', async () => {
    const clock = fixedClock('2026-11-23T09:00:00.000Z');
    const store = new DynamoMailStore(env.db, env.tableName, clock);
    const window = 5 * 60_000;
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'Tom.Agent@example.com', kind: 'requester_notice' },
        'e1',
        window,
      ),
    ).toBe(true);
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'tom.agent@example.com', kind: 'requester_notice' },
        'e2',
        window,
      ),
    ).toBe(false);
    // A redelivered record claims again: its first attempt may have failed before sending.
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'tom.agent@example.com', kind: 'requester_notice' },
        'e1',
        window,
      ),
    ).toBe(true);
    // Another ticket, another person, or another kind of notice is another notice.
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'tom.agent@example.com', kind: 'assigned_notice' },
        'e2',
        window,
      ),
    ).toBe(true);
    expect(
      await store.claimStaffNotice(
        { ticket: 8, address: 'tom.agent@example.com', kind: 'requester_notice' },
        'e2',
        window,
      ),
    ).toBe(true);
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'priya@example.com', kind: 'requester_notice' },
        'e2',
        window,
      ),
    ).toBe(true);
    clock.advance(window - 1);
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'tom.agent@example.com', kind: 'requester_notice' },
        'e3',
        window,
      ),
    ).toBe(false);
    clock.advance(1);
    expect(
      await store.claimStaffNotice(
        { ticket: 7, address: 'tom.agent@example.com', kind: 'requester_notice' },
        'e3',
        window,
      ),
    ).toBe(true);
  });
});
