import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeNonAscii, escapeOutputFile } from '#infra/constructs/ascii-output';

/**
 * What esbuild leaves non-ASCII in a bundle (regular-expression literals, template literals),
 * escaped: the same patterns and strings when run, and a source map that still points home.
 */

const folder = mkdtempSync(join(tmpdir(), 'tierdesk-ascii-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Evaluates an expression of JavaScript source text. */
const run = (expression: string): unknown => new Function(`return (${expression});`)();

describe('Function: escapeNonAscii', () => {
  it.each([
    ['a pattern with accents', "/r[ée]ponse|a écrit/i.test('RÉPONSE')"],
    ['a CJK alternative, Unicode mode', String.raw`/^(?:自动回复|自動応答)\s*[:：]/u.test('自動応答：')`],
    ['an astral character, Unicode mode, in a class', "/^[😀-😂]$/u.test('😁')"],
    ['an astral character, outside Unicode mode', "/^😀$/.test('😀')"],
    ['an identity escape outside Unicode mode', String.raw`/^\é$/.test('é')`],
    ['a template literal', '`5 ★★★`.length'],
    ['String.raw becoming a pattern', 'new RegExp(String.raw`stars?|★+`).test("★★")'],
    ['a pattern of the v flag', String.raw`/[\p{L}--[é]]/v.test('é')`],
  ])('keeps %s meaning the same', (_case, source) => {
    const escaped = escapeNonAscii(source);
    expect(escaped).toMatch(/^[\x20-\x7e]*$/);
    expect(run(escaped)).toEqual(run(source));
  });
});

describe('Function: escapeOutputFile', () => {
  it('escapes a bundle esbuild left non-ASCII and moves its source map columns with the characters', () => {
    // Prepare: a source whose pattern esbuild keeps as written, and a call after it on the same line
    const source = join(folder, 'source.ts');
    writeFileSync(
      source,
      [
        'export const auto = (subject: string) => /^(?:réponse automatique|自动回复)/iu.test(subject);',
        'export const fail = () => { throw new Error("after the pattern"); };',
        '',
      ].join('\n'),
    );
    const out = join(folder, 'out.mjs');
    buildSync({ entryPoints: [source], outfile: out, format: 'esm', minify: true, sourcemap: true });
    const before = readFileSync(out, 'utf8');
    expect(before).toMatch(/[\u0080-\uffff]/);
    const column = (code: string) => {
      const line = code.split('\n').findIndex((text) => text.includes('after the pattern'));
      return { line: line + 1, column: (code.split('\n')[line] as string).indexOf('new Error') };
    };
    const original = originalPositionFor(new TraceMap(readFileSync(`${out}.map`, 'utf8')), column(before));

    expect(escapeOutputFile(out)).toBe(true);

    const after = readFileSync(out, 'utf8');
    expect(after).not.toMatch(/[\u0080-\uffff]/);
    expect(originalPositionFor(new TraceMap(readFileSync(`${out}.map`, 'utf8')), column(after))).toEqual(
      original,
    );
    expect(original.line).toBe(2);
    expect(escapeOutputFile(out)).toBe(false);
  });
});
