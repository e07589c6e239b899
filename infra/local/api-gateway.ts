import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import type { RouteDefinition } from '#shared/http/routes';

/**
 * What API Gateway (HTTP API, Lambda proxy payload format 2.0) does between a client and a
 * handler, as pure functions: route matching, the event it builds, the way it flattens JWT
 * claims and the way it turns a handler result into a response. The local server and the seed
 * both build their events here, so a handler cannot tell them from the real thing.
 */

/** The responses API Gateway itself sends, byte for byte the same bodies. */
const GATEWAY_RESPONSES = {
  unauthorized: { statusCode: 401, message: 'Unauthorized' },
  notFound: { statusCode: 404, message: 'Not Found' },
  tooLarge: { statusCode: 413, message: 'Request Entity Too Large' },
  internalError: { statusCode: 500, message: 'Internal Server Error' },
  timeout: { statusCode: 503, message: 'Service Unavailable' },
} as const;

/** HTTP API's request payload quota. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

export interface CompiledRoute {
  route: RouteDefinition;
  /** `GET /tickets/{number}`: the route key API Gateway puts in the event. */
  routeKey: string;
  pattern: RegExp;
  paramNames: string[];
}

export interface RouteMatch {
  compiled: CompiledRoute;
  pathParameters: Record<string, string>;
}

export const compileRoutes = (routes: readonly RouteDefinition[]): CompiledRoute[] =>
  routes
    .map((route) => {
      const paramNames: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          paramNames.push(param[1]);
          return '([^/]+)';
        })
        .join('/');
      return {
        route,
        routeKey: `${route.method} ${route.path}`,
        pattern: new RegExp(`^${source}$`),
        paramNames,
      };
    })
    // API Gateway prefers the most specific route: literal segments win over parameters.
    .sort((a, b) => a.paramNames.length - b.paramNames.length);

/** Path parameters arrive URL-decoded; a path that cannot be decoded matches nothing (404). */
export const matchRoute = (
  routes: CompiledRoute[],
  method: string,
  rawPath: string,
): RouteMatch | undefined => {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const found = compiled.pattern.exec(rawPath);
    if (!found) continue;
    try {
      const pathParameters = Object.fromEntries(
        compiled.paramNames.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]),
      );
      return { compiled, pathParameters };
    } catch {
      return undefined;
    }
  }
  return undefined;
};

/**
 * The JWT authorizer hands claims to the integration as strings: numbers and booleans
 * stringified, arrays flattened to `[a b]` — handlers must cope with exactly that.
 */
export const toGatewayClaims = (payload: JWTPayload): Record<string, string> =>
  Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value),
    ]),
  );

/** Bodies API Gateway passes as text; anything else (or no content-type) arrives base64-encoded. */
const isTextContent = (contentType: string | undefined): boolean => {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (!type) return false;
  return (
    type.startsWith('text/') ||
    /^application\/(json|xml|javascript|problem\+json|[\w.-]+\+(json|xml))$/.test(type)
  );
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestContext.time` uses the CLF format: `12/Mar/2020:19:03:58 +0000`. */
const clfTime = (at: Date): string => {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(at.getUTCDate())}/${MONTHS[at.getUTCMonth()]}/${at.getUTCFullYear()}:` +
    `${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000`
  );
};

/** API Gateway request ids look like `JKJaXmPLvHcESHA=`; clients see them as `apigw-requestid`. */
export const newRequestId = (): string => randomBytes(10).toString('base64');

export interface GatewayRequest {
  method: string;
  /** Path and query string exactly as the client sent them. */
  url: string;
  /** Lower-case names; repeated headers as separate values. */
  headers: Record<string, string[]>;
  body: Buffer;
  sourceIp: string;
  /** The local server's own port, for `x-forwarded-port`. */
  port: number;
  requestId?: string;
  at?: Date;
}

/**
 * The payload format 2.0 event for a matched request. `claims` is set for JWT routes only:
 * API Gateway omits the authorizer for routes without one.
 */
export const toEvent = (
  request: GatewayRequest,
  match: RouteMatch,
  claims?: Record<string, string>,
): APIGatewayProxyEventV2 => {
  const at = request.at ?? new Date();
  const requestId = request.requestId ?? newRequestId();
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : request.url.slice(queryAt + 1);

  // Cookies travel in their own field, one entry per cookie, not as a header.
  const { cookie = [], ...others } = request.headers;
  const cookies = cookie.flatMap((line) =>
    line
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean),
  );
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(others).map(([name, values]) => [name, values.join(',')]),
  );
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']},${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-port'] = String(request.port);
  headers['x-forwarded-proto'] = 'http';
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(at.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;

  // Duplicated query parameters are joined with commas, like duplicated headers.
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    query[name] = name in query ? `${query[name]},${value}` : value;
  }

  const text = isTextContent(headers['content-type']);
  const host = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: match.compiled.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      ...(claims && {
        authorizer: { jwt: { claims, scopes: claims.scope ? claims.scope.split(' ') : null } },
      }),
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: match.compiled.routeKey,
      stage: '$default',
      time: clfTime(at),
      timeEpoch: at.getTime(),
    },
    ...(Object.keys(match.pathParameters).length > 0 && { pathParameters: match.pathParameters }),
    ...(request.body.length > 0 && { body: request.body.toString(text ? 'utf8' : 'base64') }),
    isBase64Encoded: request.body.length > 0 && !text,
  };
};

export interface GatewayResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** A JSON answer of a local-only route (`/_local/…`): problem+json from 400 on. */
export const localJson = (statusCode: number, body: unknown): GatewayResponse => ({
  statusCode,
  headers: { 'content-type': statusCode >= 400 ? 'application/problem+json' : 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify(body)),
});

export const gatewayError = (
  kind: keyof typeof GATEWAY_RESPONSES,
  headers: Record<string, string> = {},
): GatewayResponse => {
  const { statusCode, message } = GATEWAY_RESPONSES[kind];
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    cookies: [],
    body: Buffer.from(JSON.stringify({ message })),
  };
};

/** A result API Gateway cannot turn into a response; it answers 500 and so do we. */
class MalformedResultError extends Error {
  override readonly name = 'MalformedResultError';
}

/**
 * Payload format 2.0 response rules: an object with a `statusCode` is a structured response;
 * any other result is serialized as a 200 `application/json` body.
 */
export const fromResult = (result: unknown): GatewayResponse => {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(JSON.stringify(result) ?? 'null'),
    };
  }
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded } = result as Record<string, unknown>;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new MalformedResultError(
      `statusCode must be an HTTP status code, got ${JSON.stringify(statusCode)}`,
    );
  }
  if (typeof headers !== 'object' || headers === null || !Array.isArray(cookies)) {
    throw new MalformedResultError('headers must be an object and cookies an array');
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new MalformedResultError(`body must be a string, got ${typeof body}`);
  }
  return {
    statusCode,
    headers: Object.fromEntries(
      Object.entries(headers as Record<string, unknown>).map(([name, value]) => [
        name.toLowerCase(),
        String(value),
      ]),
    ),
    cookies: cookies.map(String),
    body: Buffer.from(body ?? '', isBase64Encoded === true ? 'base64' : 'utf8'),
  };
};
