import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  AuthenticationError,
  ConflictError,
  ContentionError,
  type FieldIssue,
  ForbiddenError,
  IdempotencyKeyReuseError,
  InUseError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  TooManyRequestsError,
  UnprocessableError,
  ValidationError,
  VersionMismatchError,
} from '#shared/domain/errors';
import { isTransientAwsError } from '#shared/runtime/transient';

/**
 * RFC 9457 problem details. Domain errors become a status and a document here, at the edge, and
 * nowhere else; anything unrecognised is a 500 whose body says nothing about the internals.
 */

export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldIssue[];
  /** What still uses a thing that cannot be removed (409 in-use). */
  users?: string[];
  /** Seconds before a retry may succeed: sent as the Retry-After header (429, 503), not in the body. */
  retryAfter?: number;
}

const KINDS: [new (...args: never[]) => Error, number, string, string][] = [
  [ValidationError, 400, 'validation', 'The request is not valid'],
  [AuthenticationError, 401, 'unauthenticated', 'Authentication required'],
  [ForbiddenError, 403, 'forbidden', 'Not allowed'],
  [NotFoundError, 404, 'not-found', 'Not found'],
  [InUseError, 409, 'in-use', 'Still in use'],
  [ConflictError, 409, 'invalid-transition', "Not possible in the ticket's current state"],
  [VersionMismatchError, 412, 'version-mismatch', 'The resource has changed'],
  [PreconditionFailedError, 412, 'precondition-failed', 'If-Match does not match'],
  [PayloadTooLargeError, 413, 'payload-too-large', 'The request body is too large'],
  [IdempotencyKeyReuseError, 422, 'idempotency-key-reuse', 'Idempotency-Key reused for a different request'],
  [UnprocessableError, 422, 'unprocessable', 'The request cannot be applied'],
  [PreconditionRequiredError, 428, 'precondition-required', 'If-Match required'],
  [TooManyRequestsError, 429, 'too-many-requests', 'Too many requests from this source'],
  [ContentionError, 503, 'contention', 'Too many concurrent changes'],
];

const PROBLEM_TYPE_BASE = 'https://tierdesk.dev/problems/';

/** An AWS service that is throttling or timing out: the request may be tried again shortly. */
const UNAVAILABLE: [number, string, string] = [503, 'unavailable', 'The service is busy'];

/** The problem document for an error, or undefined when it is not one we expose. */
export const problemOf = (error: unknown, instance?: string): Problem | undefined => {
  const kind =
    KINDS.find(([type]) => error instanceof type) ??
    (isTransientAwsError(error) ? [Error, ...UNAVAILABLE] : undefined);
  if (!kind) return undefined;
  const [, status, slug, title] = kind;
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${slug}`,
    title,
    status,
    // An AWS error's own message names tables and limits: the caller only needs to come back.
    detail:
      kind[0] === Error ? 'The desk is busy right now; try again in a moment.' : (error as Error).message,
  };
  if (instance) problem.instance = instance;
  if ((error instanceof ValidationError || error instanceof UnprocessableError) && error.issues.length > 0) {
    problem.errors = error.issues;
  }
  if (error instanceof InUseError) problem.users = error.users;
  if (error instanceof TooManyRequestsError) problem.retryAfter = error.retryAfterSeconds;
  if (error instanceof ContentionError || kind[0] === Error) problem.retryAfter = 1;
  return problem;
};

export const INTERNAL_PROBLEM: Problem = {
  type: `${PROBLEM_TYPE_BASE}internal`,
  title: 'Internal error',
  status: 500,
  detail: 'Something went wrong on our side. It has been logged; retrying later may help.',
};

export const problemResponse = ({ retryAfter, ...problem }: Problem): APIGatewayProxyStructuredResultV2 => ({
  statusCode: problem.status,
  headers: {
    'content-type': 'application/problem+json',
    ...(retryAfter !== undefined ? { 'retry-after': String(retryAfter) } : {}),
  },
  body: JSON.stringify(problem),
});
