import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decode, encode } from '@jridgewell/sourcemap-codec';

/**
 * Makes a bundled function's JavaScript ASCII-only. esbuild escapes non-ASCII characters in
 * strings and identifiers (its `charset: 'ascii'` default) but writes those in regular-expression
 * literals and template literals as they are: the mail intake's multilingual patterns (`自动回复`,
 * `a écrit`, `ursprüngliche Nachricht`), the survey's `★`. One such character makes Node decode the
 * whole file from UTF-8 and V8 keep and scan it as two-byte text at every cold start: the intake
 * imported 3.18× the reference's time, 2.59× once ASCII.
 *
 * Each UTF-16 unit above U+007F becomes `\uXXXX` (an astral character its surrogate pair). In a
 * pattern, with or without the `u` or `v` flag, that is the same character (a pair of escapes in
 * a Unicode-mode pattern is one code point); in a template literal the same cooked string. What
 * changes is the raw text of a template, seen only by a tag such as `String.raw`, whose text here
 * becomes a `RegExp` source, where the escape means the character again. The source map's columns
 * move with the characters, so a stack trace still points at the same source position.
 */

const NON_ASCII = /[\u0080-\uffff]/;

const isEscaped = (code: string, index: number): boolean => {
  let backslashes = 0;
  while (code.charCodeAt(index - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
};

/**
 * Every UTF-16 unit above U+007F as `\uXXXX`. One written with an identity escape (`\é`, the
 * character itself outside Unicode mode) loses that backslash, which would otherwise escape the
 * escape.
 */
export const escapeNonAscii = (code: string): string => {
  let out = '';
  let from = 0;
  for (let index = 0; index < code.length; index++) {
    const unit = code.charCodeAt(index);
    if (unit <= 0x7f) continue;
    out += code.slice(from, isEscaped(code, index) ? index - 1 : index);
    out += `\\u${unit.toString(16).padStart(4, '0')}`;
    from = index + 1;
  }
  return out + code.slice(from);
};

/** How far each column of `line` moves once escaped: 5 more characters per non-ASCII unit before it
 * (4 for one that loses its identity escape). */
const columnShift = (line: string): ((column: number) => number) => {
  // Where each non-ASCII unit starts and how many characters it grows by (4 when it drops a backslash).
  const growth: [number, number][] = [];
  for (let index = 0; index < line.length; index++)
    if (line.charCodeAt(index) > 0x7f) growth.push([index, isEscaped(line, index) ? 4 : 5]);
  return (column) => {
    let shift = 0;
    for (const [index, by] of growth) {
      if (index >= column) break;
      shift += by;
    }
    return column + shift;
  };
};

/** Escapes one output file and moves the generated columns of its source map (`<file>.map`) along. */
export const escapeOutputFile = (file: string): boolean => {
  const code = readFileSync(file, 'utf8');
  if (!NON_ASCII.test(code)) return false;
  writeFileSync(file, escapeNonAscii(code));
  const mapFile = `${file}.map`;
  if (!existsSync(mapFile)) return true;
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { mappings: string };
  const lines = code.split('\n');
  const mappings = decode(map.mappings).map((segments, index) => {
    const line = lines[index] ?? '';
    if (!NON_ASCII.test(line)) return segments;
    const shift = columnShift(line);
    return segments.map(([column, ...rest]) => [shift(column), ...rest] as (typeof segments)[number]);
  });
  writeFileSync(mapFile, JSON.stringify({ ...map, mappings: encode(mappings) }));
  return true;
};

/** Escapes every `.mjs` file esbuild wrote into a function's bundle folder (the handler and its chunks). */
export const escapeBundleOutput = (outdir: string): void => {
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.mjs')) escapeOutputFile(path);
    }
  };
  visit(outdir);
};
