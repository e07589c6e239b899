import { describe, expect, it } from 'vitest';
import { decideInbound } from '#shared/email/inbound';
import { CONFIG, delivered, fakePorts } from '#test/fixtures/email/world';

/**
 * The sender-authentication policy inside the whole inbound decision, over the fixtures' desk
 * (world.ts: #1042 assigned to tom.agent@tierdesk.local with the vendor at printco.example, #1043
 * of carol.jones@contoso.example) and the local DNS table: tierdesk.local, printco.example and
 * contoso.example publish SPF and DMARC, example.com publishes nothing but its DKIM key. Each
 * mail is verified as the local SMTP stand-in verifies it.
 */

const mail = (headers: Record<string, string>, body = 'Hello.') =>
  Buffer.from(
    [
      ...Object.entries({
        To: 'support@tierdesk.local',
        'Message-ID': `<${Math.random().toString(36).slice(2)}@mail.example.net>`,
        'Content-Type': 'text/plain; charset=utf-8',
        ...headers,
      }).map(([name, value]) => `${name}: ${value}`),
      '',
      body,
      '',
    ].join('\r\n'),
  );

const decide = async (raw: Buffer, from: string, forged: boolean) =>
  decideInbound(await delivered(raw, from, { forged }), fakePorts(), CONFIG);

const TOM = 'tom.agent@tierdesk.local';
const CAROL = 'carol.jones@contoso.example';

describe('Function: decideInbound › who the sender is', () => {
  it("quarantines a forged reply in the assignee's name: it never becomes their reply", async () => {
    const raw = mail(
      { From: `Tom <${TOM}>`, Subject: 'Re: [#1042] Printer on floor 3 jams' },
      'Refund approved.',
    );

    expect(await decide(raw, TOM, true)).toMatchObject({
      kind: 'quarantine',
      reason: 'unauthenticated-staff',
      auth: { verdict: 'fail', reason: 'dmarc-fail', mechanism: 'dmarc' },
    });
  });

  it("takes the assignee's signed reply as theirs", async () => {
    const raw = mail(
      { From: `Tom <${TOM}>`, Subject: 'Re: [#1042] Printer on floor 3 jams' },
      'A new fuser is on its way.',
    );

    expect(await decide(raw, TOM, false)).toMatchObject({
      kind: 'comment',
      ticket: 1042,
      via: 'subject-token',
      authorRole: 'agent',
      sender: { forged: false, auth: { verdict: 'pass', reason: 'dmarc-pass' } },
    });
  });

  it("quarantines a forged vendor's mail", async () => {
    const raw = mail({
      From: 'vendor-support@printco.example',
      Subject: 'Re: [#1042] Fuser',
      To: 'support+1042@tierdesk.local',
    });

    expect(await decide(raw, 'vendor-support@printco.example', true)).toMatchObject({
      kind: 'quarantine',
      reason: 'unauthenticated-vendor',
    });
  });

  it("opens a ticket for a forged requester's mail with a token, with no watchers and no thread", async () => {
    const raw = mail({
      From: CAROL,
      Cc: 'mallory@elsewhere.example',
      Subject: 'Re: [#1043] VPN drops every hour',
    });

    const decision = await decide(raw, CAROL, true);

    expect(decision).toMatchObject({
      kind: 'ticket',
      requester: { address: CAROL },
      watchers: [],
      threading: { kind: 'stranger', ticket: 1043, via: 'subject-token' },
      sender: { forged: true, auth: { verdict: 'fail', reason: 'dmarc-fail' } },
    });
  });

  it('threads a forged requester’s mail by a Message-ID Tierdesk sent, and adds nobody', async () => {
    const raw = mail({
      From: CAROL,
      Cc: 'mallory@elsewhere.example',
      Subject: 'Re: VPN drops every hour',
      'In-Reply-To': '<tierdesk.1043.reply-1@tierdesk.local>',
    });

    expect(await decide(raw, CAROL, true)).toMatchObject({
      kind: 'comment',
      ticket: 1043,
      via: 'message-id',
      authorRole: 'requester',
      newWatchers: [],
      sender: { forged: true },
    });
  });

  it('does not thread a forged mail by the Message-ID of an inbound mail', async () => {
    const raw = mail({
      From: CAROL,
      Subject: 'Re: Printer on floor 3 jams',
      'In-Reply-To': '<CAF=alice.original.Q7mK@mail.gmail.com>',
    });

    expect(await decide(raw, CAROL, true)).toMatchObject({ kind: 'ticket', threading: { kind: 'new' } });
  });

  it("takes a requester's signed mail with a token as their comment, and their Cc as watchers", async () => {
    const raw = mail({ From: CAROL, Cc: 'dan@contoso.example', Subject: 'Re: [#1043] VPN drops every hour' });

    expect(await decide(raw, CAROL, false)).toMatchObject({
      kind: 'comment',
      ticket: 1043,
      via: 'subject-token',
      newWatchers: ['dan@contoso.example'],
      sender: { forged: false, auth: { verdict: 'pass' } },
    });
  });

  it('keeps the participant rules for a domain that publishes nothing', async () => {
    const raw = mail({
      From: 'alice@example.com',
      Cc: 'erin@example.com',
      Subject: 'Re: [#1042] Printer on floor 3 jams',
    });

    expect(await decide(raw, 'alice@example.com', true)).toMatchObject({
      kind: 'comment',
      ticket: 1042,
      via: 'subject-token',
      authorRole: 'requester',
      newWatchers: ['erin@example.com'],
      sender: { forged: false, auth: { verdict: 'none', reason: 'nothing-published' } },
    });
  });
});
