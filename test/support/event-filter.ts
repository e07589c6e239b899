/**
 * Lambda's event filtering, for the patterns the stack uses (literal values only): every key of
 * the pattern must be in the record, nested objects match recursively, and an array lists the
 * allowed values. A content filter (`{ prefix: … }`, `{ exists: … }`) is refused rather than
 * guessed at.
 */
export const matchesFilter = (pattern: unknown, value: unknown): boolean => {
  if (Array.isArray(pattern)) {
    for (const allowed of pattern) {
      if (typeof allowed === 'object')
        throw new Error(`content filter not supported here: ${JSON.stringify(allowed)}`);
    }
    return pattern.includes(value);
  }
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern as Record<string, unknown>).every(([key, inner]) =>
    matchesFilter(inner, (value as Record<string, unknown>)[key]),
  );
};
