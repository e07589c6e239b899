import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stripQuoted } from '#shared/email/body';
import { decideInbound } from '#shared/email/inbound';
import { type ParseFailureReason, type ParseResult, parseMail } from '#shared/email/parse';
import { FIXTURES } from '#test/fixtures/email/build';
import { CONFIG, fakePorts, fixture } from '#test/fixtures/email/world';

/**
 * Whatever arrives, the intake must keep the raw message and decide something: `parseMail` and
 * `decideInbound` may neither throw nor reject. The inputs are the fixtures, mutated the way
 * broken mailers and hostile senders mutate mail.
 */

const SEEDS = Object.keys(FIXTURES).map((name) => fixture(name));
const REASONS: readonly ParseFailureReason[] = [
  'empty',
  'too-large',
  'unparseable',
  'broken-mime',
  'no-sender',
];

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate-header'; line: number }
  | { kind: 'garbage-header'; line: number; text: string }
  | { kind: 'boundary'; value: string; everywhere: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip'), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate'), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert'), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant('duplicate-header'), line: fc.nat() }),
  fc.record({ kind: fc.constant('garbage-header'), line: fc.nat(), text: fc.string({ maxLength: 120 }) }),
  fc.record({ kind: fc.constant('boundary'), value: fc.string({ maxLength: 80 }), everywhere: fc.boolean() }),
);

const headerEnd = (raw: Buffer): number => {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? raw.length : end + 2;
};

const apply = (raw: Buffer, change: Mutation): Buffer => {
  const at = (position: number): number => (raw.length === 0 ? 0 : position % (raw.length + 1));
  switch (change.kind) {
    case 'flip': {
      const copy = Buffer.from(raw);
      if (copy.length > 0) copy[change.at % copy.length] = change.byte;
      return copy;
    }
    case 'truncate':
      return raw.subarray(0, at(change.at));
    case 'insert':
      return Buffer.concat([raw.subarray(0, at(change.at)), change.bytes, raw.subarray(at(change.at))]);
    case 'duplicate-header':
    case 'garbage-header': {
      const end = headerEnd(raw);
      const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
      const index = change.line % Math.max(lines.length, 1);
      const added = change.kind === 'duplicate-header' ? (lines[index] ?? '') : change.text;
      lines.splice(index, 0, added);
      return Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), raw.subarray(end)]);
    }
    case 'boundary': {
      const text = raw.toString('latin1');
      const declared = text.match(/boundary="?([^";\r\n]+)"?/i)?.[1];
      if (!declared) return raw;
      const replaced = change.everywhere
        ? text.split(declared).join(change.value)
        : text.replace(declared, change.value);
      return Buffer.from(replaced, 'latin1');
    }
  }
};

const mutated: fc.Arbitrary<Buffer> = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, changes]) => changes.reduce(apply, seed));

const isWellFormed = (result: ParseResult): boolean =>
  result.ok
    ? result.mail.from.address.includes('@') &&
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
