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

/**
 * A position's schema, built when the first cursor of its list is decoded: a first page, what
 * most requests read, needs none, so a cold start constructs none of them.
 */
export type PositionSchema<P> = () => z.core.$ZodType<P>;

export const positionSchema = <P>(build: () => z.core.$ZodType<P>): PositionSchema<P> => {
  let schema: z.core.$ZodType<P> | undefined;
  return () => {
    schema ??= build();
    return schema;
  };
};

const keyNumber = () => z.int().check(z.gte(1), z.lte(MAX_KEY_NUMBER));

export const EventPositionSchema: PositionSchema<EventPosition> = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({
    version: keyNumber(),
    index: z.int().check(z.gte(0), z.lte(MAX_EVENT_INDEX)),
  }),
);

export const PersonListPositionSchema: PositionSchema<PersonListPosition> = /* @__PURE__ */ positionSchema(
  () =>
    z.strictObject({
      number: keyNumber(),
      createdAt: z.iso.datetime(),
      watched: z.boolean(),
    }),
);

export const QueuePositionSchema: PositionSchema<QueuePosition> = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({
    number: keyNumber(),
    dueAt: z.optional(z.iso.datetime()),
  }),
);

export const FinderPositionSchema: PositionSchema<FinderPosition> = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({
    number: keyNumber(),
    createdAt: z.iso.datetime(),
  }),
);

export const IncidentPositionSchema: PositionSchema<IncidentPosition> = /* @__PURE__ */ positionSchema(() =>
  z.strictObject({
    stoppedAt: z.iso.datetime(),
    number: keyNumber(),
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
  position: PositionSchema<P>,
): P | undefined => {
  if (cursor === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const result = z.safeParse(z.strictObject({ list: z.literal(list), after: position() }), json);
  if (!result.success) throw invalidCursor();
  return result.data.after as P;
};
