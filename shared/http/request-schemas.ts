import * as z from '#shared/runtime/zod';
import { CursorSchema, LIMITS, LimitSchema, TicketNumberSchema } from '#shared/tickets/input';

/**
 * What API requests carry besides their bodies: paths, pages, If-Match and idempotency keys;
 * and the shape of a page of a list.
 */

export const PageQuerySchema = /* @__PURE__ */ z.built(() =>
  z.strictObject({ limit: LimitSchema, cursor: CursorSchema }),
);

export const TicketPathSchema = /* @__PURE__ */ z.built(() => z.strictObject({ number: TicketNumberSchema }));

/**
 * If-Match, as RFC 9110 has it, for one ETag: `"3"` names version 3 (a bare `3` is accepted too,
 * for hand-typed curl); `*` matches whatever version is current. If-Match compares strongly, and
 * a weak ETag never matches strongly (§13.1.1): `W/"3"` is read, and then fails (412).
 */
export type IfMatch = { kind: 'version'; version: number } | { kind: 'any' } | { kind: 'weak' };

const IF_MATCH_PATTERN = /^(?:\*|(W\/)?"(\d{1,10})"|(\d{1,10}))$/;

export const IfMatchSchema = /* @__PURE__ */ z.built(() =>
  z
    .pipe(
      z
        .string()
        .check(
          z.trim(),
          z.regex(IF_MATCH_PATTERN, 'must be the ETag of the version you are changing, e.g. "3" (or *)'),
        ),
      z.transform((value: string): IfMatch => {
        if (value === '*') return { kind: 'any' };
        const [, weak, quoted, bare] = IF_MATCH_PATTERN.exec(value) ?? [];
        return weak ? { kind: 'weak' } : { kind: 'version', version: Number(quoted ?? bare) };
      }),
    )
    .check(
      z.meta({
        description:
          'The ETag of the version the change is based on, e.g. "3" (a bare 3 is accepted too); ' +
          '* matches any current version. A weak ETag (W/"3") never matches: 412.',
      }),
    ),
);

export const IdempotencyKeySchema = /* @__PURE__ */ z.built(() =>
  z
    .string()
    .check(
      z.regex(
        new RegExp(`^[A-Za-z0-9._:-]{1,${LIMITS.idempotencyKey}}$`),
        `must be 1-${LIMITS.idempotencyKey} characters of A-Z a-z 0-9 . _ : -`,
      ),
      z.meta({ description: 'Retry-safe creation: the same key and body return the same ticket' }),
    ),
);

/** A page of a list: its items and, while the list goes on, the cursor of the next page. */
export const pageSchema = <T extends z.core.SomeType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.described(
        z.optional(z.string()),
        'Present while the list goes on, absent on its last page. Each page reads a bounded ' +
          'amount, so a page may hold fewer than `limit` items, even none, and still go on.',
      ),
    })
    .check(z.meta({ id }));
