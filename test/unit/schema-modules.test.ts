import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from '#shared/runtime/zod';

/**
 * Module-level schemas are built through `z.built`, marked pure, so that a Lambda bundle
 * constructs only the schemas its code reaches (see `shared/runtime/zod.ts`).
 */

const sources = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));

/**
 * A top-level `const` whose value is built by zod (`z.…`) or by a schema helper (`pageSchema(…)`,
 * `textSchema(…)`, `trimmed(…)`) right away, not through `z.built`.
 */
const UNWRAPPED = /^(?:export )?const (\w+)(?::[^=\n]+)? =\s*(?:z\s*\.|(?:\w*[Ss]chema|trimmed)\()/gm;

describe('Module-level schemas', () => {
  it('are built through z.built, marked pure, in every module of shared/ and functions/', () => {
    const unwrapped = [...sources('shared'), ...sources('functions')].flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(UNWRAPPED)].map((match) => `${file}: ${match[1]}`),
    );
    expect(unwrapped).toEqual([]);
  });

  it('recognise what they must: a schema built directly is caught, a wrapped one is not', () => {
    const caught = (code: string) => [...code.matchAll(UNWRAPPED)].map((match) => match[1]);
    expect(
      caught("export const A = z.string();\nconst B = z\n  .object({});\nconst C = pageSchema(A, 'P');"),
    ).toEqual(['A', 'B', 'C']);
    expect(caught('export const D = /* @__PURE__ */ z.built(() => z.string());\nconst n = 1;')).toEqual([]);
  });

  it('z.built builds at once outside a bundle', () => {
    const schema = z.built(() => z.string());
    expect(schema.parse('x')).toBe('x');
  });
});
