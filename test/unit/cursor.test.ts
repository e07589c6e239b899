import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors';
import { decodeCursor, encodeCursor } from '#shared/store/cursor';

const shape = { attributes: ['pk', 'sk'], partition: { attribute: 'pk', value: 'TICKET#1' } };

describe('Module: cursor', () => {
  it('round-trips a key of the expected partition', () => {
    fc.assert(
      fc.property(fc.string(), (sk) => {
        const key = { pk: 'TICKET#1', sk };
        expect(decodeCursor(encodeCursor(key), shape)).toEqual(key);
      }),
    );
  });

  it.each([
    ['another partition', encodeCursor({ pk: 'TICKET#2', sk: 'x' })],
    ['extra attributes', encodeCursor({ pk: 'TICKET#1', sk: 'x', gsi1pk: 'y' })],
    ['not base64 JSON', 'not-a-cursor'],
    ['a JSON array', Buffer.from('[1]').toString('base64url')],
  ])('refuses %s as a 400 on query.cursor', (_case, cursor) => {
    expect(() => decodeCursor(cursor, shape)).toThrow(ValidationError);
  });
});
