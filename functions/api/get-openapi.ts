import { apiHandler } from '#shared/http/api-handler';
import { openApiDocument } from '#shared/http/openapi';
import { json } from '#shared/http/responses';

/** GET /openapi.json — generated once per container from the route table's zod schemas. */
const document = openApiDocument();

export const handler = apiHandler(async () =>
  json(200, document, { 'cache-control': 'public, max-age=300' }),
);
