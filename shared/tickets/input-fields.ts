import { LEVELS } from '#shared/domain/ticket-fields';
import * as z from '#shared/runtime/zod';
import { LIMITS } from './limits.ts';

/** The fields several ticket inputs share (see input.ts). */

export const EmailSchema = /* @__PURE__ */ z.built(() =>
  z
    .pipe(
      z.email().check(z.maxLength(254)),
      z.transform((email: string) => email.toLowerCase()),
    )
    .check(
      z.meta({
        description: 'An email address; it is the identity of a person',
        example: 'alice@example.com',
      }),
    ),
);

export const TicketNumberSchema = /* @__PURE__ */ z.built(() =>
  z
    .pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,10}$/, 'must be a ticket number, e.g. 1042')),
        z.transform(Number),
      ),
      z.int().check(z.positive()),
    )
    .check(z.meta({ description: 'The ticket number (the 1042 of #1042)', example: '1042' })),
);

export const LevelSchema = /* @__PURE__ */ z.built(() => z.enum(LEVELS));
/** Letters and digits of any script: `\p{…}` needs the `u` flag. */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
export const TagSchema = /* @__PURE__ */ z.built(() =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(LIMITS.tag),
    z.regex(TAG_PATTERN, 'tags are letters, digits, ".", "_" and "-"'),
    // The generator writes a flagged regex as `source/u`; a JSON Schema pattern is the bare source
    // (ECMA-262, read with Unicode semantics).
    z.meta({ pattern: TAG_PATTERN.source }),
  ),
);
export const CategorySchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(LIMITS.category),
      z.regex(/^[a-z0-9][a-z0-9/_-]*$/, 'categories are lower-case slugs like "hardware/printer"'),
    ),
);

/** The id `POST /tickets/{number}/attachments` gave an upload (or the intake a mail's file). */
export const AttachmentIdSchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an attachment id'),
      z.meta({ description: 'An attachment id', example: 'b3J0aGUgZmlsZSBpZA' }),
    ),
);

export const LimitSchema = /* @__PURE__ */ z.built(() =>
  z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(LIMITS.pageSize)), LIMITS.defaultPageSize),
);
export const CursorSchema = /* @__PURE__ */ z.built(() =>
  z
    .optional(z.string().check(z.minLength(1), z.maxLength(LIMITS.cursor)))
    .check(z.meta({ description: 'Opaque: nextCursor of the previous page' })),
);
