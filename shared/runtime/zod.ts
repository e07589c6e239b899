/**
 * The zod every schema of Tierdesk is built with: `zod/mini`, zod's tree-shakable form, with
 * zod's English messages. `import * as z from '#shared/runtime/zod'`.
 *
 * Why not `zod` itself: its classic API hangs every method on every schema and cannot be
 * tree-shaken; in a Lambda bundle it was about 99 KiB and, with the schemas it constructs at
 * load, most of an API handler's import time above a bare DynamoDB client (see the bundles part
 * of `npm run bench`). zod/mini is the same engine (`zod/v4/core`: parsing, issues, messages,
 * JSON Schema) behind functions instead of methods: `z.optional(s)` for `s.optional()`,
 * `s.check(z.maxLength(n))` for `s.max(n)`, `z.pipe(s, z.transform(f))` for `s.transform(f)`,
 * `s.check(z.meta({ … }))` for `s.meta({ … })` (a copy of `s` with the metadata, as before).
 *
 * zod/mini sets no locale by itself (its messages would all read "Invalid input"); this module
 * sets English once, before any schema parses, wherever it is imported from.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';

/** `schema` with a description: a copy carrying it, as classic zod's `.describe()` made. */
export const described = <S extends z.ZodMiniType>(schema: S, description: string): S =>
  schema.check(z.meta({ description }));

/**
 * `build()`. Every module-level schema is built through it, the call marked pure for bundlers:
 * `export const X = `, the `@__PURE__` annotation comment, then `z.built(() => z.object(…))`.
 *
 * esbuild drops an unused module-level constant only when building it cannot have effects. It
 * reads that from a `@__PURE__` comment on the call; zod's own `@__NO_SIDE_EFFECTS__` marks do not
 * carry across modules (evanw/esbuild#4369), and `.check()` is a method call it cannot see into.
 * Without this, a function constructs every schema of every module it imports from, used or not:
 * zod instances cost tens of microseconds each at a cold start, and the first use of each kind
 * compiles its code. Wrapped, a bundle keeps the schemas its code reaches and nothing else
 * (get-timeline 1.49 → 1.36, list-articles 1.50 → 1.33 times the import time of the reference
 * bundle, in one interleaved run). Outside a bundle it is a plain call: schemas are built at
 * import, as before.
 */
export const built = <T>(build: () => T): T => build();
