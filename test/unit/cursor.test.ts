import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors';
import * as z from '#shared/runtime/zod';
import {
  decodeCursor,
  EventPositionSchema,
  encodeCursor,
  PersonListPositionSchema,
  positionSchema,
  QueuePositionSchema,
} from '#shared/store/cursor';
import {
  eventPosition,
  eventStartKey,
  personListPosition,
  personListStartKey,
  personPartition,
  queuePosition,
  queueStartKey,
  ticketKey,
  tierQueuePartition,
} from '#shared/store/keys';

const TICKET = 7;
const timeline = ticketKey(TICKET).pk;
const person = personPartition('alice@example.com');
const queue = tierQueuePartition(2);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00.000Z'), max: new Date('2099-12-31T23:59:59.999Z') })
  .filter((date) => !Number.isNaN(date.getTime()))
  .map((date) => date.toISOString());
const keyNumber = fc.integer({ min: 1, max: 9_999_999_999 });
const eventPositions = fc.record({ version: keyNumber, index: fc.integer({ min: 0, max: 999 }) });
const personPositions = fc.record({ number: keyNumber, createdAt: isoDate, watched: fc.boolean() });
const queuePositions = fc.record({ number: keyNumber, dueAt: isoDate }, { requiredKeys: ['number'] });

/** Values a hand-made cursor might hold: the right names with wrong, edge or empty values. */
const anyValue = fc.oneof(
  fc.integer({ min: -2, max: 10_000_000_001 }),
  fc.constantFrom(0, 1, 999, 1000, 9_999_999_999, 10_000_000_000, 1.5, Number.MAX_SAFE_INTEGER),
  fc.string(),
  fc.constantFrom('', 'TICKET', 'EVENT#', 'EVENT#0000000001#000', '~', '2026-11-20T10:00:00.000Z#1'),
  isoDate,
  fc.boolean(),
  fc.constant(null),
);
const lists = fc.constantFrom(timeline, person, queue, '', ticketKey(8).pk);
const handMade = fc.oneof(
  fc.jsonValue(),
  fc.record({ list: lists, after: fc.oneof(eventPositions, personPositions, queuePositions) }),
  fc.record(
    {
      list: lists,
      after: fc.dictionary(
        fc.constantFrom('version', 'index', 'number', 'createdAt', 'watched', 'dueAt', 'pk', 'sk', 'gsi1sk'),
        anyValue,
      ),
    },
    { requiredKeys: [] },
  ),
);

/** A decoded cursor either is refused as a 400 or rebuilds a key that reads back as itself. */
const refusedOrWellFormed = <P>(
  cursor: string,
  decode: (cursor: string) => P | undefined,
  check: (p: P) => void,
) => {
  let position: P | undefined;
  try {
    position = decode(cursor);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['query.cursor']);
    return;
  }
  expect(position).toBeDefined();
  check(position as P);
};

const nonEmptyStrings = (key: Record<string, string>) => {
  for (const value of Object.values(key)) expect(value).toMatch(/^\S+$/);
};

describe('Module: cursor', () => {
  describe('Function: decodeCursor', () => {
    it('builds a position schema when the first cursor of its list is decoded, and only once', () => {
      let builds = 0;
      const position = positionSchema(() => {
        builds++;
        return z.strictObject({ n: z.int() });
      });

      expect(decodeCursor(undefined, 'LIST', position)).toBeUndefined();
      expect(builds).toBe(0);
      expect(decodeCursor(encodeCursor('LIST', { n: 1 }), 'LIST', position)).toEqual({ n: 1 });
      expect(decodeCursor(encodeCursor('LIST', { n: 2 }), 'LIST', position)).toEqual({ n: 2 });
      expect(builds).toBe(1);
    });

    it('round-trips every position of every list', () => {
      fc.assert(
        fc.property(eventPositions, personPositions, queuePositions, (event, mine, queued) => {
          expect(decodeCursor(encodeCursor(timeline, event), timeline, EventPositionSchema)).toEqual(event);
          expect(decodeCursor(encodeCursor(person, mine), person, PersonListPositionSchema)).toEqual(mine);
          expect(decodeCursor(encodeCursor(queue, queued), queue, QueuePositionSchema)).toEqual(queued);
        }),
      );
    });

    it('refuses a hand-made timeline cursor, or rebuilds a key inside the timeline (sk EVENT#…)', () => {
      fc.assert(
        fc.property(handMade, (json) =>
          refusedOrWellFormed(
            b64(json),
            (cursor) => decodeCursor(cursor, timeline, EventPositionSchema),
            (position) => {
              const key = eventStartKey(TICKET, position);
              nonEmptyStrings(key);
              expect(key.pk).toBe(timeline);
              expect(key.sk).toMatch(/^EVENT#/);
              expect(eventPosition(key)).toEqual(position);
            },
          ),
        ),
        { numRuns: 500 },
      );
    });

    it('refuses a hand-made list cursor, or rebuilds a well-formed index key', () => {
      fc.assert(
        fc.property(handMade, (json) => {
          refusedOrWellFormed(
            b64(json),
            (cursor) => decodeCursor(cursor, person, PersonListPositionSchema),
            (position) => {
              const key = personListStartKey('alice@example.com', position);
              nonEmptyStrings(key);
              expect(key.gsi1pk).toBe(person);
              expect(personListPosition(key)).toEqual(position);
            },
          );
          refusedOrWellFormed(
            b64(json),
            (cursor) => decodeCursor(cursor, queue, QueuePositionSchema),
            (position) => {
              const key = queueStartKey('tierQueue', queue, position);
              nonEmptyStrings(key);
              expect(key.gsi2pk).toBe(queue);
              expect(queuePosition('tierQueue', key)).toEqual(position);
            },
          );
        }),
        { numRuns: 500 },
      );
    });

    it.each([
      ['a raw key with empty values', b64({ pk: '', sk: '', gsi1pk: person, gsi1sk: '' })],
      ['a raw timeline key outside the timeline', b64({ pk: timeline, sk: 'TICKET' })],
      ['a raw timeline key with an empty sort key', b64({ pk: timeline, sk: '' })],
      ['a position of another list', encodeCursor(ticketKey(8).pk, { version: 1, index: 0 })],
      ['an empty position', encodeCursor(timeline, {})],
      ['an event index beyond the key width', encodeCursor(timeline, { version: 1, index: 1000 })],
      ['a version beyond the key width', encodeCursor(timeline, { version: 10_000_000_000, index: 0 })],
      ['extra fields', encodeCursor(timeline, { version: 1, index: 0, sk: 'TICKET' })],
      ['not base64 JSON', 'not-a-cursor'],
      ['a JSON array', b64([1])],
    ])('refuses %s as a 400 on query.cursor', (_case, cursor) => {
      expect(() => decodeCursor(cursor, timeline, EventPositionSchema)).toThrow(ValidationError);
    });

    it('is undefined without a cursor (the first page)', () => {
      expect(decodeCursor(undefined, timeline, EventPositionSchema)).toBeUndefined();
    });
  });
});
