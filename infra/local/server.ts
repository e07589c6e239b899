import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWTPayload } from 'jose';
import { corsPolicy } from '#shared/http/cors';
import type { RouteDefinition } from '#shared/http/routes';
import {
  type CompiledRoute,
  compileRoutes,
  fromResult,
  type GatewayResponse,
  gatewayError,
  MAX_REQUEST_BYTES,
  matchRoute,
  newRequestId,
  toEvent,
  toGatewayClaims,
} from './api-gateway.ts';
import { LambdaTimeoutError, type LocalFunction } from './lambda.ts';

/**
 * The local API Gateway: an HTTP server that dispatches by the shared route table, applies the
 * JWT authorizer to `jwt` routes and invokes the route's function with a payload 2.0 event.
 */

export interface ApiServerOptions {
  routes: readonly RouteDefinition[];
  functionOf(route: RouteDefinition): LocalFunction;
  /** Resolves the token's claims or rejects; the authorizer's only decision. */
  verifyToken(token: string): Promise<JWTPayload>;
  /** One line per request, like an access log; omit for silence. */
  accessLog?: (line: string) => void;
  /** Handler failures (never sent to the client). */
  onError(error: unknown, routeKey: string): void;
  /**
   * Routes of the local stack itself (`GET /_local/clock`), keyed `METHOD /path`: no token, no
   * Lambda, and absent from the route table, so they can never exist on AWS.
   */
  localRoutes?: Record<string, (body: Buffer) => Promise<GatewayResponse>>;
  /** Browser origins allowed by CORS (the local console's), as the HTTP API's preflight allows. */
  corsOrigins?: readonly string[];
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/**
 * Reads the body up to API Gateway's quota. An oversized body is still drained (not buffered) so
 * the client, still uploading, gets the 413 instead of a reset connection.
 */
const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const tooLarge = () => {
      request.removeAllListeners('data');
      request.resume();
      reject(new PayloadTooLargeError());
    };
    if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
      tooLarge();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge();
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

/** The JWT authorizer reads `Authorization`, with or without the `Bearer` scheme. */
const bearerToken = (header: string | undefined): string | undefined => {
  const token = header?.trim().replace(/^Bearer\s+/i, '');
  return token ? token : undefined;
};

/** The reasons API Gateway gives in `www-authenticate`, so a developer can tell why a token failed. */
const whyInvalid = (error: unknown): string => {
  const { code, claim } = error as { code?: string; claim?: string };
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (claim === 'aud') return 'the token does not have a valid audience';
  if (claim === 'iss') return 'the token does not have a valid issuer';
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'the token signature is not valid';
  return 'the token is not valid';
};

const send = (response: ServerResponse, result: GatewayResponse, requestId: string): void => {
  response.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', result.body.length);
  response.end(result.body);
};

export const startApiServer = async (
  options: ApiServerOptions,
  port: number,
  host = '127.0.0.1',
): Promise<ApiServer> => {
  const routes: CompiledRoute[] = compileRoutes(options.routes);
  const cors = corsPolicy(options.routes);
  /**
   * API Gateway's CORS: a preflight from an allowed origin is answered by the gateway itself
   * (204, no function invoked); every other answer to an allowed origin carries the origin and
   * the headers a page may read. Other origins get no CORS headers, so the browser refuses them.
   */
  const corsHeaders = (request: IncomingMessage): Record<string, string> => {
    const origin = request.headers.origin;
    if (!origin || !(options.corsOrigins ?? []).includes(origin)) return {};
    return {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': cors.exposeHeaders.join(','),
      vary: 'origin',
    };
  };
  const preflight = (request: IncomingMessage): GatewayResponse | undefined => {
    if (request.method !== 'OPTIONS' || !request.headers['access-control-request-method']) return undefined;
    const allowed = corsHeaders(request);
    if (!allowed['access-control-allow-origin']) return undefined;
    return {
      statusCode: 204,
      headers: {
        ...allowed,
        'access-control-allow-methods': cors.allowMethods.join(','),
        'access-control-allow-headers': cors.allowHeaders.join(','),
        'access-control-max-age': String(cors.maxAgeSeconds),
      },
      cookies: [],
      body: Buffer.alloc(0),
    };
  };

  const handle = async (
    request: IncomingMessage,
    serverPort: number,
    requestId: string,
  ): Promise<GatewayResponse> => {
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const answered = preflight(request);
    if (answered) return answered;
    const match = matchRoute(routes, method, url.split('?')[0] ?? '/');
    // API Gateway reads the whole request before routing; a huge body is refused whatever the path.
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return gatewayError('tooLarge');
      throw error;
    }
    const local = options.localRoutes?.[`${method} ${url.split('?')[0]}`];
    if (local) return local(body);
    if (!match) return gatewayError('notFound');

    let claims: Record<string, string> | undefined;
    if (match.compiled.route.auth === 'jwt') {
      const token = bearerToken(request.headers.authorization);
      if (!token) return gatewayError('unauthorized', { 'www-authenticate': 'Bearer' });
      try {
        claims = toGatewayClaims(await options.verifyToken(token));
      } catch (error) {
        return gatewayError('unauthorized', {
          'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${whyInvalid(error)}"`,
        });
      }
    }

    const event = toEvent(
      {
        method,
        url,
        headers: request.headersDistinct as Record<string, string[]>,
        body,
        sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        port: serverPort,
        requestId,
      },
      match,
      claims,
    );
    try {
      return fromResult(await options.functionOf(match.compiled.route).invoke(event));
    } catch (error) {
      options.onError(error, match.compiled.routeKey);
      return gatewayError(error instanceof LambdaTimeoutError ? 'timeout' : 'internalError');
    }
  };

  const server: Server = createServer((request, response) => {
    const started = performance.now();
    const requestId = newRequestId();
    const serverPort = (server.address() as AddressInfo).port;
    handle(request, serverPort, requestId)
      .catch((error: unknown) => {
        options.onError(error, `${request.method} ${request.url}`);
        return gatewayError('internalError');
      })
      .then((result) => {
        send(response, { ...result, headers: { ...result.headers, ...corsHeaders(request) } }, requestId);
        options.accessLog?.(
          `${request.method} ${request.url} ${result.statusCode} ${Math.round(performance.now() - started)} ms`,
        );
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} (Tierdesk API) is already in use. Stop whatever uses it or choose another port.`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
};
