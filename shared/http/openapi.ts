import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ROUTES, type RouteDefinition } from './routes.ts';
import { GatewayErrorSchema, ProblemSchema } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas: the reference
 * cannot drift from what the handlers validate.
 */

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request; `errors[].field` names each offending field',
  403: 'Authenticated, but not allowed',
  404: 'Not found, or not visible to the caller',
  409: "Not possible in the ticket's current state; detail says why",
  412: 'If-Match does not match the current version (an outdated or a weak ETag)',
  413: 'Body too large',
  422: 'Well-formed but not applicable (e.g. Idempotency-Key reused with another body)',
  428: 'If-Match header missing',
  429: 'Too many requests from this source (address) in the current window; retry after Retry-After seconds',
  503: 'Too many concurrent changes; retry after Retry-After seconds',
};

const HEADER_DESCRIPTIONS: Record<string, string> = {
  ETag: 'The version of the ticket or article, for If-Match',
  Location: 'The URL of the new resource',
  'Retry-After': 'Seconds to wait before retrying',
};

const headersOf = (names: readonly string[]) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      { description: HEADER_DESCRIPTIONS[name] ?? name, schema: { type: 'string' as const } },
    ]),
  );

/**
 * A 401 usually comes from API Gateway's JWT authorizer, before any handler runs, in its own
 * format; a handler answers one as a problem only for a valid token without an email identity.
 */
const UNAUTHORIZED = {
  description: 'No valid token (API Gateway answers `{"message":"Unauthorized"}`)',
  content: {
    'application/json': { schema: GatewayErrorSchema },
    'application/problem+json': { schema: ProblemSchema },
  },
};

const problemResponse = (status: number) =>
  status === 401
    ? UNAUTHORIZED
    : {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        ...(status === 429 || status === 503 ? { headers: headersOf(['Retry-After']) } : {}),
        content: { 'application/problem+json': { schema: ProblemSchema } },
      };

const register = (registry: OpenAPIRegistry, route: RouteDefinition) => {
  const { request } = route;
  const headers = request?.headers ? z.object(request.headers) : undefined;
  registry.registerPath({
    method: route.method.toLowerCase() as 'get',
    path: route.path,
    operationId: route.id,
    summary: route.summary,
    security: route.auth === 'jwt' ? [{ cognito: [] }] : [],
    request: {
      ...(request?.params ? { params: request.params as z.ZodObject } : {}),
      ...(request?.query ? { query: request.query as z.ZodObject } : {}),
      ...(headers ? { headers } : {}),
      ...(request?.body
        ? {
            body: {
              required: !request.bodyOptional,
              content: { 'application/json': { schema: request.body } },
            },
          }
        : {}),
    },
    responses: {
      ...Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.headers ? { headers: headersOf(response.headers) } : {}),
            ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
          },
        ]),
      ),
      ...Object.fromEntries(route.problems.map((status) => [status, problemResponse(status)])),
    },
  });
};

export const openApiDocument = () => {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'cognito', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito ID token (locally: `npm run token`)',
  });
  for (const route of ROUTES) register(registry, route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tierdesk API',
      version: '0.1.0',
      description:
        'Tiered IT help desk: tickets, timelines and queues, and a knowledge base. Errors are RFC 9457 problem+json.',
    },
  });
};
