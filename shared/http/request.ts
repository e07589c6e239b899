import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  type FieldIssue,
  PreconditionFailedError,
  PreconditionRequiredError,
  ValidationError,
} from '#shared/domain/errors';
import * as z from '#shared/runtime/zod';
import { PayloadTooLargeError } from './problem.ts';
import { IfMatchSchema, LIMITS } from './schemas.ts';

/**
 * Request parsing. Each part of a request is validated by its zod schema and every issue is
 * reported with the field it concerns (`body.subject`, `query.limit`, `header.if-match`), so a
 * caller never has to guess what to fix.
 */

type Location = 'body' | 'query' | 'path' | 'header';

const issuesOf = (location: Location, error: z.core.$ZodError): FieldIssue[] =>
  error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: [location, ...path, key].join('.'),
        message: 'is not a known field',
      }));
    }
    const field = [location, ...path].join('.');
    // `input` is only there because parse asks zod to report it: undefined means nothing was
    // sent. It tells missing from wrong; the message never repeats it (it may be huge).
    const message =
      issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return [{ field, message }];
  });

const parse = <S extends z.core.$ZodType>(location: Location, schema: S, input: unknown): z.output<S> => {
  const result = z.safeParse(schema, input, { reportInput: true });
  if (!result.success) throw new ValidationError(issuesOf(location, result.error));
  return result.data;
};

export const parseBody = <S extends z.core.$ZodType>(event: APIGatewayProxyEventV2, schema: S): z.output<S> =>
  parse('body', schema, readJsonBody(event));

/**
 * A body an HTML form posted (`application/x-www-form-urlencoded`: the survey page works without
 * JavaScript) or JSON, validated by the schema.
 */
export const parseFormBody = <S extends z.core.$ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
): z.output<S> => {
  if (!/^application\/x-www-form-urlencoded\b/i.test(header(event, 'content-type') ?? ''))
    return parseBody(event, schema);
  const raw =
    event.isBase64Encoded && event.body
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : (event.body ?? '');
  if (Buffer.byteLength(raw) > LIMITS.body)
    throw new PayloadTooLargeError(`The body may be at most ${LIMITS.body} bytes.`);
  return parse('body', schema, Object.fromEntries(new URLSearchParams(raw)));
};

/**
 * The body as JSON, not yet validated: for the use cases that validate it themselves (a desk
 * configuration is checked whole, as a 422 naming each field). `limit` in bytes.
 */
export const readJsonBody = (event: APIGatewayProxyEventV2, limit: number = LIMITS.body): unknown => {
  const raw =
    event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (raw === undefined || raw.trim() === '') {
    throw new ValidationError([{ field: 'body', message: 'a JSON body is required' }]);
  }
  if (Buffer.byteLength(raw) > limit) {
    throw new PayloadTooLargeError(`The body may be at most ${limit} bytes.`);
  }
  const type = header(event, 'content-type');
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ValidationError([{ field: 'header.content-type', message: 'must be application/json' }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ValidationError([
      { field: 'body', message: `is not valid JSON (${(error as Error).message})` },
    ]);
  }
  return json;
};

export const parseQuery = <S extends z.core.$ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
): z.output<S> => parse('query', schema, event.queryStringParameters ?? {});

export const parsePath = <S extends z.core.$ZodType>(event: APIGatewayProxyEventV2, schema: S): z.output<S> =>
  parse('path', schema, event.pathParameters ?? {});

/** API Gateway v2 lower-cases header names; the local server does the same. */
const header = (event: APIGatewayProxyEventV2, name: string): string | undefined =>
  event.headers?.[name.toLowerCase()];

export const parseHeader = <S extends z.core.$ZodType>(
  event: APIGatewayProxyEventV2,
  name: string,
  schema: S,
): z.output<S> | undefined => {
  const value = header(event, name);
  if (value === undefined) return undefined;
  const result = z.safeParse(schema, value);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((issue) => ({ field: `header.${name}`, message: issue.message })),
    );
  }
  return result.data;
};

/** What If-Match asks of a change: the version it is based on; none for `*`. */
export interface IfMatchCondition {
  expectedVersion?: number;
}

const ifMatchOf = (event: APIGatewayProxyEventV2): IfMatchCondition | undefined => {
  const ifMatch = parseHeader(event, 'if-match', IfMatchSchema);
  switch (ifMatch?.kind) {
    case undefined:
      return undefined;
    case 'version':
      return { expectedVersion: ifMatch.version };
    // RFC 9110: `*` matches any current representation; the ticket's existence is checked anyway.
    case 'any':
      return {};
    case 'weak':
      throw new PreconditionFailedError(
        'If-Match compares ETags strongly, and a weak ETag (W/"…") never matches: send the ETag as received, e.g. "3".',
      );
  }
};

/** Whether the request carries If-Match at all. */
export const hasIfMatch = (event: APIGatewayProxyEventV2): boolean => header(event, 'if-match') !== undefined;

/** An optional If-Match: without it, the change applies to the current version. */
export const ifMatchCondition = (event: APIGatewayProxyEventV2): IfMatchCondition => ifMatchOf(event) ?? {};

/**
 * Conditional writes need the version the caller saw: 428 without If-Match (RFC 6585). `*` is a
 * condition too (RFC 9110), the caller's explicit "whatever is current".
 */
export const requireIfMatch = (event: APIGatewayProxyEventV2): IfMatchCondition => {
  const condition = ifMatchOf(event);
  if (condition === undefined) {
    throw new PreconditionRequiredError('Send If-Match with the ETag of the version you are changing.');
  }
  return condition;
};

/**
 * The address the request came from, as API Gateway saw the connection (`requestContext.http.
 * sourceIp`; the local gateway passes the socket's): what anonymous callers are limited by. Not
 * `X-Forwarded-For`, which the caller writes.
 */
export const sourceOf = (event: APIGatewayProxyEventV2): string =>
  event.requestContext?.http?.sourceIp || 'unknown';
