import document from '#docs/openapi.json' with { type: 'json' };
import { json } from '#shared/http/responses';
import { lambdaHandler } from '#shared/runtime/handler';

/**
 * GET /openapi.json — the committed reference (`npm run openapi` generates it from the route
 * table's zod schemas), so this function loads neither zod nor the route table.
 *
 * The Lambda chain without `apiHandler`'s additions: an anonymous route has no principal to
 * resolve (the resolver alone would load the directory, a DynamoDB client and zod: about 300 KiB
 * and two thirds of this function's import time), and answering a constant cannot fail.
 */
export const handler = lambdaHandler('api', async () =>
  json(200, document, { 'cache-control': 'public, max-age=300' }),
);
