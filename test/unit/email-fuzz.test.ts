import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripQuoted } from '#shared/email/body';
import { decideInbound } from '#shared/email/inbound';
import { type ParseFailureReason, type ParseResult, parseMail } from '#shared/email/parse';
import { mutatedMail as mutated } from '#test/fixtures/email/mutate';
import { CONFIG, fakePorts } from '#test/fixtures/email/world';

/**
 * Whatever arrives, the intake must keep the raw message and decide something: `parseMail` and
 * `decideInbound` may neither throw nor reject. The inputs are the fixtures, mutated the way
 * broken mailers and hostile senders mutate mail.
 */

const REASONS: readonly ParseFailureReason[] = [
  'empty',
  'too-large',
  'unparseable',
  'broken-mime',
  'no-sender',
];

const isWellFormed = (result: ParseResult): boolean =>
  result.ok
    ? // The null sender only for a delivery-status report (see ParsedMail.from).
      (result.mail.from.address.includes('@') ||
        (result.mail.from.address === '' && result.mail.report?.type === 'delivery-status')) &&
      typeof result.mail.text === 'string' &&
      result.mail.attachments.every((attachment) => attachment.content.length === attachment.size)
    : REASONS.includes(result.reason) && typeof result.detail === 'string';

describe('Fuzz: parseMail', () => {
  it('never throws on mutated fixtures and always answers ok or a reason', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (raw) => {
        expect(isWellFormed(await parseMail(raw))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        expect(isWellFormed(await parseMail(Buffer.from(bytes)))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Fuzz: decideInbound', () => {
  it('always decides something for mutated fixtures', async () => {
    await fc.assert(
      fc.asyncProperty(mutated, async (raw) => {
        const decision = await decideInbound({ raw }, fakePorts(), CONFIG);
        expect(['quarantine', 'drop', 'bounce', 'ticket', 'comment']).toContain(decision.kind);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Fuzz: stripQuoted', () => {
  it('never throws and stays fast on arbitrary text with quote-like lines', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        '> quoted',
        '-----Original Message-----',
        'From: a <a@b.example>',
        'Sent: today',
        'To: b',
        '-- ',
      ),
      fc.string({ maxLength: 40 }).map((name) => `On Mon, 2 Mar 2026, ${name} <x@y.example> wrote:`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const started = performance.now();
        const result = stripQuoted(lines.join('\n'));
        expect(typeof result.text).toBe('string');
        expect(performance.now() - started).toBeLessThan(250);
      }),
      { numRuns: 300 },
    );
  });
});
