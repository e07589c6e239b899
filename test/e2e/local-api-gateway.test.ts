import { type IncomingHttpHeaders, request } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer as JwtEvent } from 'aws-lambda';
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevKey, signDevToken, verifyDevToken } from '#infra/local/dev-key';
import type { LocalFunction } from '#infra/local/lambda';
import { type ApiServer, startApiServer } from '#infra/local/server';
import type { RouteDefinition } from '#shared/http/routes';

/**
 * The local API Gateway alone, in front of stand-in functions: the event it builds and the way it
 * maps results must match HTTP API payload format 2.0, or handlers would pass locally and fail
 * on AWS.
 */

const route = (
  id: string,
  method: RouteDefinition['method'],
  path: string,
  auth: 'jwt' | 'none',
): RouteDefinition => ({
  id,
  method,
  path,
  summary: id,
  auth,
  tableAccess: 'none',
  responses: { 200: { description: id } },
  problems: [],
});

const ROUTES = [
  route('echo', 'POST', '/echo/{name}', 'jwt'),
  route('echo-list', 'GET', '/echo', 'none'),
  route('plain', 'GET', '/plain', 'none'),
  route('crash', 'GET', '/crash', 'none'),
  route('cookies', 'GET', '/cookies', 'none'),
];

const echo = (event: unknown) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
});

const FUNCTIONS: Record<string, (event: unknown) => unknown> = {
  echo,
  'echo-list': echo,
  plain: () => ({ hello: 'world' }),
  crash: () => {
    throw new Error('boom');
  },
  cookies: () => ({ statusCode: 204, cookies: ['a=1; Path=/', 'b=2; HttpOnly'] }),
};

/** node:http rather than fetch: fetch would merge repeated headers into one line before sending. */
const rawRequest = (url: string, method: string, headers: Record<string, string | string[]>, body: string) =>
  new Promise<{ status?: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const outgoing = request(url, { method, headers }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (chunk: string) => {
        text += chunk;
      });
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode, headers: incoming.headers, body: text }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });

describe('Local API Gateway: payload format 2.0', () => {
  let server: ApiServer;
  let key: DevKey;
  const errors: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = { kid: 'test', ...pair };
    server = await startApiServer(
      {
        routes: ROUTES,
        functionOf: (target): LocalFunction => ({
          name: target.id,
          invoke: async (event) => FUNCTIONS[target.id]?.(event),
        }),
        verifyToken: (token) => verifyDevToken(key, token),
        onError: (_, routeKey) => errors.push(routeKey),
      },
      0,
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  it('builds the event API Gateway builds for a JWT route', async () => {
    const token = await signDevToken(key, { email: 'omar@example.com', role: 'agent', tiers: [2, 3] });

    const response = await rawRequest(
      `${server.url}/echo/a%40b.com%2Fx?tag=a&tag=b&q=hello%20world`,
      'POST',
      {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'X-Trace': ['one', 'two'],
        cookie: 'session=abc; theme=dark',
      },
      '{"hello":"world"}',
    );
    const event: JwtEvent = JSON.parse(response.body);

    expect(response.status).toBe(200);
    expect(response.headers['apigw-requestid']).toBe(event.requestContext.requestId);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{name}',
      rawPath: '/echo/a%40b.com%2Fx',
      rawQueryString: 'tag=a&tag=b&q=hello%20world',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { tag: 'a,b', q: 'hello world' },
      pathParameters: { name: 'a@b.com/x' },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'POST', path: '/echo/a%40b.com%2Fx', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
        routeKey: 'POST /echo/{name}',
        stage: '$default',
        authorizer: { jwt: { scopes: null } },
      },
    });
    expect(event.headers['x-trace']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
    const claims = event.requestContext.authorizer.jwt.claims;
    expect(claims).toMatchObject({
      sub: 'omar@example.com',
      email: 'omar@example.com',
      email_verified: 'true',
      'cognito:groups': '[tier2 tier3]',
      token_use: 'id',
      iss: 'tierdesk-local',
      aud: 'tierdesk-local',
    });
    expect(claims.exp).toMatch(/^\d+$/);
  });

  it('omits authorizer, query, path parameters and body when there are none', async () => {
    const event = (await (await fetch(`${server.url}/echo`)).json()) as JwtEvent;

    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('cookies');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('base64-encodes a body that is not text', async () => {
    const token = await signDevToken(key, { email: 'a@example.com', role: 'requester' });

    // No `Bearer` scheme: the JWT authorizer takes the bare token too.
    const event = (await (
      await fetch(`${server.url}/echo/bin`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/octet-stream' },
        body: new Uint8Array([0, 255, 1]),
      })
    ).json()) as JwtEvent;

    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(Buffer.from([0, 255, 1]).toString('base64'));
  });

  it('refuses a token signed by another key: 401', async () => {
    const stranger = { kid: 'stranger', ...(await generateKeyPair('ES256')) };
    const token = await signDevToken(stranger, { email: 'a@example.com', role: 'admin' });

    const response = await fetch(`${server.url}/echo/x`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 404 for a known path with another method, like HTTP API', async () => {
    const response = await fetch(`${server.url}/plain`, { method: 'DELETE' });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
  });

  it('serializes a result without statusCode as a 200 JSON body', async () => {
    const response = await fetch(`${server.url}/plain`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ hello: 'world' });
  });

  it('turns response cookies into set-cookie headers', async () => {
    const response = await fetch(`${server.url}/cookies`);

    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
  });

  it('answers a crashing handler with 500 {"message":"Internal Server Error"} and keeps serving', async () => {
    const crashed = await fetch(`${server.url}/crash`);
    const after = await fetch(`${server.url}/plain`);

    expect(crashed.status).toBe(500);
    expect(await crashed.json()).toEqual({ message: 'Internal Server Error' });
    expect(errors).toContain('GET /crash');
    expect(after.status).toBe(200);
  });
});
