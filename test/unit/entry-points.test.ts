import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `functions/` holds Lambda entry points only: parse, call `shared/`, shape the response. Logic
 * that grows there is logic no other entry point, test or local stand-in can reuse, so an entry
 * point stays short and reaches everything through the `#shared/…` aliases.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAX_LINES = 40;

const entryPoints = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? entryPoints(join(folder, entry.name)) : [join(folder, entry.name)],
  );

const files = entryPoints(join(ROOT, 'functions')).map((file) => ({
  name: relative(ROOT, file),
  source: readFileSync(file, 'utf8'),
}));

describe('Folder: functions', () => {
  it('holds entry points, and nothing else', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const { name } of files) expect(name, name).toMatch(/^functions\/[a-z]+\/[a-z-]+\.ts$/);
  });

  it(`keeps every entry point within ${MAX_LINES} lines`, () => {
    const long = files
      .map(({ name, source }) => ({ name, lines: source.trimEnd().split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('exports a handler from every entry point and reaches shared code by its alias only', () => {
    for (const { name, source } of files) {
      expect(source, name).toMatch(/^export const handler = /m);
      const specifiers = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1] ?? '');
      expect(
        specifiers.filter((specifier) => specifier.startsWith('.') || specifier.startsWith('#infra')),
        name,
      ).toEqual([]);
    }
  });
});
