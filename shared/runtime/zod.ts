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
