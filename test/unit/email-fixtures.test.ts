import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideInbound, type InboundDecision } from '#shared/email/inbound';
import { MAX_ATTACHMENT_BYTES } from '#shared/email/parse';
import { FIXTURE_DIR, FIXTURES, mailWithAttachment } from '#test/fixtures/email/build';
import { CONFIG, delivered, fakePorts, fixture } from '#test/fixtures/email/world';

/**
 * Every fixture through the whole pure pipeline (parse → verdicts → loop rules → threading →
 * body), with the outcome the intake must carry out. The README table lists the same outcomes;
 * a test below keeps the two in step.
 */

type Expected = { kind: InboundDecision['kind'] } & Record<string, unknown>;

const OUTCOMES: Record<string, Expected> = {
  'outlook-reply.eml': { kind: 'comment', ticket: 1043, via: 'message-id', authorRole: 'requester' },
  'gmail-reply.eml': { kind: 'comment', ticket: 1042, via: 'message-id', authorRole: 'requester' },
  'apple-mail-reply.eml': { kind: 'comment', ticket: 1044, via: 'message-id', authorRole: 'requester' },
  'thunderbird-german-reply.eml': {
    kind: 'comment',
    ticket: 1042,
    via: 'subject-token',
    authorRole: 'requester',
  },
  'reply-all-cc.eml': {
    kind: 'comment',
    ticket: 1042,
    via: 'message-id',
    authorRole: 'other',
    newWatchers: ['erin@example.com', 'frank@example.com'],
  },
  'vendor-reply-plus-address.eml': {
    kind: 'comment',
    ticket: 1042,
    via: 'plus-address',
    authorRole: 'vendor',
    automated: false,
  },
  'vendor-auto-ack.eml': {
    kind: 'comment',
    ticket: 1042,
    via: 'subject-token',
    authorRole: 'vendor',
    automated: true,
  },
  'html-only.eml': { kind: 'ticket', subject: 'Monitor flickers after docking' },
  'multipart-alternative.eml': { kind: 'ticket', subject: 'Laptop battery swells' },
  'nested-related-inline-image.eml': { kind: 'ticket', subject: 'Error when exporting the monthly report' },
  'charset-iso-8859-1.eml': { kind: 'ticket', subject: 'Drucker im Erdgeschoß druckt nur Kästchen' },
  'charset-windows-1252.eml': { kind: 'ticket', subject: 'Expense tool rejects amounts above € 1.000' },
  'charset-shift-jis.eml': { kind: 'ticket', subject: 'プリンターが動きません' },
  'charset-koi8-r.eml': { kind: 'ticket', subject: 'Не работает VPN' },
  'charset-gb2312-raw-headers.eml': {
    kind: 'ticket',
    subject: '打印机无法连接网络',
    requester: { address: 'wang.xiaoming@example.cn', name: '王小明' },
  },
  'charset-shift-jis-raw-headers.eml': {
    kind: 'ticket',
    subject: 'ＶＰＮに接続できません',
    requester: { address: 'hanako.sato@example.jp', name: '佐藤花子' },
  },
  'charset-iso-2022-jp-mislabelled.eml': {
    kind: 'ticket',
    subject: '共有フォルダにアクセスできません',
    description: expect.stringContaining('「アクセスが拒否されました」と表示されます。'),
  },
  'attachment-8bit-filename.eml': {
    kind: 'ticket',
    subject: 'プリンター修理の見積書',
    mail: { attachments: [{ filename: '見積書_2026年3月.pdf', contentType: 'application/pdf' }] },
  },
  'encoded-word-subject.eml': { kind: 'ticket', subject: '🔥 Server room: temperature alarm – 31\u00a0°C' },
  'auto-generated-alert.eml': {
    kind: 'ticket',
    automated: true,
    watchers: [],
    automaticReply: { mayAutoReply: false, reasons: ['Auto-Submitted: auto-generated'] },
  },
  'mailing-list.eml': {
    kind: 'ticket',
    automated: true,
    watchers: [],
    automaticReply: { mayAutoReply: false },
  },
  'forwarded.eml': {
    kind: 'ticket',
    subject: 'Fwd: Printer on floor 3 jams',
    threading: { kind: 'new', reason: 'forward', related: 1042 },
  },
  'stranger-token.eml': {
    kind: 'ticket',
    subject: 'Printer on floor 3 jams',
    requester: { address: 'mallory@elsewhere.example' },
    threading: { kind: 'stranger', ticket: 1042, via: 'subject-token' },
  },
  'ooo-outlook-exchange.eml': { kind: 'drop', reason: 'auto-reply' },
  'ooo-gmail-vacation.eml': { kind: 'drop', reason: 'auto-reply' },
  'ooo-apple-icloud.eml': { kind: 'drop', reason: 'auto-reply' },
  'ooo-exchange-german-subject-only.eml': { kind: 'drop', reason: 'auto-reply' },
  'mdn-read-receipt.eml': { kind: 'drop', reason: 'read-receipt' },
  'own-address-loop.eml': { kind: 'drop', reason: 'own-mail' },
  'bounce-delivery-status.eml': {
    kind: 'bounce',
    ticket: 1042,
    report: {
      type: 'delivery-status',
      originalMessageId: 'tierdesk.1042.watcher-notice@tierdesk.local',
      action: 'failed',
      status: '5.1.1',
      recipients: [{ address: 'nobody@example.com', action: 'failed', status: '5.1.1' }],
    },
  },
  'bounce-postfix-no-domain.eml': {
    kind: 'bounce',
    ticket: 1044,
    mail: { from: { address: '', name: 'MAILER-DAEMON' } },
    report: { originalMessageId: 'tierdesk.1044.ack@tierdesk.local', action: 'failed', status: '5.2.2' },
  },
  'bounce-exim-no-domain.eml': {
    kind: 'bounce',
    ticket: 1043,
    mail: { from: { address: '', name: 'Mail Delivery System' } },
    report: { originalMessageId: 'tierdesk.1043.reply-1@tierdesk.local', action: 'failed', status: '5.0.0' },
  },
  'bounce-backscatter.eml': { kind: 'quarantine', reason: 'unmatched-bounce' },
  'delay-postfix.eml': {
    kind: 'drop',
    reason: 'delivery-delayed',
    detail: 'delayed: bob@example.com (4.4.1)',
  },
  'delay-exchange.eml': {
    kind: 'drop',
    reason: 'delivery-delayed',
    detail: 'delayed: carol.jones@contoso.example (4.4.7)',
  },
  'ses-virus-verdict.eml': { kind: 'quarantine', reason: 'virus' },
  'malformed.eml': { kind: 'quarantine', reason: 'broken-mime' },
  'no-headers.eml': { kind: 'quarantine', reason: 'no-sender' },
};

const decide = (raw: Buffer, receipt?: Parameters<typeof decideInbound>[0]['receipt']) =>
  decideInbound({ raw, ...(receipt && { receipt }) }, fakePorts(), CONFIG);

/**
 * The fixtures whose sender must be authenticated to act (the ticket's vendor): their server
 * signs them, so they are delivered signed with the local test key, as the vendor's domain would.
 */
const SIGNED_BY: Readonly<Record<string, string>> = {
  'vendor-reply-plus-address.eml': 'vendor-support@printco.example',
  'vendor-auto-ack.eml': 'vendor-support@printco.example',
};

/** The fixture as it reaches the desk: signed when its sender signs, verified as the local stand-in does. */
const decideDelivered = async (name: string) => {
  const sender = SIGNED_BY[name];
  if (!sender) return decide(fixture(name));
  return decideInbound(await delivered(fixture(name), sender), fakePorts(), CONFIG);
};

describe('Fixture corpus', () => {
  const files = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.eml'));

  it('has an asserted outcome for every .eml file, and a file for every outcome', () => {
    expect(files.sort()).toEqual(Object.keys(OUTCOMES).sort());
  });

  it.each(files)('%s is exactly what build.ts writes', (name) => {
    const build = FIXTURES[name];
    expect(build, `${name} has no builder`).toBeDefined();
    expect(fixture(name).equals(build?.() ?? Buffer.alloc(0))).toBe(true);
  });

  it('README lists every fixture with the same outcome kind', () => {
    const readme = readFileSync(join(FIXTURE_DIR, 'README.md'), 'utf8');
    const rows = new Map(
      [...readme.matchAll(/^\| `([^`]+\.eml)` \|[^|]*\| \*\*(\w+)\*\*/gm)].map((match) => [
        match[1],
        match[2],
      ]),
    );
    for (const [name, expected] of Object.entries(OUTCOMES)) expect(rows.get(name), name).toBe(expected.kind);
  });
});

describe('Function: decideInbound', () => {
  it.each(Object.entries(OUTCOMES))('%s → %o', async (name, expected) => {
    expect(await decideDelivered(name)).toMatchObject(expected);
  });

  it.each(Object.entries(SIGNED_BY))(
    '%s without its signature is quarantined as unauthenticated',
    async (name) => {
      expect(await decide(fixture(name))).toMatchObject({
        kind: 'quarantine',
        reason: 'unauthenticated-vendor',
        auth: { verdict: 'none', reason: 'not-verified' },
      });
    },
  );

  it('comments carry the reply only, not the quoted history', async () => {
    const bodies = await Promise.all(
      ['outlook-reply.eml', 'gmail-reply.eml', 'apple-mail-reply.eml', 'thunderbird-german-reply.eml'].map(
        async (name) => {
          const decision = await decide(fixture(name));
          return decision.kind === 'comment' ? decision.body : undefined;
        },
      ),
    );
    expect(bodies.map((body) => body?.text.split('\n')[0])).toEqual([
      'Hi,',
      'It jammed again this morning, the display shows error E-07. I can take a photo – would that help?',
      'Still dropping, also on the home Wi-Fi. From the client log:',
      'Der Drucker läuft wieder, der Techniker hat die Fixiereinheit getauscht.',
    ]);
    for (const body of bodies) {
      expect(body?.stripped).toBe(true);
      expect(body?.text).not.toMatch(
        /Hello (Alice|Carol|Dave)|Original Message|wrote:|schrieb|Sent from my iPhone/,
      );
      expect(body?.full).toMatch(/Hello (Alice|Carol|Dave)/);
    }
  });

  it('a new ticket keeps the forwarded message in its description', async () => {
    const decision = await decide(fixture('forwarded.eml'));
    expect(decision.kind === 'ticket' && decision.description).toContain(
      'Forwarded message ---------\nFrom: Tierdesk Support',
    );
  });

  it('the same message delivered twice has one dedupe key, so the second delivery creates nothing', async () => {
    // Prepare: the store's conditional write on the dedupe key, as the intake will do it.
    const claimed = new Set<string>();
    const deliver = async (raw: Buffer) => {
      const decision = await decide(raw);
      if (!('mail' in decision) || !decision.mail) return 'no mail';
      if (claimed.has(decision.mail.dedupeKey)) return 'duplicate';
      claimed.add(decision.mail.dedupeKey);
      return decision.kind;
    };
    // Act
    const first = await deliver(fixture('gmail-reply.eml'));
    // SES adds its own trace headers on each delivery: the second copy differs in bytes.
    const second = await deliver(
      Buffer.concat([Buffer.from('Received: from relay-2\r\n'), fixture('gmail-reply.eml')]),
    );
    // Assess
    expect([first, second]).toEqual(['comment', 'duplicate']);
  });

  it('a message without Message-ID is deduplicated by its content', async () => {
    const raw = fixture('stranger-token.eml')
      .toString('latin1')
      .replace(/^Message-ID: .*\r\n/m, '');
    const [once, twice] = await Promise.all([
      decide(Buffer.from(`Received: from a\r\n${raw}`, 'latin1')),
      decide(Buffer.from(`Received: from b\r\n${raw}`, 'latin1')),
    ]);
    expect(once.kind === 'ticket' && once.mail.dedupeKey).toMatch(/^sha256:/);
    expect(once.kind === 'ticket' && once.mail.dedupeKey).toBe(
      twice.kind === 'ticket' && twice.mail.dedupeKey,
    );
  });

  describe('SES receipt verdicts (event metadata, not MIME)', () => {
    it.each([
      [{ spamVerdict: { status: 'FAIL' }, virusVerdict: { status: 'PASS' } }, 'spam'],
      [{ spamVerdict: { status: 'PASS' }, virusVerdict: { status: 'FAIL' } }, 'virus'],
      [{ dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'REJECT' }, 'dmarc'],
    ])('%o quarantines a clean-looking request as %s', async (receipt, reason) => {
      expect(await decide(fixture('multipart-alternative.eml'), receipt)).toMatchObject({
        kind: 'quarantine',
        reason,
      });
    });

    it('the event verdicts win over X-SES-* headers in the stored message', async () => {
      const passed = { spamVerdict: { status: 'PASS' }, virusVerdict: { status: 'PASS' } };
      expect((await decide(fixture('ses-virus-verdict.eml'), passed)).kind).toBe('ticket');
    });
  });

  it('a 25 MB attachment is dropped and listed; the request still becomes a ticket', async () => {
    // Prepare: generated, not committed; base64 makes the raw message about 34 MB.
    const size = 25 * 1024 * 1024;
    const raw = mailWithAttachment('laptop.img', size);
    // Act
    const decision = await decide(raw);
    // Assess
    expect(raw.length).toBeGreaterThan(34_000_000);
    expect(decision).toMatchObject({ kind: 'ticket', description: 'The disk image is attached.' });
    expect(decision.kind === 'ticket' && decision.mail.attachments).toEqual([]);
    expect(decision.kind === 'ticket' && decision.mail.dropped).toEqual([
      { filename: 'laptop.img', contentType: 'application/octet-stream', size, reason: 'too-large' },
    ]);
    expect(decision.kind === 'ticket' && decision.notes).toContain(
      'attachment laptop.img dropped: too-large',
    );
    expect(size).toBeGreaterThan(MAX_ATTACHMENT_BYTES);
  }, 30_000);
});
