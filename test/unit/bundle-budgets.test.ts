import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGETS, bundleSize, checkBundle, loadedAtImport } from '#infra/bundle-budgets';
import { bundleLambda } from '#infra/constructs/lambda-function';
import { sizeFigures } from '#test/bench/parts/bundles';
import { verdictOf } from '#test/bench/report';

/** The Lambda bundles' size gate measures a real bundle, and fails when one grows past its budget. */

let outdir: string;
let bundle: string;
beforeAll(async () => {
  // A real, small Lambda bundle: the benchmark's reference (a DynamoDB client), built as CDK builds functions.
  outdir = await mkdtemp(join(tmpdir(), 'tierdesk-bundle-budgets-'));
  await bundleLambda('test/bench/lambda-reference.ts', join(outdir, 'small'));
  bundle = join(outdir, 'small', 'index.mjs');
}, 60_000);
afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

/** `kib` KiB of text that does not compress (as a heavy dependency's code would not compress much). */
const noise = (kib: number) =>
  Array.from({ length: kib * 1024 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join('');

const gate = (file: string) => {
  const check = checkBundle(bundleSize('small', 'API handler', file));
  return {
    check,
    verdicts: sizeFigures([check]).map((figure) => [figure.name, figure.gated, verdictOf(figure)]),
  };
};

describe('Lambda bundle budgets', () => {
  it('passes a small bundle, measured minified and gzip', () => {
    const { check, verdicts } = gate(bundle);
    expect(check.minifiedKiB).toBeGreaterThan(100);
    expect(check.gzipKiB).toBeGreaterThan(20);
    expect(check.gzipKiB).toBeLessThan(check.minifiedKiB);
    expect(verdicts).toEqual([
      ['small: minified', true, 'PASS'],
      ['small: gzip', true, 'PASS'],
    ]);
  });

  it('fails the gzip budget when the bundle grows past it with code that does not compress', async () => {
    const { check } = gate(bundle);
    // Random printable text gzips to about 5/6 of its size: add enough to cross the budget.
    const kib = Math.ceil((BUNDLE_BUDGETS['API handler'].gzipKiB - check.gzipKiB) * 1.4) + 16;
    await appendFile(bundle, `\n/*${noise(kib)}*/\n`);
    const after = gate(bundle);
    expect(after.check.pass).toBe(false);
    expect(after.check.gzipKiB).toBeGreaterThan(BUNDLE_BUDGETS['API handler'].gzipKiB);
    expect(after.verdicts).toContainEqual(['small: gzip', true, 'FAIL']);
  });

  it('fails the minified budget when the bundle grows past it, however well it compresses', async () => {
    const budget = BUNDLE_BUDGETS['API handler'];
    const grown = join(outdir, 'grown.mjs');
    await appendFile(grown, `/*${'a'.repeat(budget.minifiedKiB * 1024 + 1024)}*/\n`);
    const after = gate(grown);
    expect(after.check.gzipKiB).toBeLessThan(budget.gzipKiB);
    expect(after.verdicts).toEqual([
      ['small: minified', true, 'FAIL'],
      ['small: gzip', true, 'PASS'],
    ]);
  });

  it('counts what importing the handler loads (its static chunks, transitively), and lazy chunks apart', async () => {
    // Prepare: a handler that imports one chunk statically, which imports another, and one lazily
    const dir = join(outdir, 'split');
    await mkdir(join(dir, 'chunks'), { recursive: true });
    await writeFile(
      join(dir, 'index.mjs'),
      `import{a as x}from"./chunks/chunk-A.mjs";export const handler=async()=>x+(await import("./chunks/lazy-C.mjs")).c;`,
    );
    await writeFile(
      join(dir, 'chunks', 'chunk-A.mjs'),
      `import"./chunk-B.mjs";export const a=${'1'.repeat(2048)};`,
    );
    await writeFile(join(dir, 'chunks', 'chunk-B.mjs'), `globalThis.b=${'2'.repeat(1024)};`);
    await writeFile(join(dir, 'chunks', 'lazy-C.mjs'), `export const c=${'3'.repeat(4096)};`);

    // Act
    const loaded = loadedAtImport(join(dir, 'index.mjs')).map((file) => file.slice(dir.length + 1));
    const size = bundleSize('split', 'API handler', join(dir, 'index.mjs'));

    // Assess: index + A + B at import (about 3 KiB), C (4 KiB) only lazily
    expect(loaded.sort()).toEqual(['chunks/chunk-A.mjs', 'chunks/chunk-B.mjs', 'index.mjs']);
    expect(size.minifiedKiB).toBeGreaterThan(3);
    expect(size.minifiedKiB).toBeLessThan(3.3);
    expect(size.lazyKiB).toBeGreaterThanOrEqual(4);
    expect(size.lazyKiB).toBeLessThan(4.1);
  });
});
