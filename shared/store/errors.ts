import type { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * What a DynamoDB error means to the adapters, and how they wait before trying again: one reading
 * of conditional failures and transaction conflicts, one backoff, for every store. Errors are
 * told apart by the name the service gives them (what the SDK's exception classes check too),
 * so a store need not load the classes to recognize them.
 */

const named = (error: unknown, name: string): boolean => (error as { name?: unknown })?.name === name;

const isTransactionCanceled = (error: unknown): error is TransactionCanceledException =>
  named(error, 'TransactionCanceledException');

/** The reason DynamoDB gave for cancelling the item at `position` of a transaction. */
export const cancellationCode = (error: unknown, position: number): string | undefined =>
  isTransactionCanceled(error) ? error.CancellationReasons?.[position]?.Code : undefined;

/** A single-item write's condition did not hold (PutItem, UpdateItem, DeleteItem). */
export const isConditionalCheckFailed = (error: unknown): error is ConditionalCheckFailedException =>
  named(error, 'ConditionalCheckFailedException');

/** Another transaction held an item: nothing was decided, so the same write may simply be tried again. */
export const isTransactionConflict = (error: unknown): boolean =>
  named(error, 'TransactionConflictException') ||
  (isTransactionCanceled(error) &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict'));

/** A lost race: a condition on a version failed, or another transaction held an item. */
export const isConditionFailure = (error: unknown): boolean =>
  isTransactionConflict(error) ||
  (isTransactionCanceled(error) &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed'));

/**
 * Lost races are retried with full-jitter backoff, for at most `budgetMs` of wall clock: half
 * the 10 s Lambda timeout, so a writer that keeps losing (a mail storm, a bulk update on one hot
 * ticket) gets a 503 with Retry-After, and nothing written, rather than a timeout.
 */
export const RETRY = { baseMs: 8, capMs: 250, budgetMs: 5_000 } as const;

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
const jitter = (attempt: number) => Math.random() * Math.min(RETRY.capMs, RETRY.baseMs * 2 ** attempt);

/** Waits before another attempt at what DynamoDB left unprocessed (batch reads and writes). */
export const backoff = (attempt: number): Promise<void> => sleep(jitter(attempt));

/** When retries of a lost race must stop (monotonic milliseconds). */
export const retryDeadline = (budgetMs: number = RETRY.budgetMs): number => performance.now() + budgetMs;

/** Backs off before another attempt; false (without waiting) when it would end past the deadline. */
export const backoffUntil = async (deadline: number, attempt: number): Promise<boolean> => {
  const delay = jitter(attempt);
  if (performance.now() + delay >= deadline) return false;
  await sleep(delay);
  return true;
};
