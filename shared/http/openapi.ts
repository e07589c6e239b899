import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { ROUTES, type RouteDefinition } from './routes.ts';
import { ProblemSchema } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas: the reference
 * cannot drift from what the handlers validate.
 */

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request; `errors[].field` names each offending field',
  401: 'No valid token',
  403: 'Authenticated, but not allowed',
  404: 'Not found, or not visible to the caller',
  412: 'If-Match names an outdated version',
  413: 'Body too large',
  422: 'Well-formed but not applicable (e.g. Idempotency-Key reused with another body)',
  428: 'If-Match header missing',
  503: 'Too many concurrent changes; retry',
};

const HEADER_DESCRIPTIONS: Record<string, string> = {
  ETag: 'The ticket version, for If-Match',
  Location: 'The URL of the new resource',
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
        ? { body: { required: true, content: { 'application/json': { schema: request.body } } } }
        : {}),
    },
    responses: {
      ...Object.fromEntries(
        Object.entries(route.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.headers
              ? {
                  headers: Object.fromEntries(
                    response.headers.map((name) => [
                      name,
                      { description: HEADER_DESCRIPTIONS[name] ?? name, schema: { type: 'string' as const } },
                    ]),
                  ),
                }
              : {}),
            ...(response.schema ? { content: { 'application/json': { schema: response.schema } } } : {}),
          },
        ]),
      ),
      ...Object.fromEntries(
        route.problems.map((status) => [
          status,
          {
            description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
            content: { 'application/problem+json': { schema: ProblemSchema } },
          },
        ]),
      ),
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
      description: 'Tiered IT help desk: tickets, timelines and queues. Errors are RFC 9457 problem+json.',
    },
  });
};
