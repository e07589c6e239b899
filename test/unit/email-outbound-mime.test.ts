import { type AddressObject, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { sesMessageId } from '#shared/email/adapters/ses';
import { mailConfig, ticketReplyAddress } from '#shared/email/config';
import { composeMail, newMessageId, type OutboundMail, threadHeaders } from '#shared/email/outbound/compose';
import { MAIL_TEMPLATES, type MailTemplate } from '#shared/email/outbound/plan';
import {
  loadTemplates,
  MailTemplateError,
  type MailTemplateSource,
  mailView,
  parseTemplate,
  renderMail,
  templateDirectory,
} from '#shared/email/outbound/render';
import { storedTicket } from '#test/support/fixtures';

const settings = mailConfig(['support@tierdesk.local']);
const templates = loadTemplates();
const ticket = storedTicket({ number: 42, subject: 'Printer offline' });
const replyTo = ticketReplyAddress(settings, 42);

/** Every value any template shows, so a template that names something else shows up as `{{`. */
const FULL_VIEW = {
  body: 'Please restart the spooler.\nThen print a test page.',
  reason: 'Which printer is it?',
  resolution: 'Replaced the toner.',
  reopenWindow: '5 days',
  vendorName: 'PrintCo',
  message: 'Fuser unit fault.',
  clock: 'first response',
  due: '2026-11-20 15:30 UTC',
  tier: 2,
};

const render = (template: MailTemplate, view = FULL_VIEW, subject = ticket.subject) =>
  renderMail(templates, template, mailView({ ...ticket, subject }, view, replyTo));

describe('Function: loadTemplates', () => {
  it('finds the template files in the source tree', () => {
    expect(templateDirectory().pathname).toMatch(/\/shared\/email\/templates\/$/);
  });

  it.each(MAIL_TEMPLATES)('renders %s completely, with the ticket token in the subject', (template) => {
    const mail = render(template);

    expect(mail.subject).toContain('[#42]');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/\{\{|\}\}/);
    expect(mail.text.trim()).not.toBe('');
    expect(mail.html).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses a text template without a subject line', () => {
    expect(() => parseTemplate('broken', 'Hello {{requester}}', '<p>Hello</p>')).toThrow(MailTemplateError);
  });
});

describe('Function: renderMail', () => {
  const hostile = '<script>alert("x")</script> & "quotes"';

  it('escapes values in the HTML part and leaves the text part and the subject as written', () => {
    const mail = render('acknowledgment', FULL_VIEW, hostile);

    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;&#x2F;script&gt; &amp; &quot;quotes&quot;',
    );
    expect(mail.text).toContain(hostile);
    expect(mail.subject).toBe(`[#42] ${hostile}`);
  });

  it('lists the suggested articles in the acknowledgment, linked, and says nothing of them when there are none', () => {
    const suggestions = [
      {
        title: 'Reset a forgotten password',
        link: 'https://desk.example.com/kb/reset-password',
      },
      { title: 'Printers & <queues>' },
    ];
    const mail = render('acknowledgment', { ...FULL_VIEW, suggestions, hasSuggestions: true } as never);

    expect(mail.text).toContain(
      '  - Reset a forgotten password\n    https://desk.example.com/kb/reset-password',
    );
    expect(mail.text).toContain('  - Printers & <queues>');
    expect(mail.html).toContain(
      '<a href="https:&#x2F;&#x2F;desk.example.com&#x2F;kb&#x2F;reset-password">Reset a forgotten password</a>',
    );
    expect(mail.html).toContain('<li>Printers &amp; &lt;queues&gt;</li>');
    const without = render('acknowledgment', {
      ...FULL_VIEW,
      suggestions: [],
      hasSuggestions: false,
    } as never);
    expect(without.text).not.toContain('articles');
    expect(without.html).not.toContain('<ul>');
  });

  it('escapes a reply body in the HTML part and keeps its line breaks', () => {
    const mail = render('reply', { ...FULL_VIEW, body: 'Run <b>this</b>:\nnet stop spooler' });

    expect(mail.html).toContain('Run &lt;b&gt;this&lt;&#x2F;b&gt;:\nnet stop spooler');
    expect(mail.html).toContain('white-space: pre-wrap');
    expect(mail.text).toContain('Run <b>this</b>:\nnet stop spooler');
  });

  it('keeps a subject on one line whatever the ticket subject holds', () => {
    expect(render('pending', FULL_VIEW, 'Printer\r\nBcc: mallory@example.com').subject).toBe(
      '[#42] Waiting for your answer: Printer Bcc: mallory@example.com',
    );
  });

  it('puts the ticket token into a subject whose template forgot it', () => {
    const forgetful = new Map<MailTemplate, MailTemplateSource>([
      ['csat', parseTemplate('csat', 'Subject: How did we do?\n\nThanks', '<p>Thanks</p>')],
    ]);

    expect(renderMail(forgetful, 'csat', mailView(ticket, {}, replyTo)).subject).toBe('[#42] How did we do?');
  });

  it('says the reopen window when the policy has one, and still invites a reply when not', () => {
    expect(render('resolved').text).toContain('within 5 days');
    expect(render('resolved', { ...FULL_VIEW, reopenWindow: undefined } as never).text).toContain(
      'Reply to this mail soon',
    );
  });
});

describe('Function: threadHeaders', () => {
  it('answers nothing before the first mail of a ticket', () => {
    expect(threadHeaders(undefined)).toEqual({ references: [] });
  });

  it("answers the requester's mail with the acknowledgment", () => {
    expect(threadHeaders({ original: 'orig@mail.example', root: [], latest: ['orig@mail.example'] })).toEqual(
      {
        inReplyTo: '<orig@mail.example>',
        references: ['<orig@mail.example>'],
      },
    );
  });

  it('answers the newest mail and lists the original, our first mail and the newest', () => {
    const thread = {
      original: 'orig@mail.example',
      root: ['ours-1@tierdesk.local', 'ses-1@email.amazonses.com'],
      latest: ['reply-3@mail.example'],
    };

    expect(threadHeaders(thread)).toEqual({
      inReplyTo: '<reply-3@mail.example>',
      references: [
        '<orig@mail.example>',
        '<ours-1@tierdesk.local>',
        '<ses-1@email.amazonses.com>',
        '<reply-3@mail.example>',
      ],
    });
  });
});

describe('Function: newMessageId', () => {
  it('makes an unguessable id on the desk domain', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newMessageId(settings.domain)));

    expect(ids.size).toBe(100);
    for (const id of ids)
      expect(id).toMatch(
        /^<[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}@tierdesk\.local>$/,
      );
  });
});

describe('Function: sesMessageId', () => {
  it.each([
    ['us-east-1', 'abc@email.amazonses.com'],
    ['eu-west-1', 'abc@eu-west-1.amazonses.com'],
    ['ap-southeast-2', 'abc@ap-southeast-2.amazonses.com'],
    ['local', 'abc@email.amazonses.com'],
    [undefined, 'abc@email.amazonses.com'],
  ])('in %s is %s', (region, expected) => {
    expect(sesMessageId('abc', region)).toBe(expected);
  });
});

describe('Function: composeMail', () => {
  const base: OutboundMail = {
    from: settings.fromAddress,
    to: 'alice@example.com',
    replyTo,
    messageId: '<2f1c0e5e-9c1a-4f5e-8a57-3d0f1b2c4d5e@tierdesk.local>',
    date: new Date('2026-11-20T14:00:00.000Z'),
    content: render('acknowledgment', FULL_VIEW, 'Größe <script>'),
    thread: threadHeaders({ original: 'orig@mail.example', root: [], latest: ['orig@mail.example'] }),
  };
  const addressOf = (value: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(value) ? value : value ? [value] : []).flatMap((object) =>
      object.value.map((a) => a.address),
    );

  it('composes MIME that parses back with every header of an automatic answer', async () => {
    const parsed = await simpleParser(await composeMail({ ...base, automatic: 'auto-replied' }));

    expect(addressOf(parsed.from)).toEqual(['support@tierdesk.local']);
    expect(addressOf(parsed.to)).toEqual(['alice@example.com']);
    expect(addressOf(parsed.replyTo)).toEqual(['support+42@tierdesk.local']);
    expect(parsed.subject).toBe('[#42] Größe <script>');
    expect(parsed.messageId).toBe(base.messageId);
    expect(parsed.inReplyTo).toBe('<orig@mail.example>');
    expect(parsed.references).toBe('<orig@mail.example>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.get('x-loop')).toBe('support@tierdesk.local');
    expect(parsed.date?.toISOString()).toBe('2026-11-20T14:00:00.000Z');
    expect(parsed.text).toContain('Größe <script>');
    expect(parsed.html).toContain('Größe &lt;script&gt;');
    expect(parsed.html).not.toContain('<script>');
  });

  it('marks automatic mail on our own initiative as auto-generated', async () => {
    const parsed = await simpleParser(await composeMail({ ...base, automatic: 'auto-generated' }));

    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
  });

  it("leaves a person's reply unmarked, and lists the whole thread", async () => {
    const thread = threadHeaders({
      original: 'orig@mail.example',
      root: ['ours-1@tierdesk.local', 'ses-1@email.amazonses.com'],
      latest: ['ours-2@tierdesk.local', 'ses-2@email.amazonses.com'],
    });
    const parsed = await simpleParser(await composeMail({ ...base, content: render('reply'), thread }));

    expect(parsed.headers.has('auto-submitted')).toBe(false);
    expect(parsed.headers.has('x-auto-response-suppress')).toBe(false);
    expect(parsed.inReplyTo).toBe('<ses-2@email.amazonses.com>');
    expect(parsed.references).toEqual([
      '<orig@mail.example>',
      '<ours-1@tierdesk.local>',
      '<ses-1@email.amazonses.com>',
      '<ours-2@tierdesk.local>',
      '<ses-2@email.amazonses.com>',
    ]);
  });

  it('sends the first mail of an API ticket without thread headers', async () => {
    const parsed = await simpleParser(await composeMail({ ...base, thread: threadHeaders(undefined) }));

    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.references).toBeUndefined();
    expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
  });
});
