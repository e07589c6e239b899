import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '#shared/http/openapi';

/**
 * The API reference (`docs/openapi.json`), generated from the route table and its zod schemas.
 * `GET /openapi.json` serves this file, so its function loads neither zod nor the route table.
 * `npm run openapi` writes it; a unit test fails while the file is stale.
 */
export const openApiJson = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

export const OPENAPI_FILE = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, openApiJson());
  console.log(`Wrote ${OPENAPI_FILE}`);
}
