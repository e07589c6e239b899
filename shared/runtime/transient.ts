/**
 * AWS errors that say "not now" rather than "not so": throttling, a service's own temporary
 * failure, a request that timed out or lost its connection. The SDK has already retried them
 * with backoff when one reaches us; what remains is for the caller to try again later (an HTTP
 * 503 with Retry-After, a failed stream record the event source mapping redelivers).
 */
const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

export const isTransientAwsError = (error: unknown): boolean => {
  const { name, code, $retryable } = (error ?? {}) as { name?: string; code?: string; $retryable?: unknown };
  return (
    (name !== undefined && TRANSIENT_NAMES.has(name)) ||
    (code !== undefined && TRANSIENT_CODES.has(code)) ||
    $retryable !== undefined
  );
};
