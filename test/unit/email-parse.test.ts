import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml, textFromSafeHtml, textOfUnsanitizedHtml } from '#shared/email/html';
import { messageIdsIn, normalizeMessageId } from '#shared/email/message-id';
import {
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  MAX_MESSAGE_BYTES,
  type ParsedMail,
  parseMail,
  safeFilename,
} from '#shared/email/parse';
import { type DsnRecipient, delayNotice, type MailReport } from '#shared/email/report';
import { fixture } from '#test/fixtures/email/world';

const crlf = (text: string): Buffer => Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');

const parsed = async (raw: Buffer, options?: Parameters<typeof parseMail>[1]): Promise<ParsedMail> => {
  const result = await parseMail(raw, options);
  if (!result.ok) throw new Error(`expected a mail, got ${result.reason}: ${result.detail}`);
  return result.mail;
};

describe('Function: parseMail', () => {
  describe('identity and threading headers', () => {
    it('normalizes Message-ID, In-Reply-To and References (brackets off, domain lower-cased, order kept)', async () => {
      const mail = await parsed(fixture('outlook-reply.eml'));
      expect(mail.messageId).toBe(
        'DB9PR03MB7321A5B0C4F1E2D3A4B5C6D7E8F9A0B1@db9pr03mb7321.eurprd03.prod.outlook.com',
      );
      expect(mail.dedupeKey).toBe(`mid:${mail.messageId}`);
      expect(mail.inReplyTo).toEqual(['tierdesk.1043.reply-1@tierdesk.local']);
      expect(mail.references).toEqual([
        'tierdesk.1043.created@tierdesk.local',
        'tierdesk.1043.reply-1@tierdesk.local',
      ]);
    });

    it('reads In-Reply-To with a comment, which mailparser mangles', async () => {
      const mail = await parsed(
        crlf(
          'From: a@example.com\nIn-Reply-To: <x1@A.Example> (Your message of Monday)\nSubject: hi\n\nbody\n',
        ),
      );
      expect(mail.inReplyTo).toEqual(['x1@a.example']);
    });

    it('keeps the newest References when a thread lists more than the cap', async () => {
      const ids = Array.from({ length: 150 }, (_, index) => `<r${index}@example.com>`).join('\n ');
      const mail = await parsed(crlf(`From: a@example.com\nReferences: ${ids}\n\nbody\n`));
      expect(mail.references).toHaveLength(100);
      expect(mail.references.at(-1)).toBe('r149@example.com');
    });

    it('lower-cases addresses, decodes names, flattens groups and drops duplicates', async () => {
      const mail = await parsed(
        crlf(
          'From: "Doe, John" <John.Doe@Example.COM>\nTo: support@tierdesk.local, Team: a@example.com, B@example.com;\nCc: =?utf-8?q?J=C3=B5geva?= <Info@Example.org>, a@EXAMPLE.com\nReply-To: Helpdesk <HELP@example.com>\n\nbody\n',
        ),
      );
      expect(mail.from).toEqual({ address: 'john.doe@example.com', name: 'Doe, John' });
      expect(mail.to.map((to) => to.address)).toEqual([
        'support@tierdesk.local',
        'a@example.com',
        'b@example.com',
      ]);
      expect(mail.cc).toEqual([
        { address: 'info@example.org', name: 'Jõgeva' },
        { address: 'a@example.com', name: '' },
      ]);
      expect(mail.replyTo).toEqual({ address: 'help@example.com', name: 'Helpdesk' });
    });

    it('falls back to Sender, then to the envelope sender, when From is missing', async () => {
      expect((await parsed(crlf('Sender: Bot <bot@example.com>\n\nbody\n'))).from.address).toBe(
        'bot@example.com',
      );
      const viaEnvelope = await parsed(crlf('Subject: no from\n\nbody\n'), {
        envelope: { mailFrom: 'Script@Example.com', recipients: ['Support+1042@tierdesk.local'] },
      });
      expect(viaEnvelope.from.address).toBe('script@example.com');
      expect(viaEnvelope.envelope).toEqual({
        mailFrom: 'script@example.com',
        recipients: ['support+1042@tierdesk.local'],
      });
    });

    it('leaves the date out when the header is unreadable instead of inventing "now"', async () => {
      expect((await parsed(crlf('From: a@example.com\nDate: yesterday-ish\n\nx\n'))).date).toBeUndefined();
      expect((await parsed(fixture('gmail-reply.eml'))).date?.toISOString()).toBe('2026-03-03T09:22:31.000Z');
      const commented = await parsed(
        crlf('From: a@example.com\nDate: Mon,  2 Mar 2026 16:02:05 +0000 (UTC)\n\nx\n'),
      );
      expect(commented.date?.toISOString()).toBe('2026-03-02T16:02:05.000Z');
    });

    it('keeps every occurrence of the loop headers, unfolded', async () => {
      const mail = await parsed(
        crlf(
          'From: a@example.com\nAuto-Submitted: auto-replied\nAuto-Submitted: no\nList-Unsubscribe: <mailto:u@x.example>,\n <https://x.example/u>\nX-Unrelated: 1\n\nx\n',
        ),
      );
      expect(mail.headers).toEqual({
        'auto-submitted': ['auto-replied', 'no'],
        'list-unsubscribe': ['<mailto:u@x.example>, <https://x.example/u>'],
      });
    });
  });

  describe('bodies, charsets and encodings', () => {
    it.each([
      ['charset-iso-8859-1.eml', 'Erdgeschoß druckt statt Umlauten nur Kästchen (ä, ö, ü, ß)'],
      ['charset-windows-1252.eml', '“amount too high” for anything above €1.000 – even'],
      ['charset-shift-jis.eml', '3階のプリンターが紙詰まりを起こしています。'],
      ['charset-koi8-r.eml', 'VPN отключается каждые 10 минут.'],
      ['encoded-word-subject.eml', 'reports 31 °C since 10:40'],
      ['multipart-alternative.eml', 'ThinkPad T14 bulges – the touchpad'],
      ['thunderbird-german-reply.eml', 'Der Drucker läuft wieder'],
    ])('%s decodes to the original text', async (name, excerpt) => {
      expect((await parsed(fixture(name))).text).toContain(excerpt);
    });

    it('decodes encoded-word names and subjects in legacy charsets', async () => {
      const mail = await parsed(fixture('charset-shift-jis.eml'));
      expect(mail.from.name).toBe('山田太郎');
      expect(mail.subject).toBe('プリンターが動きません');
    });

    it.each([
      ['charset-gb2312-raw-headers.eml', '王小明', '打印机无法连接网络', '三楼的打印机无法连接网络'],
      [
        'charset-shift-jis-raw-headers.eml',
        '佐藤花子',
        'ＶＰＮに接続できません',
        'エラーコードは８０９と表示されます。',
      ],
      [
        'charset-iso-2022-jp-mislabelled.eml',
        '鈴木太郎',
        '共有フォルダにアクセスできません',
        '「アクセスが拒否されました」と表示されます。',
      ],
    ])('decodes %s, whose charset the mail does not declare', async (name, sender, subject, excerpt) => {
      const mail = await parsed(fixture(name));
      expect(mail.from.name).toBe(sender);
      expect(mail.subject).toBe(subject);
      expect(mail.text).toContain(excerpt);
      expect(mail.text).not.toContain('\uFFFD');
      expect(mail.text).not.toContain('\u001b');
    });

    it('declares the charset of mail without MIME headers, whose first field is raw 8-bit too', async () => {
      const sjis = (text: string) => iconv.encode(text, 'shift_jis');
      const raw = Buffer.concat([
        crlf('Subject: '),
        sjis('ＶＰＮに接続できません'),
        crlf('\nFrom: hanako.sato@example.jp\n\n'),
        sjis('昨日から自宅でＶＰＮに接続できません。エラーコードは８０９と表示されます。\r\n'),
      ]);
      const mail = await parsed(raw);
      expect([mail.subject, mail.text]).toEqual([
        'ＶＰＮに接続できません',
        '昨日から自宅でＶＰＮに接続できません。エラーコードは８０９と表示されます。\n',
      ]);
    });

    it('decodes a raw 8-bit attachment file name in the charset the mail declares for its text', async () => {
      const mail = await parsed(fixture('attachment-8bit-filename.eml'));
      expect(mail.attachments.map(({ filename, size }) => [filename, size])).toEqual([
        ['見積書_2026年3月.pdf', 142],
      ]);
    });

    it('reads the message as it came: the bytes handed in stay as they are', async () => {
      const raw = fixture('charset-shift-jis-raw-headers.eml');
      const copy = Buffer.from(raw);
      const mail = await parsed(raw);
      expect(raw.equals(copy)).toBe(true);
      expect(mail.size).toBe(raw.length);
    });

    it('leaves a header it cannot tell the charset of as mailparser reads it, rather than guess', async () => {
      // Four Chinese characters and no text to take a charset from: GB2312, Big5, Shift_JIS and
      // EUC-KR all fit, and any pick could be wrong.
      const printer = Buffer.from([0xb4, 0xf2, 0xd3, 0xa1, 0xbb, 0xfa, 0xbb, 0xb5]);
      const raw = Buffer.concat([crlf('From: a@example.com\nSubject: '), printer, crlf('\n\nhello\n')]);
      expect((await parsed(raw)).subject).toBe(printer.toString('utf8'));
    });

    it('keeps a UTF-8 body with one broken byte UTF-8: no confident guess replaces a label that mostly fits', async () => {
      const raw = Buffer.concat([
        crlf('From: a@example.com\nContent-Type: text/plain; charset=utf-8\n\nGrüße aus München, '),
        Buffer.from([0xff]),
        crlf(' das Netz ist wieder da.\n'),
      ]);
      expect((await parsed(raw)).text).toBe('Grüße aus München, \uFFFD das Netz ist wieder da.\n');
    });

    it('keeps UTF-8 raw in headers and bodies (RFC 6532) as it is', async () => {
      const mail = await parsed(crlf('From: Zoë <zoe@example.com>\nSubject: Drucker läuft\n\nGrüße\n'));
      expect([mail.from.name, mail.subject, mail.text]).toEqual(['Zoë', 'Drucker läuft', 'Grüße\n']);
    });

    it('takes the text part of multipart/alternative, not a rendering of the HTML', async () => {
      const mail = await parsed(fixture('multipart-alternative.eml'));
      expect(mail.text).not.toContain('<b>');
      expect(mail.html).toBe(
        '<p>The battery of my <b>ThinkPad T14</b> bulges – the touchpad no longer clicks.</p><p>Is it safe to keep using it?</p><p>Heidi</p>',
      );
    });

    it('renders HTML-only mail to plain text and sanitizes the HTML', async () => {
      const mail = await parsed(fixture('html-only.eml'));
      expect(mail.text).toContain('My external monitor flickers every few seconds after I dock the laptop.');
      expect(mail.html).toContain('<h2>Monitor flickers after docking</h2>');
      for (const unsafe of [
        '<script',
        'onload',
        'onclick',
        'javascript:',
        'tracker.example',
        '<iframe',
        'style',
        'document.cookie',
      ]) {
        expect(mail.html).not.toContain(unsafe);
      }
      expect(mail.html).toContain(
        '<a href="https://support.example.org/kb/42" rel="noopener noreferrer nofollow" target="_blank">KB 42</a>',
      );
    });

    it('keeps cid: links and marks the inline image with its Content-ID', async () => {
      const mail = await parsed(fixture('nested-related-inline-image.eml'));
      expect(mail.html).toContain('src="cid:image001.png@01DC8B2A.5F3E4D10"');
      expect(mail.attachments.map(({ content, ...rest }) => rest)).toEqual([
        {
          filename: 'image001.png',
          contentType: 'image/png',
          size: 70,
          contentId: 'image001.png@01DC8B2A.5F3E4D10',
          inline: true,
        },
        { filename: 'export-log.pdf', contentType: 'application/pdf', size: 142, inline: false },
      ]);
      expect(mail.attachments[0]?.content.subarray(1, 4).toString()).toBe('PNG');
    });
  });

  describe('reports', () => {
    it('reads a read receipt and the id of the message it is about', async () => {
      expect((await parsed(fixture('mdn-read-receipt.eml'))).report).toEqual({
        type: 'disposition-notification',
        originalMessageId: 'tierdesk.1043.reply-1@tierdesk.local',
        disposition: 'manual-action/MDN-sent-manually; displayed',
      });
    });

    it('reads the original Message-ID from a returned message/rfc822', async () => {
      const report = (await parsed(fixture('bounce-backscatter.eml'))).report;
      expect(report).toMatchObject({
        type: 'delivery-status',
        originalMessageId: 'spam.8812.77@spam-relay.example',
      });
    });

    it.each([
      ['bounce-postfix-no-domain.eml', 'MAILER-DAEMON'],
      ['bounce-exim-no-domain.eml', 'Mail Delivery System'],
    ])(
      'reads a delivery-status report whose From names no domain (%s) as from the null sender',
      async (name, sender) => {
        const mail = await parsed(fixture(name), { envelope: { mailFrom: '' } });
        expect(mail.from).toEqual({ address: '', name: sender });
        expect(mail.report).toMatchObject({ type: 'delivery-status', action: 'failed' });
      },
    );

    it('has no report for ordinary mail', async () => {
      expect((await parsed(fixture('gmail-reply.eml'))).report).toBeUndefined();
    });
  });

  describe('limits', () => {
    it('exports limits that fit SES (40 MB) and keep a 25 MB file out', () => {
      expect([MAX_MESSAGE_BYTES, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES]).toEqual([
        41_943_040, 20, 10_485_760,
      ]);
    });

    it('drops attachments over the size limit and lists them with the reason', async () => {
      const mail = await parsed(fixture('nested-related-inline-image.eml'), {
        limits: { maxAttachmentBytes: 100 },
      });
      expect(mail.attachments.map((attachment) => attachment.filename)).toEqual(['image001.png']);
      expect(mail.dropped).toEqual([
        { filename: 'export-log.pdf', contentType: 'application/pdf', size: 142, reason: 'too-large' },
      ]);
    });

    it('drops attachments over the count limit, in message order', async () => {
      const mail = await parsed(fixture('nested-related-inline-image.eml'), {
        limits: { maxAttachments: 1 },
      });
      expect(mail.attachments).toHaveLength(1);
      expect(mail.dropped).toEqual([
        { filename: 'export-log.pdf', contentType: 'application/pdf', size: 142, reason: 'too-many' },
      ]);
    });

    it('keeps the text of a mail whose HTML takes too long to sanitize, and drops the HTML', async () => {
      // Arrange: 100,000 nested elements, whose cost grows with the square of the depth (about 1 s
      // here), given 50 ms; the same mail with the default budget keeps its HTML.
      const deep = crlf(
        `From: Eve <eve@example.com>\nTo: support@example.com\nSubject: Deep\nMIME-Version: 1.0\nContent-Type: text/html\n\n${'<div>'.repeat(100_000)}<script>steal()</script>Printer &amp; toner`,
      );
      const shallow = crlf(
        'From: Eve <eve@example.com>\nTo: support@example.com\nSubject: Shallow\nMIME-Version: 1.0\nContent-Type: text/html\n\n<div><b>Printer</b> &amp; toner</div>',
      );

      // Act
      const cut = await parsed(deep, { limits: { sanitizeBudgetMs: 50 } });
      const kept = await parsed(shallow, { limits: { sanitizeBudgetMs: 50 } });

      // Assess
      expect(cut.html).toBeUndefined();
      expect(cut.text).toBe('steal() Printer & toner');
      expect(kept.html).toBe('<div><b>Printer</b> &amp; toner</div>');
      expect(kept.text).toBe('Printer & toner');
    });

    it("takes no text from HTML that sanitizes to nothing: a script's code never becomes the ticket", async () => {
      const mail = await parsed(
        crlf(
          'From: Eve <eve@example.com>\nTo: support@example.com\nSubject: Script\nMIME-Version: 1.0\nContent-Type: text/html\n\n<script>steal()</script>',
        ),
      );
      expect(mail.html).toBe('');
      expect(mail.text).toBe('');
    });

    it('refuses a message over the size limit without parsing it', async () => {
      const result = await parseMail(fixture('gmail-reply.eml'), { limits: { maxMessageBytes: 100 } });
      expect(result).toMatchObject({ ok: false, reason: 'too-large' });
    });
  });

  describe('failures come back as reasons, never as exceptions', () => {
    it.each([
      ['empty input', 'empty', Buffer.alloc(0)],
      ['no headers', 'no-sender', fixture('no-headers.eml')],
      ['a boundary that never occurs', 'broken-mime', fixture('malformed.eml')],
      [
        'multipart without a boundary',
        'broken-mime',
        crlf('From: a@example.com\nContent-Type: multipart/mixed\n\nx\n'),
      ],
      ['binary noise', 'no-sender', Buffer.from([0, 1, 2, 255, 254, 10, 13, 10, 65])],
      [
        'a mailer daemon without a domain, not a report',
        'no-sender',
        crlf('From: MAILER-DAEMON (Mail Delivery System)\nSubject: Warning\n\nx\n'),
      ],
    ])('%s → %s', async (_, reason, raw) => {
      expect(await parseMail(raw)).toMatchObject({ ok: false, reason });
    });
  });
});

describe('Function: delayNotice', () => {
  const report = (...recipients: DsnRecipient[]): MailReport => ({ type: 'delivery-status', recipients });
  const delayed: DsnRecipient = { address: 'bob@example.com', action: 'delayed', status: '4.4.1' };
  const notice = 'delayed: bob@example.com (4.4.1)';

  it.each([
    ['a delay', notice, report(delayed)],
    [
      'a delay beside a delivery',
      notice,
      report(delayed, { address: 'erin@example.com', action: 'delivered' }),
    ],
    ['a delay beside a failure', undefined, report(delayed, { address: 'x@example.com', action: 'failed' })],
    [
      'a delay beside a recipient without an Action',
      undefined,
      report(delayed, { address: 'x@example.com' }),
    ],
    ['a failure', undefined, report({ address: 'x@example.com', action: 'failed', status: '5.1.1' })],
    ['no recipients', undefined, report()],
    ['a read receipt', undefined, { type: 'disposition-notification' } as const],
  ])('%s → %s', (_, expected, given) => {
    expect(delayNotice(given)).toBe(expected);
  });
});

describe('Function: normalizeMessageId', () => {
  it.each([
    ['<Abc.Def@Mail.Example.COM>', 'Abc.Def@mail.example.com'],
    ['  <<x@Y>>  ', 'x@y'],
    ['no-at-sign', 'no-at-sign'],
    ['a@b@C.example', 'a@b@c.example'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeMessageId(raw)).toBe(expected);
  });
});

describe('Function: messageIdsIn', () => {
  it('reads bracketed ids in order, skips comments, keeps a repeated id at its last place', () => {
    expect(messageIdsIn('<a@x> (comment <not-an-id>) <b@X>\n <a@x>')).toEqual(['not-an-id', 'b@x', 'a@x']);
  });

  it('falls back to bare tokens with an @ from broken clients', () => {
    expect(messageIdsIn('a@x.example, b@y.example junk')).toEqual(['a@x.example', 'b@y.example']);
  });
});

describe('Function: safeFilename', () => {
  it.each([
    ['../../etc/passwd', 'application/octet-stream', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'application/pdf', 'report.pdf'],
    ['in\u0000voice\u001f.pdf', 'application/pdf', 'invoice.pdf'],
    ['.htaccess', 'text/plain', 'htaccess'],
    [undefined, 'message/rfc822', 'attachment-3.eml'],
    ['', 'application/x-unknown', 'attachment-3.bin'],
  ])('%s → %s', (name, contentType, expected) => {
    expect(safeFilename(name, contentType, 3)).toBe(expected);
  });
});

describe('Function: sanitizeMailHtml', () => {
  it('keeps only http(s)/mailto/tel links and cid: images', () => {
    expect(
      sanitizeMailHtml(
        '<a href="mailto:a@example.com">m</a><a href="data:text/html,x">d</a><img src="data:image/png;base64,AA"><img src="cid:x@y">',
      ),
    ).toBe(
      '<a href="mailto:a@example.com" rel="noopener noreferrer nofollow" target="_blank">m</a><a rel="noopener noreferrer nofollow" target="_blank">d</a><img src="cid:x@y" />',
    );
  });
});

describe('Function: sanitizeMailHtml, images', () => {
  it('drops an image whose address it dropped, whatever its other attributes hold', () => {
    expect(
      sanitizeMailHtml(
        '<p>a<img src="https://t.example/p.gif" width=1 height=1>b<img alt="x > y" title="src=z"><img alt="logo" src="cid:logo@x"></p>',
      ),
    ).toBe('<p>ab<img alt="logo" src="cid:logo@x" /></p>');
  });

  it('is not fooled by " src=" inside another attribute, nor by attributes without a value', () => {
    expect(
      sanitizeMailHtml('<img alt="a src=b" title="x"><img alt><img width="1" src="cid:k@x" alt="k">'),
    ).toBe('<img width="1" src="cid:k@x" alt="k" />');
  });
});

describe('Function: textOfUnsanitizedHtml', () => {
  it('takes every tag out and decodes entities, as text: what a script held stays as words, a lone < too', () => {
    expect(textOfUnsanitizedHtml('<p>a &amp; b</p>\n \n<script>x()</script><b\nclass="c">c</b> <<< d')).toBe(
      'a & b\nx() c <<< d',
    );
  });

  it('reads numeric references as HTML does: windows-1252 for 0x80–0x9F, U+FFFD for a surrogate half', () => {
    const text = textOfUnsanitizedHtml('<p>&#150; &#x93;quoted&#x94; &#xD800;&#56320; &#129; &#x1F600;</p>');
    expect(text).toBe('\u2013 \u201Cquoted\u201D \uFFFD\uFFFD \x81 \u{1F600}');
    expect(Buffer.from(text).toString()).toBe(text); // no lone surrogate for UTF-8 to replace
  });

  it('reads only the first mebibyte of the HTML: its words are far more than a ticket keeps', () => {
    const row = '<tr><td>cell&nbsp;text</td></tr>\n';
    const text = textOfUnsanitizedHtml(`<table>${row.repeat((8 << 20) / row.length)}</table>`);
    expect(text.startsWith('cell text\ncell text\n')).toBe(true);
    expect(text.length).toBeLessThan(1 << 20);
    expect(text.length).toBeGreaterThan(200_000);
  });
});

describe('Function: textFromSafeHtml', () => {
  it('turns block ends and breaks into lines and decodes entities', () => {
    expect(
      textFromSafeHtml('<p>a &amp; b</p><ul><li>one</li><li>two&#x21;</li></ul>x<br />y&nbsp;&lt;z&gt;'),
    ).toBe('a & b\n\n- one\n- two!\nx\ny <z>');
  });
});
