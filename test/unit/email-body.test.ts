import { describe, expect, it } from 'vitest';
import { MAX_REPLY_PARSER_CHARS, replyOf, stripQuoted } from '#shared/email/body';
import { parseMail } from '#shared/email/parse';

const lines = (...text: string[]): string => text.join('\n');

describe('Function: stripQuoted', () => {
  // [client, full text, the reply that must remain]
  const clients: [string, string, string][] = [
    [
      'Outlook desktop, -----Original Message-----',
      lines(
        'Works now, thanks.',
        '',
        '-----Original Message-----',
        'From: Tierdesk Support <support+1043@tierdesk.local>',
        'Sent: Monday, March 2, 2026 4:15 PM',
        'To: Carol Jones <carol@contoso.example>',
        'Subject: [#1043] Password prompt',
        '',
        'Hello Carol, please remove the cached credentials.',
      ),
      'Works now, thanks.',
    ],
    [
      'Outlook 365, rule and From/Sent/To/Subject block',
      lines(
        'Same here on floor 3.',
        '',
        '________________________________',
        'From: Alice Example <alice@example.com>',
        'Sent: Monday, March 2, 2026 3:58 PM',
        'To: support@tierdesk.local <support@tierdesk.local>',
        'Cc: Erin Walsh <erin@example.com>',
        'Subject: Printer on floor 3 jams',
        '',
        'The printer on floor 3 jams.',
      ),
      'Same here on floor 3.',
    ],
    [
      'Outlook in German, Von/Gesendet/An/Betreff',
      lines(
        'Danke, erledigt.',
        '',
        'Von: Tierdesk Support <support@tierdesk.local>',
        'Gesendet: Montag, 2. März 2026 16:15',
        'An: Jürgen Müller <j.mueller@example.de>',
        'Betreff: [#1050] Drucker',
        '',
        'Hallo Jürgen,',
      ),
      'Danke, erledigt.',
    ],
    [
      'Outlook in French, De/Envoyé/À/Objet',
      lines(
        'Merci, ça marche.',
        '',
        'De : Tierdesk Support <support@tierdesk.local>',
        'Envoyé : lundi 2 mars 2026 16:15',
        'À : Claire <claire@example.fr>',
        'Objet : [#1051] Imprimante',
        '',
        'Bonjour Claire,',
      ),
      'Merci, ça marche.',
    ],
    [
      'Gmail, attribution on one line',
      lines(
        'It jammed again.',
        '',
        'On Mon, 2 Mar 2026 at 16:02, Tierdesk Support <support+1042@tierdesk.local> wrote:',
        '',
        '> Hello Alice,',
        '> we opened ticket #1042.',
      ),
      'It jammed again.',
    ],
    [
      'Gmail, attribution wrapped onto a second line',
      lines(
        'It jammed again.',
        '',
        'On Mon, 2 Mar 2026 at 16:02, Tierdesk Support <support+1042@tierdesk.local>',
        'wrote:',
        '',
        '> Hello Alice,',
      ),
      'It jammed again.',
    ],
    [
      'Apple Mail, attribution inside the quote, "Sent from my iPhone"',
      lines(
        'Still dropping.',
        '',
        'Sent from my iPhone',
        '',
        '> On 2 Mar 2026, at 17:20, Tierdesk Support <support+1044@tierdesk.local> wrote:',
        '> ',
        '> \uFEFFHello Dave,',
      ),
      'Still dropping.',
    ],
    [
      'Apple Mail on the Mac, attribution above the quote',
      lines(
        'Version 5.2.1.',
        '',
        '> On 2. Mar 2026, at 17:20, Tierdesk Support <support+1044@tierdesk.local> wrote:',
        '> ',
        '> Which version do you use?',
      ),
      'Version 5.2.1.',
    ],
    [
      'Thunderbird in German, Am … um … schrieb …:',
      lines(
        'Der Drucker läuft wieder.',
        '',
        'Am 02.03.26 um 16:02 schrieb Tierdesk Support:',
        '> Hello Alice,',
        '> thanks for your request.',
      ),
      'Der Drucker läuft wieder.',
    ],
    [
      'German Gmail, Am … schrieb Name <address>:',
      lines(
        'Passt, danke!',
        '',
        'Am Mo., 2. März 2026 um 16:02 Uhr schrieb Tierdesk Support <',
        'support@tierdesk.local>:',
        '',
        '> Hallo,',
      ),
      'Passt, danke!',
    ],
    [
      'French Gmail, Le … a écrit :',
      lines(
        'Merci !',
        '',
        'Le lun. 2 mars 2026 à 16:02, Tierdesk Support <support@tierdesk.local> a écrit :',
        '',
        '> Bonjour,',
      ),
      'Merci !',
    ],
    [
      'a mobile client that quotes without > marks',
      lines(
        'Yes, please replace it.',
        '',
        'On Monday, March 2, 2026, Tierdesk Support <support@tierdesk.local> wrote:',
        'Shall we order a new fuser unit?',
      ),
      'Yes, please replace it.',
    ],
    [
      'a standard "-- " signature',
      lines('The VPN works again.', '', '-- ', 'Dave Miller', 'Contoso Ltd.'),
      'The VPN works again.',
    ],
  ];

  it.each(clients)('%s', (_, full, reply) => {
    expect(stripQuoted(full)).toEqual({ text: reply, full, stripped: true });
  });

  it('keeps answers written between quoted lines', () => {
    const interleaved = lines(
      'On Mon, 2 Mar 2026 at 16:02, Tierdesk Support <support@tierdesk.local> wrote:',
      '> Which floor?',
      '',
      'Floor 3.',
      '',
      '> Which model?',
      '',
      'HP LaserJet M607.',
    );
    const { text } = stripQuoted(interleaved);
    expect(text).toContain('Floor 3.');
    expect(text).toContain('HP LaserJet M607.');
    expect(text).not.toContain('Which floor?');
  });

  it('keeps a forwarded message: it is what the person adds to the ticket', () => {
    const text = lines(
      'Here is the error mail I got.',
      '',
      '---------- Forwarded message ---------',
      'From: Backup <backup@example.com>',
      'Date: Mon, 2 Mar 2026 at 03:00',
      'Subject: Backup failed',
      'To: <alice@example.com>',
      '',
      'Job nightly failed: disk full.',
    );
    expect(stripQuoted(text)).toEqual({ text, full: text, stripped: false });
  });

  it('leaves a text without history alone', () => {
    expect(stripQuoted('Printer on floor 3 jams.\r\nPlease help.')).toEqual({
      text: 'Printer on floor 3 jams.\nPlease help.',
      full: 'Printer on floor 3 jams.\nPlease help.',
      stripped: false,
    });
  });

  it('keeps a reply that is nothing but a sign-off rather than returning nothing', () => {
    expect(stripQuoted('Best regards,\nAlice').text).toBe('Best regards,\nAlice');
  });

  it('returns an empty reply when the mail only quotes (the full text is still there)', () => {
    const result = stripQuoted(
      lines('On Mon, 2 Mar 2026, Tierdesk <support@tierdesk.local> wrote:', '> Hello'),
    );
    expect(result.full).toContain('> Hello');
    expect(result.text).not.toContain('> Hello');
  });

  it('does not mistake a pasted "From:" line for a header block', () => {
    const text = lines('The bounce says:', 'From: MAILER-DAEMON', 'Delivery failed.');
    expect(stripQuoted(text).text).toBe(text);
  });

  it('stays linear on thousands of attributions each followed by a quote', () => {
    const started = performance.now();
    stripQuoted('On Mon, 2 Mar 2026, a <a@b.example> wrote:\n\n> x\n\nnew text\n'.repeat(8000));
    expect(performance.now() - started).toBeLessThan(500);
  });

  it(`cuts a text longer than ${MAX_REPLY_PARSER_CHARS} characters line by line, quickly`, () => {
    const long = `${'word '.repeat(MAX_REPLY_PARSER_CHARS / 4)}\n\n-----Original Message-----\nFrom: x <x@y.example>\n`;
    const started = performance.now();
    const { text } = stripQuoted(long);
    expect(performance.now() - started).toBeLessThan(500);
    expect(text).not.toContain('Original Message');
  });
});

describe('Function: replyOf', () => {
  it('strips an HTML-only Outlook reply through its plain rendering', async () => {
    const html = [
      '<html><body><div class="WordSection1"><p class="MsoNormal">Thanks, it works.</p>',
      '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class="MsoNormal"><b>From:</b> Tierdesk Support &lt;support@tierdesk.local&gt;<br>',
      '<b>Sent:</b> Monday, March 2, 2026 4:15 PM<br><b>To:</b> Carol &lt;carol@contoso.example&gt;<br>',
      '<b>Subject:</b> [#1043] Password</p></div><p class="MsoNormal">Hello Carol, please try again.</p></div></body></html>',
    ].join('\n');
    const raw = Buffer.from(
      `From: carol@contoso.example\r\nSubject: RE: [#1043] Password\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`,
    );
    const parsed = await parseMail(raw);
    expect(parsed.ok && replyOf(parsed.mail).text).toBe('Thanks, it works.');
  });

  it('strips a Gmail HTML-only reply, whose blockquote renders as > lines', async () => {
    const html =
      '<div dir="ltr">Photo attached.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 2 Mar 2026 at 16:02, Tierdesk Support &lt;support@tierdesk.local&gt; wrote:<br></div><blockquote class="gmail_quote">Could you send a photo?</blockquote></div>';
    const raw = Buffer.from(
      `From: alice@example.com\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`,
    );
    const parsed = await parseMail(raw);
    expect(parsed.ok && replyOf(parsed.mail).text).toBe('Photo attached.');
  });
});
