import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#shared/http/openapi';
import { ROUTES } from '#shared/http/routes';

describe('Function: openApiDocument', () => {
  const document = openApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(
      structuredClone(document) as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('covers every route of the route table, and nothing else', () => {
    const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('documents problem responses as application/problem+json and secures JWT routes', () => {
    const patch = document.paths?.['/tickets/{number}']?.patch;
    expect(Object.keys(patch?.responses ?? {})).toEqual(expect.arrayContaining(['200', '412', '428']));
    expect(JSON.stringify(patch?.responses?.['412'])).toContain('application/problem+json');
    expect(patch?.security).toEqual([{ cognito: [] }]);
    expect(document.paths?.['/openapi.json']?.get?.security).toEqual([]);
  });
});
