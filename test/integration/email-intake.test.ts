import { GetObjectCommand } from '@aws-sdk/client-s3';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PRINTER_VENDOR, DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { fixedClock } from '#shared/domain/clock';
import { evaluateClocks } from '#shared/domain/clocks';
import { principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import {
  InboundBusyError,
  type IntakeDeps,
  type IntakeOutcome,
  intake,
  LOOP_SUPPRESSION_MS,
} from '#shared/email/intake';
import type { AttachmentStore } from '#shared/email/mail-objects';
import type { MailThreadParty } from '#shared/email/mail-store';
import { documentClient } from '#shared/store/client';
import { PutCommand, type PutCommandInput } from '#shared/store/sdk';
import { escalateTicket, handOffTicket, resolveTicket } from '#shared/tickets/ticket-actions';
import { updateTicket } from '#shared/tickets/ticket-service';
import { mailWithAttachment } from '#test/fixtures/email/build';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { CONFIG, delivered, fixture } from '#test/fixtures/email/world';
import { spyThrough } from '#test/support/spy-through';
import { freshTable } from '#test/support/table';

/**
 * The intake on DynamoDB Local and a real mail bucket (s3rver) over the committed fixtures. The
 * fixtures were written against tickets #1042–#1044 of a desk that does not exist here: the tests
 * open real tickets by mail and record our outbound Message-IDs for them, as the outbound side
 * will, so the fixtures' references point at those tickets.
 */

const clock = fixedClock('2026-11-20T14:00:00.000Z');
let env: Awaited<ReturnType<typeof freshTable>>;
let bucket: MailBucket;
let mail: DynamoMailStore;
let deps: IntakeDeps;
let delivery = 0;

/** The ticket's vendor in these tests: the address the fixtures' vendor mail comes from. */
const PRINTCO = {
  ...DEMO_PRINTER_VENDOR,
  vendorId: 'printco',
  name: 'PrintCo',
  email: 'vendor-support@printco.example',
};

beforeAll(async () => {
  env = await freshTable(clock);
  bucket = await startMailBucket(clock);
  mail = new DynamoMailStore(env.db, env.tableName, clock);
  deps = {
    tickets: { ...env.tickets, clock },
    mail,
    config: CONFIG,
    attachments: bucket.attachments,
  };
  await env.putVendor(PRINTCO);
});
afterAll(async () => {
  await bucket.stop();
  await env.drop();
});

/**
 * Hands a mail to the intake as a delivery of its own. `from`: the mail comes through the local
 * SMTP stand-in's verification from that sender, DKIM-signed by its domain (the local test key)
 * unless `forged`; without it nobody verified the mail.
 */
const deliver = async (
  raw: Buffer | string,
  via?: { from: string; forged?: boolean },
): Promise<IntakeOutcome> => {
  clock.advance(1000);
  delivery += 1;
  const rawKey = `inbound/${delivery}.eml`;
  if (!via) return intake(deps, { raw: Buffer.from(raw), rawKey });
  return intake(deps, { ...(await delivered(Buffer.from(raw), via.from, via)), rawKey });
};

/** What `data.mail.auth` says of a mail nobody verified. */
const NOT_VERIFIED = { verdict: 'none', reason: 'not-verified', detail: 'not verified' };

const ticketOf = (outcome: IntakeOutcome): number => {
  if (outcome.kind !== 'ticket') throw new Error(`expected a ticket, got ${JSON.stringify(outcome)}`);
  return outcome.ticket;
};

const timeline = async (number: number): Promise<TimelineEvent[]> =>
  (await env.store.timeline(number, { limit: 100, includeInternal: true })).items;

const comments = async (number: number) =>
  (await timeline(number)).filter((event) => event.type === 'comment');

const createdEvent = async (number: number) =>
  (await timeline(number)).find((event) => event.type === 'created');

const objectBytes = async (key: string): Promise<Buffer> => {
  const object = await bucket.s3.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
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
    // What the mailer reads to decide on an acknowledgment.
    expect((await createdEvent(alice))?.data).toEqual({
      mail: { messageId: 'CAF=alice.original.Q7mK@mail.gmail.com', autoReply: true, auth: NOT_VERIFIED },
    });
  });

  it('adds the Gmail reply to our acknowledgment as a comment by the requester, quote stripped', async () => {
    // Prepare: the acknowledgment the outbound side sent for Alice's ticket
    await mail.recordMessageId('tierdesk.1042.ack@tierdesk.local', alice, 'out');

    const outcome = await deliver(fixture('gmail-reply.eml'));

    expect(outcome).toEqual({ kind: 'comment', ticket: alice });
    const [reply] = await comments(alice);
    expect(reply).toMatchObject({ actor: 'alice@example.com', public: true });
    expect(reply?.body).not.toMatch(/wrote:|^>/m);
    expect(reply?.data).toEqual({
      mail: { messageId: 'CAF=alice.reply.x7Qk2Zp@mail.gmail.com', autoReply: true, auth: NOT_VERIFIED },
    });
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

  it.each([
    ['bounce-postfix-no-domain.eml', 'tierdesk.1044.ack@tierdesk.local', 'dave@icloud.example'],
    ['bounce-exim-no-domain.eml', 'tierdesk.1043.reply-1@tierdesk.local', 'carol.jones@contoso.example'],
  ])(
    'files %s, whose From names no domain, on the ticket of the mail it returns',
    async (name, ours, failed) => {
      // Prepare: the ticket of our mail that bounced (Carol's reply was recorded by a test above)
      const ticket =
        (await mail.ticketByMessageId(ours)) ??
        ticketOf(await deliver(carolOriginal.replace('carol.original', `carol.${name}`)));
      await mail.recordMessageId(ours, ticket, 'out');

      // Act: as SES hands a bounce over: the null envelope sender
      const outcome = await intake(deps, {
        raw: fixture(name),
        rawKey: `inbound/${name}`,
        envelope: { mailFrom: '', recipients: ['support@tierdesk.local'] },
      });

      // Assess
      expect(outcome).toEqual({ kind: 'bounce', ticket });
      expect((await timeline(ticket)).at(-1)).toMatchObject({
        type: 'mail_bounced',
        public: false,
        data: { originalMessageId: ours, recipients: [{ address: failed, action: 'failed' }] },
      });
    },
  );
});

describe('Function: intake › delay notices', () => {
  it('files nothing for a delay notice of our mail (Action: delayed): it is no bounce', async () => {
    // Prepare: the ticket of the acknowledgment the notice is about (Alice's, recorded above)
    const ours = 'tierdesk.1042.ack@tierdesk.local';
    const ticket =
      (await mail.ticketByMessageId(ours)) ??
      ticketOf(await deliver(carolOriginal.replace('carol.original', 'carol.delayed')));
    await mail.recordMessageId(ours, ticket, 'out');
    const before = await env.store.getTicket(ticket);

    // Act
    const outcome = await deliver(fixture('delay-postfix.eml'));

    // Assess
    expect(outcome).toEqual({ kind: 'drop', reason: 'delivery-delayed' });
    expect((await env.store.getTicket(ticket))?.version).toBe(before?.version);
  });
});

describe('Function: intake › what the mailer reads', () => {
  it('records on an automated request that Tierdesk may not answer it, and why', async () => {
    const outcome = await deliver(fixture('auto-generated-alert.eml'));

    expect((await createdEvent(ticketOf(outcome)))?.data?.mail).toMatchObject({
      autoReply: false,
      reasons: ['Auto-Submitted: auto-generated'],
    });
  });

  it('flags the sender of such a mail for a day: no automatic mail reaches it until then', async () => {
    const before = clock.now().getTime();
    await deliver(fixture('auto-generated-alert.eml'));

    const suppression = await deps.mail.automaticMailSuppressed('nagios@monitoring.example.com');
    expect(suppression?.reasons).toEqual(['Auto-Submitted: auto-generated']);
    // (the test clock ticks a second per reading)
    const lasts = Date.parse(suppression?.until ?? '') - before;
    expect(lasts).toBeGreaterThanOrEqual(LOOP_SUPPRESSION_MS);
    expect(lasts).toBeLessThan(LOOP_SUPPRESSION_MS + 60_000);
    // A person's mail flags nothing.
    await deliver(carolOriginal);
    expect(await deps.mail.automaticMailSuppressed('carol.jones@contoso.example')).toBeUndefined();
  });
});

describe('Function: intake › attachments', () => {
  /** A kept file's listing: downloadable by its id, named as an uploaded file is. */
  const kept = (name: string) => ({
    id: expect.stringMatching(/^[0-9a-f]{24}$/),
    filename: name,
    name,
    key: expect.any(String),
  });

  /** A fixture as a new message (its own Message-ID), so it is not a duplicate of an earlier test's. */
  const renamed = (name: string, id: string): Buffer =>
    Buffer.from(
      fixture(name)
        .toString('latin1')
        .replace(/^Message-ID: <[^>]+>/im, `Message-ID: <${id}>`),
      'latin1',
    );

  it('keeps them under the ticket and lists them on the created event and in the description', async () => {
    const number = ticketOf(await deliver(fixture('nested-related-inline-image.eml')));

    const listed = (await createdEvent(number))?.data?.attachments as { key: string }[];
    expect(listed).toEqual([
      { ...kept('image001.png'), contentType: 'image/png', size: 70 },
      { ...kept('export-log.pdf'), contentType: 'application/pdf', size: 142 },
    ]);
    for (const { key } of listed) expect(key).toMatch(new RegExp(`^attachments/${number}/[0-9a-f]{24}/`));
    const [png, pdf] = await Promise.all(listed.map(({ key }) => objectBytes(key)));
    expect(png?.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pdf?.toString('latin1')).toMatch(/^%PDF-1\.4/);
    expect((await env.store.getTicket(number))?.description).toMatch(
      /\n\nAttachments: image001\.png \(70 B\), export-log\.pdf \(142 B\)$/,
    );
  });

  it('does not keep an attachment over the size limit (25 MB) and lists it as skipped', async () => {
    const size = 25 * 1024 * 1024;

    const number = ticketOf(await deliver(mailWithAttachment('laptop.img', size)));

    expect((await createdEvent(number))?.data?.attachments).toEqual([
      { name: 'laptop.img', size, skipped: 'too-large' },
    ]);
    expect((await env.store.getTicket(number))?.description).toBe(
      'The disk image is attached.\n\nAttachments: not kept: laptop.img (25.0 MB, too large)',
    );
  }, 30_000);

  it('keeps at most the configured number of files and lists the rest as skipped', async () => {
    const limited: IntakeDeps = { ...deps, config: { ...CONFIG, limits: { maxAttachments: 1 } } };

    const outcome = await intake(limited, {
      raw: renamed('nested-related-inline-image.eml', 'count-limit@example.com'),
      rawKey: 'inbound/count-limit.eml',
    });

    expect((await createdEvent(ticketOf(outcome)))?.data?.attachments).toEqual([
      { ...kept('image001.png'), contentType: 'image/png', size: 70 },
      { name: 'export-log.pdf', size: 142, skipped: 'too-many' },
    ]);
  });

  it('lists the attachments of a reply on its comment', async () => {
    const number = ticketOf(await deliver(carolOriginal.replace('carol.original@', 'carol.second@')));
    const reply = await new MailComposer({
      from: 'Carol Jones <carol.jones@contoso.example>',
      to: 'support@tierdesk.local',
      subject: 'Re: VPN drops every hour',
      inReplyTo: '<carol.second@contoso.example>',
      messageId: '<carol.log@contoso.example>',
      text: 'Here is the client log.',
      attachments: [
        { filename: 'vpn-client.log', content: 'TLS handshake timeout\n', contentType: 'text/plain' },
      ],
    })
      .compile()
      .build();

    expect(await deliver(reply)).toEqual({ kind: 'comment', ticket: number });

    const [comment] = await comments(number);
    expect(comment?.body).toBe('Here is the client log.\n\nAttachments: vpn-client.log (22 B)');
    const [file] = (comment?.data?.attachments ?? []) as { key: string }[];
    expect(comment?.data).toEqual({
      mail: { messageId: 'carol.log@contoso.example', autoReply: true, auth: NOT_VERIFIED },
      attachments: [{ ...kept('vpn-client.log'), contentType: 'text/plain', size: 22, key: file?.key }],
    });
    expect((await objectBytes(file?.key ?? '')).toString()).toBe('TLS handshake timeout\n');
  });

  it('opens one ticket when keeping an attachment failed and the delivery is retried', async () => {
    // Prepare: the bucket throttles the first write (an SDK error: an outage, not the mail's fault).
    let failures = 1;
    const flaky: AttachmentStore = {
      keyOf: (ticket, id, filename) => bucket.attachments.keyOf(ticket, id, filename),
      put: async (key, file) => {
        if (failures-- > 0)
          throw Object.assign(new Error('Slow Down'), { $metadata: { httpStatusCode: 503 } });
        await bucket.attachments.put(key, file);
      },
    };
    const raw = renamed('nested-related-inline-image.eml', 'retry@example.com')
      .toString('latin1')
      .replace('ivan.petrov@contoso.example', 'olivia@example.com');
    const received = { raw: Buffer.from(raw, 'latin1'), rawKey: 'inbound/retry.eml' };

    // Act: the first attempt fails and releases its claim; SES retries the event.
    await expect(intake({ ...deps, attachments: flaky }, received)).rejects.toThrow('Slow Down');
    const retried = await intake({ ...deps, attachments: flaky }, received);

    // Assess
    const number = ticketOf(retried);
    const { items } = await env.store.ticketsOfPerson('olivia@example.com', { limit: 10 });
    expect(items.map((ticket) => ticket.number)).toEqual([number]);
    const listed = (await createdEvent(number))?.data?.attachments as { key: string }[];
    expect(await objectBytes(listed[1]?.key ?? '')).toHaveLength(142);
  });
});

describe('Function: intake › vendor mail', () => {
  const tier = (n: 1 | 2 | 3) => principalFromGroups(`agent.t${n}@tierdesk.local`, [`tier${n}`]);
  const work = { reason: 'Needs the next tier', summary: 'Checked the usual causes.' };
  let number: number;

  /** The fixture, about this test's ticket (the fixtures name #1042). */
  const aboutTicket = (name: string, messageId?: string): Buffer => {
    let text = fixture(name).toString('latin1').replaceAll('1042', String(number));
    if (messageId) text = text.replace(/^Message-ID: <[^>]+>/im, `Message-ID: <${messageId}>`);
    return Buffer.from(text, 'latin1');
  };

  const ucResponse = (ticket: Ticket | undefined) =>
    evaluateClocks({
      facts: ticket?.clocks.facts ?? [],
      applied: [],
      policy: DEMO_STANDARD_POLICY,
      ...(ticket?.clocks.vendor && { vendor: ticket.clocks.vendor }),
      now: clock.now(),
    }).clocks.find((state) => state.clock === 'uc_response');

  beforeAll(async () => {
    number = ticketOf(await deliver(aliceOriginal.replace('Q7mK@', 'vendor.case@')));
    const tickets = deps.tickets;
    await escalateTicket(tickets, tier(1), number, work);
    await escalateTicket(tickets, tier(2), number, work);
    await handOffTicket(tickets, tier(3), number, {
      vendorId: PRINTCO.vendorId,
      message: 'Fuser error 0x51.',
    });
  });

  it('keeps the vendor desk’s automatic acknowledgment as an internal note: the UC clock runs on', async () => {
    const outcome = await deliver(aboutTicket('vendor-auto-ack.eml'), { from: PRINTCO.email });

    expect(outcome).toEqual({ kind: 'comment', ticket: number, vendor: 'note' });
    const note = (await timeline(number)).at(-1);
    expect(note).toMatchObject({
      type: 'comment',
      actor: PRINTCO.email,
      public: false,
      data: {
        vendorId: 'printco',
        automated: true,
        mail: { messageId: 'CRM.case.00551234@printco.example' },
      },
    });
    expect(note?.body).toMatch(/^Thank you for contacting PrintCo Support/);
    const ticket = await env.store.getTicket(number);
    expect(ticket?.clocks.facts.map((fact) => fact.type)).not.toContain('vendor_response');
    expect(ucResponse(ticket)?.status).toBe('running');
  });

  it('records the vendor’s answer as a vendor update by the vendor that meets the UC response clock', async () => {
    const outcome = await deliver(aboutTicket('vendor-reply-plus-address.eml'), { from: PRINTCO.email });

    expect(outcome).toEqual({ kind: 'comment', ticket: number, vendor: 'update' });
    const update = (await timeline(number)).at(-1);
    expect(update).toMatchObject({
      type: 'vendor_update',
      actor: PRINTCO.email,
      public: false,
      data: {
        vendorId: 'printco',
        resolved: false,
        mail: {
          messageId: 'CRM.case.00551234.reply.2@printco.example',
          autoReply: true,
          auth: { verdict: 'pass', reason: 'dmarc-pass', mechanism: 'dmarc' },
        },
      },
    });
    expect(update?.data?.message).toMatch(/^Hello,\n\na technician will replace the fuser unit tomorrow/);
    const ticket = await env.store.getTicket(number);
    expect(ticket).toMatchObject({ tier: 4, status: 'on_hold', vendorId: 'printco' });
    expect(ticket?.clocks.facts.filter((fact) => fact.type === 'vendor_response')).toHaveLength(1);
    expect(ucResponse(ticket)).toMatchObject({ status: 'met', stoppedAt: clock.now().toISOString() });
  });

  it('quarantines the vendor’s mail as refused once the ticket is no longer with them', async () => {
    await resolveTicket(deps.tickets, tier(3), number, { resolution: 'Fuser replaced.' });
    const before = await env.store.getTicket(number);

    const outcome = await deliver(
      aboutTicket('vendor-reply-plus-address.eml', 'CRM.case.00551234.reply.3@printco.example'),
      { from: PRINTCO.email },
    );

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'refused' });
    expect(outcome.kind === 'quarantine' && outcome.detail).toMatch(/not on hold with vendor printco/);
    expect((await env.store.getTicket(number))?.version).toBe(before?.version);
  });
});

describe('Function: intake › which conversation a reply answers', () => {
  const AGENT = 'tom.agent@example.com';
  const notice = 'staff-notice.4711@tierdesk.local';
  const handoff = 'vendor-handoff.4711@tierdesk.local';
  let number: number;

  /** A mail Tierdesk sent in one of the ticket's conversations, as the mailer records it. */
  const sent = async (party: MailThreadParty, messageId: string, recipient: string) => {
    const claim = { ticket: number, eventId: `${party}-${messageId}`, recipient };
    await mail.claimOutbound(claim);
    await mail.recordOutbound({ claim, party, messageIds: [messageId], automatic: true });
  };

  const replyTo = (from: string, inReplyTo: string, body: string) =>
    [
      `From: ${from}`,
      'To: support@tierdesk.local',
      `Subject: Re: [#${number}] Printer on floor 3 jams`,
      `Message-ID: <reply.${(delivery + 1).toString(36)}.${Date.now()}@example.com>`,
      `In-Reply-To: <${inReplyTo}>`,
      `References: <${inReplyTo}>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n');

  beforeAll(async () => {
    number = ticketOf(await deliver(aliceOriginal.replace('Q7mK@', 'conversations@')));
    await env.directory.putUser({
      email: AGENT,
      name: 'Tom',
      role: 'agent',
      tiers: [1],
      updatedAt: clock.now().toISOString(),
    });
    await sent('staff', notice, AGENT);
    await sent('vendor', handoff, 'cases@printco.example');
  });

  it("keeps an agent's answer to a staff notice internal, and adds nobody to the requester's conversation", async () => {
    const watchers = (await env.store.getTicket(number))?.watchers;

    const outcome = await deliver(replyTo(AGENT, notice, 'Requester is on leave until Monday, parking it.'), {
      from: AGENT,
    });

    expect(outcome).toEqual({ kind: 'comment', ticket: number });
    const [note] = (await comments(number)).slice(-1);
    expect(note).toMatchObject({ actor: AGENT, public: false });
    expect(note?.body).toContain('Requester is on leave until Monday');
    expect((await env.store.getTicket(number))?.watchers).toEqual(watchers);
  });

  it('quarantines an answer to a staff notice from someone outside the desk', async () => {
    const before = await comments(number);

    const outcome = await deliver(replyTo('alice@example.com', notice, 'What is this about?'));

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'refused' });
    expect(await comments(number)).toEqual(before);
  });

  it("quarantines a reply in the vendor's conversation from an address that is not the vendor's", async () => {
    const before = await timeline(number);

    const outcome = await deliver(replyTo('jane@printco.example', handoff, 'Our technician comes Tuesday.'));

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'refused' });
    expect(await timeline(number)).toEqual(before);
    expect((await env.store.getTicket(number))?.watchers).not.toContain('jane@printco.example');
  });
});

describe('Function: intake › forged senders', () => {
  /** example.com: the local DNS serves its DKIM key, and no SPF or DMARC. */
  const AGENT = 'priya.agent@example.com';
  /** contoso.example publishes SPF, DKIM and DMARC: a forgery of its people fails. */
  const DANA = 'dana@contoso.example';
  let number: number;

  const mailFrom = (from: string, subject: string, body: string, extra: string[] = []) =>
    [
      `From: ${from}`,
      'To: support@tierdesk.local',
      ...extra,
      `Subject: ${subject}`,
      `Message-ID: <forged.${delivery + 1}.${Date.now()}@mail.example.net>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n');

  beforeAll(async () => {
    await env.directory.putUser({
      email: AGENT,
      name: 'Priya',
      role: 'agent',
      tiers: [1],
      updatedAt: clock.now().toISOString(),
    });
    number = ticketOf(
      await deliver(mailFrom(DANA, 'Expense tool rejects receipts', 'Every receipt since Monday.'), {
        from: DANA,
      }),
    );
    await updateTicket(deps.tickets, principalFromGroups(AGENT, ['tier1']), number, { assignee: AGENT }, {});
  });

  it("quarantines a forged reply in the assignee's name, with the verdict, and puts nothing on the ticket", async () => {
    const before = await timeline(number);

    const outcome = await deliver(
      mailFrom(
        AGENT,
        `Re: [#${number}] Expense tool rejects receipts`,
        'Refund approved, send your bank details.',
      ),
      { from: AGENT, forged: true },
    );

    expect(outcome).toMatchObject({ kind: 'quarantine', reason: 'unauthenticated-staff' });
    const [record] = await mail.quarantined(1);
    expect(record).toMatchObject({
      reason: 'unauthenticated-staff',
      from: AGENT,
      rawKey: `inbound/${delivery}.eml`,
      auth: { verdict: 'none', reason: 'nothing-published' },
    });
    expect(await timeline(number)).toEqual(before);
  });

  it("takes the assignee's signed mail as their public reply, and records how it was authenticated", async () => {
    const outcome = await deliver(
      mailFrom(
        AGENT,
        `Re: [#${number}] Expense tool rejects receipts`,
        'Fixed: the receipt limit was too low.',
      ),
      { from: AGENT },
    );

    expect(outcome).toEqual({ kind: 'comment', ticket: number });
    const [reply] = (await comments(number)).slice(-1);
    expect(reply).toMatchObject({
      actor: AGENT,
      public: true,
      body: 'Fixed: the receipt limit was too low.',
      data: { mail: { auth: { verdict: 'pass', reason: 'aligned-dkim-pass', mechanism: 'dkim' } } },
    });
  });

  it('gives a forged requester’s mail with Cc: an attacker a ticket of its own: no watcher, no acknowledgment, nobody flagged', async () => {
    const watchers = (await env.store.getTicket(number))?.watchers;

    const outcome = await deliver(
      mailFrom(DANA, `Re: [#${number}] Expense tool rejects receipts`, 'Please add my colleague.', [
        'Cc: mallory@attacker.example',
      ]),
      { from: DANA, forged: true },
    );

    const forged = ticketOf(outcome);
    expect(forged).not.toBe(number);
    expect((await env.store.getTicket(number))?.watchers).toEqual(watchers);
    expect(await env.store.getTicket(forged)).toMatchObject({ requester: DANA, watchers: [] });
    expect((await createdEvent(forged))?.data?.mail).toMatchObject({
      autoReply: false,
      reasons: ['sender not authenticated: dmarc=fail header.from=contoso.example'],
      auth: { verdict: 'fail', reason: 'dmarc-fail', mechanism: 'dmarc' },
    });
    // The forged address is Dana's: her own mail must still be answered.
    expect(await mail.automaticMailSuppressed(DANA)).toBeUndefined();
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

  it('holds an inbound claim while it is carried out, and lets a claim whose run died be taken over', async () => {
    expect(await mail.claimInbound('claim-a', 'inbound/a.eml')).toBe('claimed');
    expect(await mail.claimInbound('claim-a', 'inbound/a2.eml')).toBe('busy');
    await mail.completeInbound('claim-a');
    expect(await mail.claimInbound('claim-a', 'inbound/a3.eml')).toBe('done');

    expect(await mail.claimInbound('claim-b', 'inbound/b.eml')).toBe('claimed');
    clock.advance(16 * 60_000);
    expect(await mail.claimInbound('claim-b', 'inbound/b2.eml')).toBe('claimed');
  });
});

describe('Function: intake › a delivery retried after a later step failed', () => {
  const original = [
    'From: Paula Weber <paula@example.com>',
    'To: support@tierdesk.local',
    'Subject: Scanner drops pages',
    'Message-ID: <paula.original@example.com>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The scanner on floor 2 drops every other page.',
    '',
  ].join('\r\n');
  const reply = [
    'From: Paula Weber <paula@example.com>',
    'To: support@tierdesk.local',
    'Subject: Re: Scanner drops pages',
    'Message-ID: <paula.reply@example.com>',
    'In-Reply-To: <paula.original@example.com>',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'It still drops pages after the update.',
    '',
  ].join('\r\n');

  it('writes the comment of a reply once when recording its Message-ID failed and the delivery is retried', async () => {
    // Prepare: the ticket the reply answers; the mail store's client throttles the first write
    // of the reply's Message-ID (an SDK error: an outage, so the intake fails and SES retries).
    const ticket = ticketOf(await deliver(original));
    const db = documentClient(env.client);
    const { mock, passThrough } = spyThrough(db, [PutCommand]);
    let failures = 1;
    mock.on(PutCommand).callsFake((input: PutCommandInput) => {
      if (input.Item?.pk === 'MSGID#paula.reply@example.com' && failures-- > 0) {
        const throttled = { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } };
        return Promise.reject(Object.assign(new Error('Rate exceeded'), throttled));
      }
      return passThrough(PutCommand)(input);
    });
    const flaky = { ...deps, mail: new DynamoMailStore(db, env.tableName, clock) };
    const received = { raw: Buffer.from(reply), rawKey: 'inbound/paula-reply.eml' };
    try {
      // Act: the first delivery writes the comment, then fails; SES delivers the mail again.
      await expect(intake(flaky, received)).rejects.toThrow('Rate exceeded');
      const retried = await intake(flaky, received);

      // Assess
      expect(retried).toEqual({ kind: 'comment', ticket });
      expect((await comments(ticket)).map((event) => event.body)).toEqual([
        'It still drops pages after the update.',
      ]);
      expect(await mail.ticketByMessageId('paula.reply@example.com')).toBe(ticket);
    } finally {
      mock.restore();
    }
  });
});

describe('Function: intake › a delivery whose run died', () => {
  it('fails a second delivery while the first holds the claim, and takes the mail in once that run is over', async () => {
    const raw = aliceOriginal
      .replace('Q7mK@', 'lost.run@')
      .replace('Printer on floor 3 jams', 'Scanner on floor 2');
    // The first delivery's run claimed the mail, then died (a timeout) before finishing.
    const dedupeKey = 'mid:CAF=alice.original.lost.run@mail.gmail.com';
    expect(await mail.claimInbound(dedupeKey, 'inbound/first.eml')).toBe('claimed');

    await expect(deliver(raw)).rejects.toThrow(InboundBusyError);

    clock.advance(16 * 60_000);
    const outcome = await deliver(raw);
    expect(outcome.kind).toBe('ticket');
    expect((await env.store.getTicket(ticketOf(outcome)))?.subject).toBe('Scanner on floor 2');
    expect(await mail.claimInbound(dedupeKey, 'inbound/again.eml')).toBe('done');
  });
});
