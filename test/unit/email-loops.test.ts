import { describe, expect, it, vi } from 'vitest';
import {
  automaticReplyPolicy,
  autoReplySignals,
  DEFAULT_DAILY_AUTOMATIC_MAIL_CAP,
  isAutomated,
  isAutoReply,
  loopReasons,
} from '#shared/email/loops';
import type { ParsedMail } from '#shared/email/parse';
import { parsedMail, SUPPORT } from '#test/fixtures/email/world';

const OWN = [SUPPORT, 'notifications@tierdesk.local'];
const withHeaders = (headers: ParsedMail['headers'], overrides: Partial<ParsedMail> = {}): ParsedMail =>
  parsedMail({ headers, ...overrides });
const sender = (address: string): Partial<ParsedMail> => ({ from: { address, name: '' } });

describe('Function: loopReasons', () => {
  it('finds nothing in a mail a person wrote', () => {
    expect(loopReasons(parsedMail(), OWN)).toEqual([]);
  });

  // One PRODUCT rule per row: the mail gets no automatic answer, and the reason says why.
  const rules: [string, ParsedMail, string][] = [
    [
      'Auto-Submitted: auto-generated',
      withHeaders({ 'auto-submitted': ['auto-generated'] }),
      'Auto-Submitted: auto-generated',
    ],
    [
      'Auto-Submitted: auto-replied with parameters',
      withHeaders({ 'auto-submitted': ['Auto-Replied; owner-email="a@example.com"'] }),
      'Auto-Submitted: auto-replied',
    ],
    [
      'Auto-Submitted with an unknown value',
      withHeaders({ 'auto-submitted': ['yes'] }),
      'Auto-Submitted: yes',
    ],
    ['Precedence: bulk', withHeaders({ precedence: ['bulk'] }), 'precedence: bulk'],
    ['Precedence: junk', withHeaders({ precedence: ['Junk'] }), 'precedence: junk'],
    ['Precedence: list', withHeaders({ precedence: ['list'] }), 'precedence: list'],
    ['X-Autoreply', withHeaders({ 'x-autoreply': ['yes'] }), 'x-autoreply present'],
    ['X-Autorespond', withHeaders({ 'x-autorespond': ['1'] }), 'x-autorespond present'],
    [
      'X-Auto-Response-Suppress',
      withHeaders({ 'x-auto-response-suppress': ['OOF, AutoReply'] }),
      'X-Auto-Response-Suppress: OOF, AutoReply',
    ],
    ['empty Return-Path', withHeaders({ 'return-path': ['<>'] }), 'empty Return-Path'],
    ['empty Return-Path with spaces', withHeaders({ 'return-path': ['< >'] }), 'empty Return-Path'],
    ['null envelope sender', parsedMail({ envelope: { mailFrom: '' } }), 'null envelope sender'],
    [
      'mailer-daemon sender',
      parsedMail(sender('mailer-daemon@mx.example.com')),
      'sender mailer-daemon@mx.example.com is a mailer daemon',
    ],
    [
      'postmaster sender',
      parsedMail(sender('postmaster@example.com')),
      'sender postmaster@example.com is a mailer daemon',
    ],
    [
      'our own support address',
      parsedMail(sender('support@tierdesk.local')),
      "sender support@tierdesk.local is Tierdesk's own address",
    ],
    [
      'a plus-address of ours',
      parsedMail(sender('support+1042@tierdesk.local')),
      "sender support+1042@tierdesk.local is Tierdesk's own address",
    ],
    [
      'our other sending address',
      parsedMail(sender('notifications@tierdesk.local')),
      "sender notifications@tierdesk.local is Tierdesk's own address",
    ],
    [
      'Reply-To pointing at us',
      parsedMail({ replyTo: { address: 'support@tierdesk.local', name: '' } }),
      "Reply-To support@tierdesk.local is Tierdesk's own address",
    ],
    [
      'a no-reply sender',
      parsedMail(sender('no-reply@shop.example')),
      'sender no-reply@shop.example takes no replies',
    ],
    ['X-Loop naming us', withHeaders({ 'x-loop': ['support@tierdesk.local'] }), 'X-Loop names Tierdesk'],
    ['List-Id', withHeaders({ 'list-id': ['<it.lists.example.net>'] }), 'mailing-list mail (List-* headers)'],
    [
      'List-Unsubscribe alone',
      withHeaders({ 'list-unsubscribe': ['<mailto:u@x.example>'] }),
      'mailing-list mail (List-* headers)',
    ],
    [
      'a delivery report',
      parsedMail({ report: { type: 'delivery-status', recipients: [] } }),
      'a delivery-status report',
    ],
  ];

  it.each(rules)('%s', (_, mail, reason) => {
    expect(loopReasons(mail, OWN)).toEqual([reason]);
  });

  it.each([
    ['Auto-Submitted: no', withHeaders({ 'auto-submitted': ['no'] })],
    ['Precedence: first-class', withHeaders({ precedence: ['first-class'] })],
    ['a real Return-Path', withHeaders({ 'return-path': ['<alice@example.com>'] })],
    ['X-Loop naming someone else', withHeaders({ 'x-loop': ['helpdesk@other.example'] })],
    ['a sender named like a daemon on purpose', parsedMail(sender('daemon.fan@example.com'))],
  ])('%s is no reason', (_, mail) => {
    expect(loopReasons(mail, OWN)).toEqual([]);
  });

  it('lists every reason, not only the first', () => {
    const mail = withHeaders({
      'auto-submitted': ['auto-replied'],
      precedence: ['bulk'],
      'return-path': ['<>'],
    });
    expect(loopReasons(mail, OWN)).toEqual([
      'Auto-Submitted: auto-replied',
      'precedence: bulk',
      'empty Return-Path',
    ]);
  });
});

describe('Function: automaticReplyPolicy', () => {
  const context = (sent: number) => ({ ownAddresses: OWN, sentTodayTo: vi.fn(async () => sent) });

  it(`allows an answer below the daily cap (default ${DEFAULT_DAILY_AUTOMATIC_MAIL_CAP})`, async () => {
    const ctx = context(DEFAULT_DAILY_AUTOMATIC_MAIL_CAP - 1);
    expect(await automaticReplyPolicy(parsedMail(), ctx)).toEqual({
      mayAutoReply: true,
      reasons: [],
      replyAddress: 'alice@example.com',
    });
    expect(ctx.sentTodayTo).toHaveBeenCalledWith('alice@example.com');
  });

  it('stops at the daily cap', async () => {
    expect(await automaticReplyPolicy(parsedMail(), context(DEFAULT_DAILY_AUTOMATIC_MAIL_CAP))).toEqual({
      mayAutoReply: false,
      reasons: ['daily cap: 10 automatic mails to alice@example.com today (cap 10)'],
      replyAddress: 'alice@example.com',
    });
  });

  it('honours a configured cap', async () => {
    const policy = await automaticReplyPolicy(parsedMail(), { ...context(2), dailyCap: 2 });
    expect(policy.mayAutoReply).toBe(false);
  });

  it('counts and answers the Reply-To address when there is one', async () => {
    const ctx = context(0);
    const policy = await automaticReplyPolicy(
      parsedMail({ replyTo: { address: 'team@example.com', name: '' } }),
      ctx,
    );
    expect(policy.replyAddress).toBe('team@example.com');
    expect(ctx.sentTodayTo).toHaveBeenCalledWith('team@example.com');
  });

  it('does not read the counter when a header already forbids an answer', async () => {
    const ctx = context(0);
    const policy = await automaticReplyPolicy(withHeaders({ precedence: ['bulk'] }), ctx);
    expect(policy).toMatchObject({ mayAutoReply: false, reasons: ['precedence: bulk'] });
    expect(ctx.sentTodayTo).not.toHaveBeenCalled();
  });
});

describe('Function: isAutoReply', () => {
  it.each([
    ['Auto-Submitted: auto-replied', withHeaders({ 'auto-submitted': ['auto-replied'] })],
    ['Auto-Submitted: auto-notified', withHeaders({ 'auto-submitted': ['auto-notified'] })],
    ['X-Autoreply: yes', withHeaders({ 'x-autoreply': ['yes'] })],
    ['X-Autorespond', withHeaders({ 'x-autorespond': ['vacation'] })],
    ['X-Autogenerated: Reply', withHeaders({ 'x-autogenerated': ['Reply'] })],
    ['Precedence: auto_reply', withHeaders({ precedence: ['auto_reply'] })],
  ])('%s', (_, mail) => {
    expect(isAutoReply(mail)).toBe(true);
  });

  it.each([
    'Automatic reply: [#1042] Printer',
    'Auto Reply: Printer',
    'Autoreply: Printer',
    'Auto-Response: Printer',
    'Out of Office: Printer',
    'Out of Office AutoReply: Printer',
    'Out of office',
    'Abwesenheitsnotiz: Drucker',
    'Automatische Antwort: Drucker',
    'Réponse automatique : Imprimante',
    'Respuesta automática: Impresora',
    'Risposta automatica: Stampante',
    'Automatisch antwoord: Printer',
    'Autosvar: Skrivare',
    '自动回复: 打印机',
    '自動応答：プリンター',
  ])('subject "%s" marks an out-of-office answer', (subject) => {
    expect(autoReplySignals(parsedMail({ subject }))).toEqual([`subject "${subject}"`]);
  });

  it.each([
    'Re: out of office printer keeps printing',
    'Automatic replies do not work in Outlook',
    'Printer out of office: toner',
    'Re: Automatic reply settings',
  ])('subject "%s" is a person writing about it', (subject) => {
    expect(isAutoReply(parsedMail({ subject }))).toBe(false);
  });

  it('is not fooled by X-Autoreply: no', () => {
    expect(isAutoReply(withHeaders({ 'x-autoreply': ['no'] }))).toBe(false);
  });

  it('does not count Auto-Submitted: auto-generated (alerts are requests) or X-Auto-Response-Suppress alone', () => {
    expect(isAutoReply(withHeaders({ 'auto-submitted': ['auto-generated'] }))).toBe(false);
    expect(isAutoReply(withHeaders({ 'x-auto-response-suppress': ['All'] }))).toBe(false);
  });
});

describe('Function: isAutomated', () => {
  it.each([
    ['Auto-Submitted: auto-generated', withHeaders({ 'auto-submitted': ['auto-generated'] }), true],
    ['Precedence: list', withHeaders({ precedence: ['list'] }), true],
    ['List-Id', withHeaders({ 'list-id': ['<x.example>'] }), true],
    ['an auto-reply', withHeaders({ 'x-autoreply': ['yes'] }), true],
    ['Auto-Submitted: no', withHeaders({ 'auto-submitted': ['no'] }), false],
    ['a person', parsedMail(), false],
  ])('%s → %s', (_, mail, expected) => {
    expect(isAutomated(mail)).toBe(expected);
  });
});
