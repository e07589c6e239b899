import { ValidationError } from '#shared/domain/errors';

/**
 * Opaque page cursors. A cursor is the DynamoDB key of the last item of a page, base64url'd.
 * Decoding checks that it belongs to the partition being queried: a cursor from another view
 * (or hand-made) is a 400 naming `query.cursor`, never a DynamoDB ValidationException.
 */

export type CursorKey = Record<string, string>;

export const encodeCursor = (key: CursorKey): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');

export const decodeCursor = (
  cursor: string | undefined,
  expected: { attributes: readonly string[]; partition: { attribute: string; value: string } },
): CursorKey | undefined => {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError([
      { field: 'query.cursor', message: 'is not a cursor of this list; start without one' },
    ]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const wanted = new Set(expected.attributes);
  if (
    entries.length !== wanted.size ||
    entries.some(([name, value]) => !wanted.has(name) || typeof value !== 'string') ||
    (key as CursorKey)[expected.partition.attribute] !== expected.partition.value
  ) {
    throw invalid();
  }
  return key as CursorKey;
};
