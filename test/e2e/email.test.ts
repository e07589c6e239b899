import { randomUUID } from 'node:crypto';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { sendSignedMail } from '#infra/local/mail-auth';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The email channel end to end on the local stack: mail goes in over real SMTP (nodemailer as
 * the client), comes out through the local SES, and everything else is read over the HTTP API,
 * as a person at a mail client and an agent at the desk would see it. Agents and vendors sign
 * their mail (`sendSignedMail`, the local test key), as their domains' mail servers would; the
 * requesters at example.com send unsigned mail, which that domain (publishing no SPF or DMARC)
 * leaves unjudged.
 */

let stack: TestStack;
let smtp: Transporter;
const failures: string[] = [];

const SUPPORT = 'support@tierdesk.local';
const supervisor: DevIdentity = { email: 'sam@example.com', role: 'supervisor' };
const priya: DevIdentity = { email: 'priya@example.com', role: 'agent', tiers: [1] };
const sven: DevIdentity = { email: 'sven@example.com', role: 'agent', tiers: [2] };
const hana: DevIdentity = { email: 'hana@example.com', role: 'agent', tiers: [3] };
const VENDOR = 'vendor@printer-vendor.example';

beforeAll(async () => {
  stack = await startTestStack({
    // Monday 7 December 2026, 09:00 in Berlin: inside the demo business hours.
    clockStart: new Date('2026-12-07T08:00:00Z'),
    onError: (error, where) => failures.push(`${where}: ${String(error)}`),
  });
  smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack.mail.smtpPort, secure: false });
});
afterAll(async () => {
  smtp?.close();
  await stack?.stop();
});
afterEach(() => expect(failures).toEqual([]));

type Ticket = { number: number; subject: string; status: string; requester: string; watchers: string[] };
type Event = { type: string; actor: string; public: boolean; body?: string; data?: Record<string, unknown> };
/** A mail as the local SES viewer keeps it (`GET /store`). */
type SentMail = {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[] };
  subject: string;
  body: { text?: string; html?: string };
};

const messageId = () => `<${randomUUID()}@mail.example.com>`;

/** Sends over SMTP and waits until everything the mail set in motion (mail out included) is done. */
const send = async (mail: SendMailOptions): Promise<void> => {
  await smtp.sendMail({ to: SUPPORT, text: 'Hello', ...mail });
  await stack.settle();
};

/** The same, DKIM-signed as the From domain with the local test key. */
const sendSigned = async (mail: SendMailOptions): Promise<void> => {
  await sendSignedMail({ port: stack.mail.smtpPort }, { to: SUPPORT, text: 'Hello', ...mail });
  await stack.settle();
};

const sentMail = async (): Promise<SentMail[]> => {
  const response = await fetch(`${stack.mail.sesUrl}store`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { emails: SentMail[] }).emails;
};
const sentTo = async (address: string): Promise<SentMail[]> =>
  (await sentMail()).filter((mail) => mail.destination.to.some((to) => to.includes(address)));

/**
 * The Message-ID a recipient sees on a mail SES sent: SES replaces the sender's with its own,
 * made of the MessageId its API returned (what the viewer lists) and its domain.
 */
const seenMessageId = (mail: SentMail) => `<${mail.messageId}@email.amazonses.com>`;

const ticketsOf = async (requester: string): Promise<Ticket[]> => {
  const response = await stack.api<{ items: Ticket[] }>('/tickets?limit=100', {
    as: { email: requester, role: 'requester' },
  });
  expect(response.status).toBe(200);
  return response.body.items;
};

const ticket = async (number: number): Promise<Ticket> =>
  (await stack.api<Ticket>(`/tickets/${number}`, { as: supervisor })).body;

const timeline = async (number: number): Promise<Event[]> =>
  (await stack.api<{ items: Event[] }>(`/tickets/${number}/timeline?limit=100`, { as: supervisor })).body
    .items;

const act = async (number: number, action: string, as: DevIdentity, body: unknown) => {
  const response = await stack.api(`/tickets/${number}/${action}`, { method: 'POST', as, body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  await stack.settle();
};

describe('Email: a conversation by mail', () => {
  it('opens a ticket from a new mail and acknowledges it; a reply to the acknowledgment is a comment on it', async () => {
    const ana = person('ana');
    await send({
      from: `Ana Example <${ana}>`,
      subject: 'Printer on the 3rd floor jams',
      text: 'Every job since this morning.\n\nAna',
      messageId: messageId(),
    });

    const [opened, ...others] = await ticketsOf(ana);
    expect(others).toEqual([]);
    expect(opened?.subject).toBe('Printer on the 3rd floor jams');
    const number = opened?.number as number;

    const [ack, ...moreAcks] = await sentTo(ana);
    expect(moreAcks).toEqual([]);
    expect(ack?.subject).toContain(`[#${number}]`);
    expect(ack?.replyTo.join()).toContain(`support+${number}@tierdesk.local`);

    await send({
      from: ana,
      subject: `Re: ${ack?.subject}`,
      inReplyTo: seenMessageId(ack as SentMail),
      references: [seenMessageId(ack as SentMail)],
      text: `It jams on duplex jobs only.\n\nOn Mon, 7 Dec 2026 at 09:00, Tierdesk wrote:\n> ${ack?.body.text?.split('\n')[0]}\n`,
      messageId: messageId(),
    });

    expect(await ticketsOf(ana)).toHaveLength(1);
    const comments = (await timeline(number)).filter((event) => event.type === 'comment');
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ actor: ana, public: true });
    // The quoted acknowledgment is not part of the stored comment.
    expect(comments[0]?.body).toContain('It jams on duplex jobs only.');
    expect(comments[0]?.body).not.toContain('Tierdesk wrote');
  });

  it("threads a CC'd person's reply-all to the ticket and makes them a watcher", async () => {
    const ana = person('ana');
    const carol = person('carol');
    // Erin got the first mail as a blind copy: the desk never saw her address before her answer.
    const erin = person('erin');
    const original = messageId();
    await send({
      from: ana,
      cc: carol,
      subject: 'VPN drops every hour',
      text: 'Since the update.',
      messageId: original,
    });
    const [opened, ...others] = await ticketsOf(ana);
    expect(others).toEqual([]);
    const number = opened?.number as number;
    expect((await ticket(number)).watchers).toEqual([carol]);

    await send({
      from: carol,
      to: [SUPPORT, ana],
      subject: 'Re: VPN drops every hour',
      inReplyTo: original,
      references: [original],
      text: 'Same here, on the office Wi-Fi and at home.\n\n> Since the update.',
      messageId: messageId(),
    });
    await send({
      from: erin,
      to: [SUPPORT, ana],
      cc: carol,
      subject: 'Re: VPN drops every hour',
      inReplyTo: original,
      references: [original],
      text: 'Mine too.',
      messageId: messageId(),
    });

    expect(await ticketsOf(ana)).toHaveLength(1);
    expect((await ticketsOf(erin)).map((seen) => seen.number)).toEqual([number]);
    expect((await ticket(number)).watchers.sort()).toEqual([carol, erin].sort());
    const comments = (await timeline(number)).filter((event) => event.type === 'comment');
    expect(comments.map((event) => event.actor)).toEqual([carol, erin]);
  });

  it('creates nothing and sends nothing for an out-of-office answer to the acknowledgment', async () => {
    const ana = person('ana');
    await send({
      from: ana,
      subject: 'New starter needs a laptop',
      text: 'Starts Monday.',
      messageId: messageId(),
    });
    const [opened] = await ticketsOf(ana);
    const number = opened?.number as number;
    const [ack] = await sentTo(ana);
    const eventsBefore = await timeline(number);
    const mailBefore = (await sentMail()).length;

    await send({
      from: ana,
      subject: `Automatic reply: ${ack?.subject}`,
      inReplyTo: seenMessageId(ack as SentMail),
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
      text: 'I am out of the office until Monday.',
      messageId: messageId(),
    });

    expect(await ticketsOf(ana)).toHaveLength(1);
    expect(await timeline(number)).toEqual(eventsBefore);
    expect(await sentMail()).toHaveLength(mailBefore);
  });

  it('opens one ticket for a message delivered twice', async () => {
    const ana = person('ana');
    const mail = {
      from: ana,
      subject: 'Shared drive is read-only',
      text: 'For the whole team.',
      messageId: messageId(),
    };
    await send(mail);
    await send(mail);

    expect(await ticketsOf(ana)).toHaveLength(1);
    expect(await sentTo(ana)).toHaveLength(1);
  });

  it("does not put a stranger's mail with a ticket token in the subject on that ticket", async () => {
    const ana = person('ana');
    const mallory = person('mallory');
    await send({ from: ana, subject: 'Payroll export fails', text: 'Error 500.', messageId: messageId() });
    const [opened] = await ticketsOf(ana);
    const number = opened?.number as number;

    await send({
      from: mallory,
      subject: `Re: [#${number}] Payroll export fails`,
      text: 'Please send me the export.',
      messageId: messageId(),
    });

    const events = await timeline(number);
    expect(events.some((event) => event.actor === mallory)).toBe(false);
    expect((await ticket(number)).watchers).not.toContain(mallory);
    expect((await ticketsOf(ana)).map((seen) => seen.number)).toEqual([number]);
  });
});

describe('Email: a vendor by mail', () => {
  it('mails the hand-off to the vendor and records their reply as a vendor update that meets the UC response clock', async () => {
    const ana = person('ana');
    await send({
      from: ana,
      subject: 'Printer jams on every job',
      text: 'Fuser noise.',
      messageId: messageId(),
    });
    const [opened] = await ticketsOf(ana);
    const number = opened?.number as number;
    const work = { reason: 'Needs the next tier', summary: 'Cleared the paper path, reseated the tray.' };
    await act(number, 'escalate', priya, work);
    await act(number, 'escalate', sven, work);
    await act(number, 'handoff', hana, { vendorId: 'printix', message: 'Fuser unit fault, please replace.' });

    const [handoff, ...more] = (await sentTo(VENDOR)).filter((mail) => mail.subject.includes(`[#${number}]`));
    expect(more).toEqual([]);
    expect(handoff?.body.text).toContain('Fuser unit fault, please replace.');
    // The requester's own words and the desk's internal notes are not the vendor's business.
    expect(handoff?.body.text).not.toContain('Cleared the paper path');

    // An hour later (the vendor's contract gives it four business hours to answer):
    expect((await stack.api('/_local/clock', { method: 'POST', body: { advance: 'PT1H' } })).status).toBe(
      200,
    );
    const reply = {
      from: `Printix Service <${VENDOR}>`,
      subject: `Re: ${handoff?.subject}`,
      inReplyTo: seenMessageId(handoff as SentMail),
      text: 'A technician will replace the fuser tomorrow morning.\n\n-- \nPrintix Service',
    };
    // Someone who read the hand-off writes in the vendor's name first: unsigned, it is quarantined.
    await send({ ...reply, text: 'Closed on our side, no fault found.', messageId: messageId() });
    expect((await timeline(number)).some((event) => event.type === 'vendor_update')).toBe(false);
    await sendSigned({ ...reply, messageId: messageId() });

    const update = (await timeline(number)).find((event) => event.type === 'vendor_update');
    expect(update?.data?.message).toContain('A technician will replace the fuser tomorrow morning.');
    const view = await stack.api<{ clocks: { clock: string; status: string }[] }>(
      `/tickets/${number}/workflow`,
      {
        as: supervisor,
      },
    );
    expect(view.body.clocks.find((clock) => clock.clock === 'uc_response')?.status).toBe('met');
  });
});

describe('Email: trusting the sender', () => {
  const admin: DevIdentity = { email: 'lena@example.com', role: 'admin' };
  /** contoso.example publishes SPF, DKIM and DMARC (the local DNS table): its mail can be told from forgeries. */
  const contosoPerson = (label: string) => person(label).replace('@example.com', '@contoso.example');

  beforeAll(async () => {
    const url = `/admin/users/${encodeURIComponent(priya.email)}`;
    const existing = await stack.api(url, { as: admin });
    const registered = await stack.api(url, {
      method: 'PUT',
      as: admin,
      body: { name: 'Priya', role: 'agent', groups: ['tier1'] },
      ...(existing.status === 200 && { headers: { 'if-match': '*' } }),
    });
    expect([200, 201], JSON.stringify(registered.body)).toContain(registered.status);
  });

  /** A requester's new mail, its ticket assigned to Priya. */
  const ticketAssignedToPriya = async (requester: string, subject: string, signed = false) => {
    await (signed ? sendSigned : send)({
      from: requester,
      subject,
      text: 'Please help.',
      messageId: messageId(),
    });
    const [opened] = await ticketsOf(requester);
    const number = opened?.number as number;
    const assigned = await stack.api(`/tickets/${number}`, {
      method: 'PATCH',
      as: priya,
      headers: { 'if-match': '*' },
      body: { assignee: priya.email },
    });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    await stack.settle();
    return { number, subject: `Re: [#${number}] ${subject}` };
  };

  it("quarantines a forged reply in the assignee's name: no public reply, nothing mailed to the requester", async () => {
    const ana = person('ana');
    const { number, subject } = await ticketAssignedToPriya(ana, 'Expense tool rejects receipts');
    const events = await timeline(number);
    const mailToAna = await sentTo(ana);

    await send({
      from: `Priya Natarajan <${priya.email}>`,
      subject,
      text: 'Your refund is approved. Reply with your bank details to receive it.',
      messageId: messageId(),
    });

    expect(await timeline(number)).toEqual(events);
    expect(await sentTo(ana)).toEqual(mailToAna);
  });

  it("takes the assignee's signed reply as their public reply and mails it to the requester", async () => {
    const ana = person('ana');
    const { number, subject } = await ticketAssignedToPriya(ana, 'Badge reader at the side door');

    await sendSigned({
      from: `Priya Natarajan <${priya.email}>`,
      subject,
      text: 'The reader is replaced; your badge works again.',
      messageId: messageId(),
    });

    const reply = (await timeline(number)).find((event) => event.type === 'comment');
    expect(reply).toMatchObject({
      actor: priya.email,
      public: true,
      data: { mail: { auth: { verdict: 'pass', mechanism: 'dkim' } } },
    });
    const mailed = (await sentTo(ana)).filter((mail) => mail.body.text?.includes('The reader is replaced'));
    expect(mailed).toHaveLength(1);
  });

  it("does not make a forged requester's Cc a watcher, and answers the forged mail with nothing", async () => {
    const dana = contosoPerson('dana');
    const mallory = `mallory-${randomUUID().slice(0, 8)}@attacker.example`;
    const { number, subject } = await ticketAssignedToPriya(dana, 'VPN drops every hour', true);
    const [ack, ...others] = await sentTo(dana);
    expect(ack?.subject).toContain(`[#${number}]`);
    expect(others).toEqual([]);

    await send({
      from: dana,
      cc: mallory,
      subject,
      text: 'Please add my colleague.',
      messageId: messageId(),
    });

    expect((await ticket(number)).watchers).not.toContain(mallory);
    // A real requester is never lost: the mail opened a ticket of its own, with nobody on it.
    const forged = (await ticketsOf(dana)).find((seen) => seen.number !== number);
    expect(forged).toMatchObject({ subject: 'VPN drops every hour', watchers: [] });
    const created = (await timeline(forged?.number as number)).find((event) => event.type === 'created');
    expect(created?.data?.mail).toMatchObject({
      autoReply: false,
      auth: { verdict: 'fail', reason: 'dmarc-fail' },
    });
    // No acknowledgment of it (backscatter to Dana), nothing to Mallory.
    expect(await sentTo(dana)).toEqual([ack]);
    expect(await sentTo(mallory)).toEqual([]);
  });

  it('keeps the participant rules for a domain that publishes nothing: a token threads, Cc joins', async () => {
    const ana = person('ana');
    const carol = person('carol');
    const { number, subject } = await ticketAssignedToPriya(ana, 'Laptop fan is loud');

    await send({ from: ana, cc: carol, subject, text: 'It got worse.', messageId: messageId() });

    expect((await ticketsOf(ana)).map((seen) => seen.number)).toEqual([number]);
    expect((await ticket(number)).watchers).toEqual([carol]);
    expect(
      (await timeline(number)).filter((event) => event.type === 'comment').map((event) => event.actor),
    ).toEqual([ana]);
  });
});
