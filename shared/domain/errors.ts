/**
 * Domain errors. Each names what went wrong in the caller's terms; the HTTP edge maps the class
 * to a status code and an RFC 9457 problem document, nothing else does.
 */

export interface FieldIssue {
  /** Where the problem is, e.g. `body.subject`, `query.limit`, `header.if-match`. */
  field: string;
  message: string;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly issues: FieldIssue[],
    message = `Invalid ${issues.map((issue) => issue.field).join(', ')}`,
  ) {
    super(message);
  }
}

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** The caller may see the resource but not do this to it. */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** Missing, or hidden from this caller: the two are deliberately indistinguishable. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The caller's `If-Match` names a version that is no longer current. */
export class VersionMismatchError extends Error {
  override readonly name = 'VersionMismatchError';
  constructor(
    readonly expected: number,
    readonly actual: number,
    what = 'The ticket',
  ) {
    super(`${what} is at version ${actual}, not ${expected}; fetch it again and retry.`);
  }
}

/**
 * If-Match cannot match whatever the version: a weak ETag, under the strong comparison RFC 9110
 * prescribes for If-Match.
 */
export class PreconditionFailedError extends Error {
  override readonly name = 'PreconditionFailedError';
}

export class PreconditionRequiredError extends Error {
  override readonly name = 'PreconditionRequiredError';
}

/** Same Idempotency-Key, different request. */
export class IdempotencyKeyReuseError extends Error {
  override readonly name = 'IdempotencyKeyReuseError';
}

/**
 * The action is not possible in the ticket's current state (resolve a closed ticket, escalate
 * past Tier 3). The message says why and, where there is one, what to do instead.
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/**
 * Something others still use cannot be removed (a group that routes and open tickets name, the
 * last active admin): `users` lists who, so the caller knows what to change first.
 */
export class InUseError extends ConflictError {
  constructor(
    message: string,
    readonly users: string[],
  ) {
    super(message);
  }
}

/** Valid JSON, valid shape, but it names something that does not fit (an unknown assignee or vendor). */
export class UnprocessableError extends Error {
  override readonly name = 'UnprocessableError';
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Too many writers on one item: retried internally and still losing. */
export class ContentionError extends Error {
  override readonly name = 'ContentionError';
}

/**
 * One source asked for more than its share (the anonymous knowledge-base routes, per address and
 * window): refused without doing the work. `retryAfterSeconds` is when its next window opens.
 */
export class TooManyRequestsError extends Error {
  override readonly name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
