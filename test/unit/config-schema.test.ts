import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DESK_JSON_SCHEMA_FILE, deskJsonSchema } from '#infra/local/config-schema';

describe('File: docs/desk-config.schema.json', () => {
  it('is what the zod schemas generate (run `npm run schema` after changing them)', () => {
    expect(readFileSync(DESK_JSON_SCHEMA_FILE, 'utf8')).toBe(deskJsonSchema());
  });

  it('describes durations, spans and ids as the API checks them', () => {
    const schema = JSON.parse(deskJsonSchema());
    expect(schema.$defs.CalendarConfig.required).toEqual(['id', 'name', 'timeZone']);
    expect(schema.$defs.DeskConfig.additionalProperties).toBe(false);
  });
});
