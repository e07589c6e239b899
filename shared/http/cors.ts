import type { RouteDefinition } from './routes.ts';
import { SERVER_TIME_HEADER } from './server-time.ts';

/**
 * The API's CORS policy, derived from the route table: the one definition the CDK HTTP API's
 * preflight and the local API Gateway both apply, so the console behaves the same on both.
 * Tokens travel in the Authorization header, never in cookies: no credentialed requests.
 */
export interface CorsPolicy {
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds: number;
}

export const corsPolicy = (routes: readonly RouteDefinition[]): CorsPolicy => ({
  allowMethods: [...new Set(routes.map((route) => route.method))],
  allowHeaders: [
    'authorization',
    'content-type',
    ...new Set(routes.flatMap((route) => Object.keys(route.request?.headers ?? {}))),
  ],
  exposeHeaders: [
    ...new Set([
      ...routes.flatMap((route) =>
        Object.values(route.responses).flatMap((response) =>
          (response.headers ?? []).map((h) => h.toLowerCase()),
        ),
      ),
      SERVER_TIME_HEADER,
      'retry-after',
    ]),
  ],
  maxAgeSeconds: 3600,
});
