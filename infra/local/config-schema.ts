import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { DeskConfigSchema } from '#shared/config/desk';

/**
 * The JSON Schema of a desk document (`docs/desk-config.schema.json`), generated from the zod
 * schemas the API validates with, for editor completion of `desk.yaml` (the YAML language server
 * reads the `# yaml-language-server: $schema=…` line). `npm run schema` writes it; a unit test
 * fails while the file is stale. The checks across the document (references, overlaps) are the
 * API's: a schema can only say what each part looks like.
 */
export const deskJsonSchema = (): string =>
  `${JSON.stringify(z.toJSONSchema(DeskConfigSchema, { io: 'input', unrepresentable: 'any' }), null, 2)}\n`;

export const DESK_JSON_SCHEMA_FILE = fileURLToPath(
  new URL('../../docs/desk-config.schema.json', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(DESK_JSON_SCHEMA_FILE, deskJsonSchema());
  console.log(`Wrote ${DESK_JSON_SCHEMA_FILE}`);
}
