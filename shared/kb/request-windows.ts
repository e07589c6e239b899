import { createHash } from 'node:crypto';

/**
 * Counting what anonymous sources ask for, one window at a time (the port; the table holds the
 * counters: `adapters/dynamodb.ts`). A fixed window per source: simple, one conditional write per
 * request, and at worst twice the limit across a window's edge.
 */

export interface WindowLimit {
  /** Requests one source may make in a window. */
  requests: number;
  windowSeconds: number;
}

export interface RequestWindows {
  /**
   * Counts one request of `source` in the window of `bucket` that holds `at`; false, counting
   * nothing, once that window has had `limit.requests`.
   */
  admit(bucket: string, source: string, limit: WindowLimit, at: Date): Promise<boolean>;
}

/** The window that holds `at`, in epoch seconds: `[start, end)`. */
export const windowOf = (limit: WindowLimit, at: Date): { start: number; end: number } => {
  const start = Math.floor(at.getTime() / 1000 / limit.windowSeconds) * limit.windowSeconds;
  return { start, end: start + limit.windowSeconds };
};

/**
 * How a source is named in the table: a hash of its address, so the table keeps no addresses
 * (its counters and marks expire within days anyway).
 */
export const anonymousSource = (address: string): string =>
  createHash('sha256').update(address).digest('base64url').slice(0, 22);
