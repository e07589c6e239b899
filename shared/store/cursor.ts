import { ValidationError } from '#shared/domain/errors';
import * as z from '#shared/runtime/zod';
import {
  type EventPosition,
  type FinderPosition,
  type IncidentPosition,
  MAX_EVENT_INDEX,
  MAX_KEY_NUMBER,
  type PersonListPosition,
  type QueuePosition,
} from './keys.ts';

/**
 * Opaque page cursors: the list a page belongs to and the position (domain values, see
 * `keys.ts`) of the last key it read, base64url'd JSON. The key to resume from is rebuilt from
 * the position by `keys.ts`, so a cursor cannot name a key of any other shape: a cursor from
 * another list, or hand-made, or tampered with, is a 400 naming `query.cursor`.
 */

const KeyNumberSchema = /* @__PURE__ */ z.built(() => z.int().check(z.gte(1), z.lte(MAX_KEY_NUMBER)));

export const EventPositionSchema: z.ZodMiniType<EventPosition> = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    version: KeyNumberSchema,
    index: z.int().check(z.gte(0), z.lte(MAX_EVENT_INDEX)),
  }),
);

export const PersonListPositionSchema: z.ZodMiniType<PersonListPosition> = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    number: KeyNumberSchema,
    createdAt: z.iso.datetime(),
    watched: z.boolean(),
  }),
);

export const QueuePositionSchema: z.ZodMiniType<QueuePosition> = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    number: KeyNumberSchema,
    dueAt: z.optional(z.iso.datetime()),
  }),
);

export const FinderPositionSchema: z.ZodMiniType<FinderPosition> = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    number: KeyNumberSchema,
    createdAt: z.iso.datetime(),
  }),
);

export const IncidentPositionSchema: z.ZodMiniType<IncidentPosition> = /* @__PURE__ */ z.built(() =>
  z.strictObject({
    stoppedAt: z.iso.datetime(),
    number: KeyNumberSchema,
    execution: z.string().check(z.regex(/^ticket-\d+-g\d+$/)),
  }),
);

export const invalidCursor = () =>
  new ValidationError([
    { field: 'query.cursor', message: 'is not a cursor of this list; start without one' },
  ]);

/** `list` is the partition the page was read from: a cursor only resumes the list it came from. */
export const encodeCursor = <P>(list: string, position: P): string =>
  Buffer.from(JSON.stringify({ list, after: position })).toString('base64url');

export const decodeCursor = <P>(
  cursor: string | undefined,
  list: string,
  position: z.core.$ZodType<P>,
): P | undefined => {
  if (cursor === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = z.safeParse(z.strictObject({ list: z.literal(list), after: position }), json);
  if (!result.success) throw invalidCursor();
  return result.data.after as P;
};
