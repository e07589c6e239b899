import { describe, expect, it } from 'vitest';
import type { ParsedMail } from '#shared/email/parse';
import {
  isForward,
  isParticipant,
  newTicketSubject,
  plusAddressTokens,
  subjectToken,
  type Threading,
  threadOf,
} from '#shared/email/threading';
import { CONFIG, fakePorts, parsedMail } from '#test/fixtures/email/world';

const from = (address: string): Pick<ParsedMail, 'from'> => ({ from: { address, name: '' } });
const to = (...addresses: string[]): Pick<ParsedMail, 'to'> => ({
  to: addresses.map((address) => ({ address, name: '' })),
});

describe('Function: threadOf', () => {
  // [case, mail, expected] — in PRODUCT's order: Message-ID, then subject token / plus-address from
  // a participant, Fwd: always new, otherwise new.
  const table: [string, Partial<ParsedMail>, Threading][] = [
    [
      'In-Reply-To names our acknowledgment',
      { inReplyTo: ['tierdesk.1042.ack@tierdesk.local'] },
      { kind: 'reply', ticket: 1042, via: 'message-id' },
    ],
    [
      'References: the rightmost known id wins over older ones',
      {
        references: [
          'unknown@x.example',
          'tierdesk.1043.created@tierdesk.local',
          'tierdesk.1042.ack@tierdesk.local',
        ],
      },
      { kind: 'reply', ticket: 1042, via: 'message-id' },
    ],
    [
      'In-Reply-To is nearer than every References entry',
      {
        references: ['tierdesk.1042.ack@tierdesk.local'],
        inReplyTo: ['tierdesk.1043.reply-1@tierdesk.local'],
      },
      { kind: 'reply', ticket: 1043, via: 'message-id' },
    ],
    [
      'an inbound id (the requester’s original mail) threads a reply-all',
      { ...from('erin@example.com'), inReplyTo: ['CAF=alice.original.Q7mK@mail.gmail.com'] },
      { kind: 'reply', ticket: 1042, via: 'message-id' },
    ],
    [
      'a Message-ID match needs no participant check',
      { ...from('stranger@elsewhere.example'), inReplyTo: ['tierdesk.1042.ack@tierdesk.local'] },
      { kind: 'reply', ticket: 1042, via: 'message-id' },
    ],
    [
      'a Message-ID match wins over a token naming another ticket',
      { subject: 'Re: [#1044] x', inReplyTo: ['tierdesk.1042.ack@tierdesk.local'] },
      { kind: 'reply', ticket: 1042, via: 'message-id' },
    ],
    [
      'unknown ids fall through to the subject token',
      { subject: 'Re: [#1042] Printer', references: ['unknown@x.example'] },
      { kind: 'reply', ticket: 1042, via: 'subject-token' },
    ],
    [
      'subject token from the requester',
      { subject: 'Re: [#1042] Printer' },
      { kind: 'reply', ticket: 1042, via: 'subject-token' },
    ],
    [
      'subject token from a watcher',
      { ...from('bob@example.com'), subject: '[#1042]' },
      { kind: 'reply', ticket: 1042, via: 'subject-token' },
    ],
    [
      'subject token from an agent',
      { ...from('tom.agent@tierdesk.local'), subject: 'RE: [#1042] Printer' },
      { kind: 'reply', ticket: 1042, via: 'subject-token' },
    ],
    [
      'subject token from the ticket’s vendor',
      { ...from('vendor-support@printco.example'), subject: 'AW: [#1042] Printer' },
      { kind: 'reply', ticket: 1042, via: 'subject-token' },
    ],
    [
      'subject token from a stranger',
      { ...from('mallory@elsewhere.example'), subject: 'Re: [#1042] Printer' },
      {
        kind: 'stranger',
        ticket: 1042,
        via: 'subject-token',
        reason: 'mallory@elsewhere.example is not a participant of #1042',
      },
    ],
    [
      'subject token of a ticket that does not exist',
      { subject: 'Re: [#9999] Printer' },
      { kind: 'new', reason: 'unknown-ticket' },
    ],
    [
      'plus-address in To from the requester',
      { ...to('support+1042@tierdesk.local') },
      { kind: 'reply', ticket: 1042, via: 'plus-address' },
    ],
    [
      'plus-address in Cc',
      {
        ...to('someone@example.com'),
        cc: [{ address: 'support+1044@tierdesk.local', name: '' }],
        ...from('dave@icloud.example'),
      },
      { kind: 'reply', ticket: 1044, via: 'plus-address' },
    ],
    [
      'plus-address only in the envelope (Bcc)',
      {
        ...to('someone@example.com'),
        envelope: { recipients: ['support+1043@tierdesk.local'] },
        ...from('carol.jones@contoso.example'),
      },
      { kind: 'reply', ticket: 1043, via: 'plus-address' },
    ],
    [
      'plus-address of someone else’s domain is no token',
      { ...to('support+1042@other.example') },
      { kind: 'new', reason: 'no-reference' },
    ],
    [
      'plus-address from a stranger',
      { ...from('mallory@elsewhere.example'), ...to('support+1042@tierdesk.local') },
      {
        kind: 'stranger',
        ticket: 1042,
        via: 'plus-address',
        reason: 'mallory@elsewhere.example is not a participant of #1042',
      },
    ],
    [
      'a refused subject token does not stop an accepted plus-address',
      { ...from('dave@icloud.example'), subject: 'Re: [#1042] x', ...to('support+1044@tierdesk.local') },
      { kind: 'reply', ticket: 1044, via: 'plus-address' },
    ],
    [
      'Fwd: with our token from a participant is a new ticket',
      { subject: 'Fwd: [#1042] Printer on floor 3 jams' },
      { kind: 'new', reason: 'forward', related: 1042 },
    ],
    [
      'Fwd: referencing our Message-ID is a new ticket',
      { subject: 'Fwd: Printer', references: ['tierdesk.1042.ack@tierdesk.local'] },
      { kind: 'new', reason: 'forward', related: 1042 },
    ],
    ['Fwd: with nothing to relate to', { subject: 'WG: Scanner' }, { kind: 'new', reason: 'forward' }],
    ['no id, no token', {}, { kind: 'new', reason: 'no-reference' }],
  ];

  it.each(table)('%s', async (_, overrides, expected) => {
    expect(await threadOf(parsedMail(overrides), fakePorts(), CONFIG)).toEqual(expected);
  });

  it('asks for the ancestors nearest first and stops at the first known one', async () => {
    const ports = fakePorts();
    await threadOf(
      parsedMail({
        references: ['old@x.example', 'tierdesk.1043.created@tierdesk.local', 'newer@x.example'],
        inReplyTo: ['parent@x.example'],
      }),
      ports,
      CONFIG,
    );
    expect(ports.calls).toEqual([
      'id:parent@x.example',
      'id:newer@x.example',
      'id:tierdesk.1043.created@tierdesk.local',
    ]);
  });
});

describe('Function: isForward', () => {
  it.each([
    'Fwd: Printer',
    'FW: Printer',
    'Fw: Printer',
    'WG: Drucker',
    'TR: Imprimante',
    'RV: Impresora',
    'ENC: Impressora',
    'I: Stampante',
    'Doorst: Printer',
    'VB: Skrivare',
    'Fwd[2]: Printer',
    '[EXTERNAL] Fwd: Printer',
    '转发: 打印机',
    '転送：プリンター',
  ])('%s is a forward', (subject) => {
    expect(isForward(subject)).toBe(true);
  });

  it.each([
    'Re: Fwd: Printer',
    '[#1050] Fwd: Printer',
    'AW: WG: Drucker',
    'VS: Tulostin',
    'Forward planning for Q3',
    'Fwd printer',
    'Tree: fell on the cable',
  ])('%s is not a forward', (subject) => {
    expect(isForward(subject)).toBe(false);
  });
});

describe('Function: newTicketSubject', () => {
  it.each([
    ['Re: [#1042] Printer on floor 3 jams', 'Printer on floor 3 jams'],
    ['AW: RE: [#1042] Drucker', 'Drucker'],
    ['Fwd: [#1042] Printer', 'Fwd: Printer'],
    ['🔥 Server room: 31\u00a0°C', '🔥 Server room: 31\u00a0°C'],
  ])('%s → %s', (subject, expected) => {
    expect(newTicketSubject(subject)).toBe(expected);
  });
});

describe('Function: subjectToken', () => {
  it.each([
    ['[#1042] Printer', 1042],
    ['Re: Printer [#7]', 7],
    ['Re: [#1042] and [#1043]', 1042],
    ['#1042 without brackets', undefined],
    ['[# 1042]', undefined],
  ])('%s → %s', (subject, expected) => {
    expect(subjectToken(subject)).toBe(expected);
  });
});

describe('Function: plusAddressTokens', () => {
  it('reads To, Cc, then the envelope, each ticket once, only from our support addresses', () => {
    const mail = parsedMail({
      to: [
        { address: 'support+1042@tierdesk.local', name: '' },
        { address: 'support+abc@tierdesk.local', name: '' },
      ],
      cc: [{ address: 'helpdesk+1043@tierdesk.local', name: '' }],
      envelope: { recipients: ['support+1044@tierdesk.local', 'support+1042@tierdesk.local'] },
    });
    expect(plusAddressTokens(mail, ['support@tierdesk.local', 'helpdesk@tierdesk.local'])).toEqual([
      1042, 1043, 1044,
    ]);
    expect(plusAddressTokens(mail, ['support@tierdesk.local'])).toEqual([1042, 1044]);
  });
});

describe('Function: isParticipant', () => {
  it('compares addresses case-insensitively', () => {
    expect(
      isParticipant(
        { requester: 'Carol.Jones@Contoso.example', watchers: [] },
        'carol.jones@contoso.example',
      ),
    ).toBe(true);
    expect(isParticipant({ requester: 'a@example.com', watchers: ['B@example.com'] }, 'b@EXAMPLE.com')).toBe(
      true,
    );
    expect(isParticipant({ requester: 'a@example.com', watchers: [] }, 'c@example.com')).toBe(false);
  });
});
