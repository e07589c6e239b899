import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import * as classic from 'zod';
import { OPENAPI_FILE, openApiJson } from '#infra/local/openapi';
import { type OpenApiRoute, openApiDocument, openApiDocumentFor } from '#shared/http/openapi';
import { handlerEntry, ROUTES, type RouteDefinition } from '#shared/http/routes';
import * as z from '#shared/runtime/zod';

// biome-ignore lint/suspicious/noExplicitAny: the document is walked as plain JSON
type Json = any;

/** Every operation of the document, with its route. */
const operations = (document: Json) =>
  ROUTES.map((route) => ({ route, operation: document.paths[route.path][route.method.toLowerCase()] }));

const headerParameter = (operation: Json, name: string) =>
  (operation.parameters ?? []).find(
    (parameter: Json) => parameter.in === 'header' && parameter.name === name,
  );

/** Every `pattern` anywhere in the document. */
const patternsOf = (value: Json): string[] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([key, inner]) =>
        key === 'pattern' && typeof inner === 'string' ? [inner] : patternsOf(inner),
      )
    : [];

/** The errors of the OpenAPI 3.1 validator, none for a valid document. */
const validationErrors = async (document: object) => {
  const result = await new Validator().validate(
    structuredClone(document) as unknown as Parameters<Validator['validate']>[0],
  );
  return result.valid ? [] : (result.errors ?? ['invalid']);
};

describe('Function: openApiDocument', () => {
  const document = openApiDocument();

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(await validationErrors(document)).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('refers only to components it has', () => {
    const refs = JSON.stringify(document).match(/"#\/[^"]*"/g) ?? [];
    const names = new Set(
      Object.keys(document.components.schemas).map((id) => `"#/components/schemas/${id}"`),
    );
    expect(refs.length).toBeGreaterThan(100);
    expect([...new Set(refs)].filter((ref) => !names.has(ref))).toEqual([]);
  });

  it('documents a request as its input and a response as its output: the ticket number is a string in the path', () => {
    const json: Json = document;
    expect(json.paths['/tickets/{number}'].get.parameters[0]).toMatchObject({
      name: 'number',
      in: 'path',
      required: true,
      description: 'The ticket number (the 1042 of #1042)',
      schema: { type: 'string', pattern: '^\\d{1,10}$', example: '1042' },
    });
    expect(json.components.schemas.Ticket.properties.number.type).toBe('integer');
  });

  it('names the input form of a component `<id>Input` where it differs from the output (defaults, transforms)', () => {
    const json: Json = document;
    const put = json.paths['/admin/config'].put;
    expect(put.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/DeskConfigInput',
    });
    expect(json.components.schemas.DeskConfig.required).toContain('vendors');
    expect(json.components.schemas.DeskConfigInput.required).not.toContain('vendors');
    expect(json.components.schemas).not.toHaveProperty('ProblemInput');
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

  describe('headers', () => {
    it('documents Idempotency-Key as optional', () => {
      const post = document.paths?.['/tickets']?.post;
      expect(headerParameter(post, 'idempotency-key')).toMatchObject({ required: false });
    });

    it('documents If-Match as required on PATCH (428 without) and optional on every action', () => {
      expect(headerParameter(document.paths?.['/tickets/{number}']?.patch, 'if-match')).toMatchObject({
        required: true,
      });
      const actions = operations(document).filter(({ route }) =>
        /^\/tickets\/\{number\}\/(?!comments|timeline|workflow|suggestions|csat|presence|attachments)/.test(
          route.path,
        ),
      );
      expect(actions.map(({ route }) => route.id).sort()).toEqual(
        [
          'close-ticket',
          'escalate-ticket',
          'hand-off-ticket',
          'merge-ticket',
          'record-vendor-update',
          'reopen-ticket',
          'resolve-ticket',
          'set-pending',
        ].sort(),
      );
      for (const { operation } of actions) {
        expect(headerParameter(operation, 'if-match')).toMatchObject({ required: false });
      }
    });
  });

  describe('knowledge base', () => {
    it('requires If-Match to change or delete an article, as to PATCH a ticket', () => {
      for (const method of ['put', 'delete']) {
        const operation = document.paths?.['/kb/articles/{id}']?.[method as 'put'];
        expect(headerParameter(operation, 'if-match')).toMatchObject({ required: true });
        expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['412', '428']));
      }
    });

    it('serves anonymous callers only under /kb/public, and documents those routes without security', () => {
      const open = ROUTES.filter((route) => route.auth === 'none').map((route) => route.path);
      expect(open.filter((path) => path.startsWith('/kb/')).sort()).toEqual(
        [
          '/kb/public/articles/{id}',
          '/kb/public/search',
          '/kb/public/suggest',
          '/kb/public/deflections',
        ].sort(),
      );
      for (const path of open) {
        const item = document.paths?.[path] ?? {};
        for (const operation of Object.values(item)) expect((operation as Json).security).toEqual([]);
      }
    });

    it('declares kbIndexAccess on exactly the routes whose handler loads the index (the stack grants by it)', () => {
      for (const route of ROUTES) {
        const source = readFileSync(handlerEntry(route), 'utf8');
        expect(/kbIndex(?:Deps)?FromEnv\(/.test(source), route.id).toBe('kbIndexAccess' in route);
      }
    });
  });

  describe('patterns', () => {
    it('are valid ECMA-262 patterns with Unicode semantics, no regex flags leaked into them', () => {
      const patterns = patternsOf(document);
      expect(patterns.length).toBeGreaterThan(0);
      for (const pattern of patterns) {
        expect(pattern).not.toMatch(/\/[dgimsuvy]+$/);
        expect(() => new RegExp(pattern, 'u')).not.toThrow();
      }
    });

    it('documents the tag pattern the server enforces: letters and digits of any script', () => {
      const json: Json = document;
      const tags = json.components.schemas.CreateTicket.properties.tags.items;
      const pattern = new RegExp(tags.pattern, 'u');
      expect(['vpn', 'Ünïcode-tag', '東京', 'v1.2_x'].filter((tag) => pattern.test(tag))).toHaveLength(4);
      expect(['-vpn', 'a b', 'x/y'].some((tag) => pattern.test(tag))).toBe(false);
    });
  });

  describe('responses', () => {
    it("documents 401 as API Gateway's own JSON body, and as a problem from a handler", () => {
      for (const { route, operation } of operations(document)) {
        if (route.auth !== 'jwt') continue;
        expect(operation.responses['401'].content).toEqual({
          'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } },
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        });
      }
      expect(document.components?.schemas?.GatewayError).toMatchObject({
        type: 'object',
        properties: { message: { type: 'string' } },
        required: ['message'],
      });
    });

    it('describes every problem status it documents, 409 included', () => {
      const resolve = document.paths?.['/tickets/{number}/resolve']?.post;
      expect(resolve?.responses?.['409']?.description).toBe(
        "Not possible in the ticket's current state; detail says why",
      );
      for (const { operation } of operations(document)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
          expect({ status, description: response.description }).not.toEqual({
            status,
            description: 'Problem',
          });
        }
      }
    });

    it("answers every ticket in the caller's view: the desk's Ticket or the RequesterTicket, told apart by view", () => {
      const json: Json = document;
      expect(json.components.schemas.TicketView).toMatchObject({
        oneOf: [{ $ref: '#/components/schemas/Ticket' }, { $ref: '#/components/schemas/RequesterTicket' }],
        discriminator: { propertyName: 'view' },
      });
      const requester = json.components.schemas.RequesterTicket.properties;
      for (const field of ['tags', 'priority', 'category', 'assignee', 'group', 'tier', 'linkedArticles']) {
        expect(requester, field).not.toHaveProperty(field);
        expect(json.components.schemas.Ticket.properties, field).toHaveProperty(field);
      }
      const ticketResponses = operations(document).flatMap(({ route, operation }) =>
        Object.values(operation.responses as Record<string, Json>)
          .map((response) => JSON.stringify(response.content?.['application/json']?.schema ?? {}))
          .filter((schema) => /Ticket/.test(schema))
          .map((schema) => [route.id, schema]),
      );
      expect(ticketResponses.length).toBeGreaterThan(10);
      for (const [, schema] of ticketResponses) {
        // (an ops view of a ticket's workflow executions carries no ticket fields)
        expect(schema).toMatch(/TicketView|TicketPage|CreatedTicket|DeflectionResult|TicketExecutions/);
      }
      expect(JSON.stringify(json.components.schemas.TicketPage)).toContain('TicketView');
      expect(JSON.stringify(json.components.schemas.DeflectionResult)).toContain('TicketView');
    });

    it('documents the per-address limit of the anonymous routes that do work: 429 with Retry-After', () => {
      const json: Json = document;
      const limited = operations(document)
        .filter(({ operation }) => operation.responses['429'])
        .map(({ route }) => route.id)
        .sort();
      expect(limited).toEqual([
        'record-public-deflection',
        'search-public-articles',
        'suggest-public-articles',
      ]);
      const suggest = json.paths['/kb/public/suggest'].post;
      expect(Object.keys(suggest.responses['429'].headers)).toEqual(['Retry-After']);
      expect(JSON.stringify(suggest.responses['429'].content)).toContain('Problem');
    });

    it('documents Retry-After on 503', () => {
      const json: Json = document;
      const comment = json.paths['/tickets/{number}/comments'].post;
      expect(Object.keys(comment.responses['503'].headers)).toEqual(['Retry-After']);
    });
  });

  describe('request bodies', () => {
    it('documents as optional exactly the bodies the route table lets a caller leave out', () => {
      const required = Object.fromEntries(
        operations(document)
          .filter(({ operation }) => operation.requestBody)
          .map(({ route, operation }) => [route.id, operation.requestBody.required]),
      );
      expect(required['close-ticket']).toBe(false);
      const optional = (ROUTES as readonly RouteDefinition[])
        .filter((route) => route.request?.bodyOptional === true)
        .map((route) => [route.id, false]);
      expect(optional.length).toBeGreaterThan(0);
      expect(Object.entries(required).filter(([, value]) => value !== true)).toEqual(optional);
    });
  });
});

describe('File: docs/openapi.json', () => {
  it('is the document the route table generates (run `npm run openapi` after changing a route or schema)', () => {
    expect(
      readFileSync(OPENAPI_FILE, 'utf8') === openApiJson(),
      'docs/openapi.json is stale: run `npm run openapi` and commit it',
    ).toBe(true);
  });
});

describe('Function: openApiDocumentFor', () => {
  // Prepare: a route of zod/mini schemas, with classic zod inside them and around them
  const ItemPathSchema = z.strictObject({
    item: z
      .pipe(z.string().check(z.regex(/^\d{1,6}$/)), z.transform(Number))
      .check(z.meta({ description: 'The item number', example: '42' })),
  });
  const ItemQuerySchema = z.strictObject({
    limit: z._default(z.coerce.number().check(z.int(), z.positive()), 20),
    tag: z.optional(classic.string().min(1).describe('Only items with this tag')),
  });
  const NoteSchema = z
    .strictObject({
      text: z.string().check(z.minLength(1), z.maxLength(100)),
      colour: z.optional(z.enum(['red', 'blue'])),
      due: z.nullable(z.iso.datetime()),
      labels: z.record(z.string(), z.string()),
      count: z.pipe(z.string(), z.transform(Number)),
      email: classic.email().optional(),
    })
    .check(z.meta({ id: 'TestNote', description: 'A note' }));
  const NotePageSchema = classic.object({ items: classic.array(NoteSchema), total: classic.number() }).meta({
    id: 'TestNotePage',
  });
  const route: OpenApiRoute = {
    id: 'put-note',
    method: 'PUT',
    path: '/items/{item}/note',
    summary: 'Replace the note of an item',
    auth: 'jwt',
    request: {
      params: ItemPathSchema,
      query: ItemQuerySchema,
      headers: { 'if-match': z.optional(z.string().check(z.describe('The version'))) },
      body: NoteSchema,
    },
    responses: { 200: { description: 'The notes', schema: NotePageSchema, headers: ['ETag'] } },
    problems: [400, 401],
  };

  // Act
  const json: Json = openApiDocumentFor([route]);
  const operation = json.paths['/items/{item}/note'].put;

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(await validationErrors(json)).toEqual([]);
  });

  it('documents the parameters of zod/mini objects with their metadata', () => {
    expect(operation.parameters).toEqual([
      {
        name: 'item',
        in: 'path',
        required: true,
        description: 'The item number',
        schema: { type: 'string', pattern: '^\\d{1,6}$', description: 'The item number', example: '42' },
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', exclusiveMinimum: 0, default: 20 }),
      },
      {
        name: 'tag',
        in: 'query',
        required: false,
        description: 'Only items with this tag',
        schema: { type: 'string', minLength: 1, description: 'Only items with this tag' },
      },
      {
        name: 'if-match',
        in: 'header',
        required: false,
        description: 'The version',
        schema: { type: 'string', description: 'The version' },
      },
    ]);
  });

  it('makes a zod/mini schema with an id a component, its input form `<id>Input` where a transform changes it', () => {
    expect(operation.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/TestNoteInput' } } },
    });
    const input = json.components.schemas.TestNoteInput;
    expect(input).toMatchObject({
      type: 'object',
      description: 'A note',
      required: ['text', 'due', 'labels', 'count'],
      additionalProperties: false,
    });
    expect(input.properties).toMatchObject({
      text: { type: 'string', minLength: 1, maxLength: 100 },
      colour: { type: 'string', enum: ['red', 'blue'] },
      due: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
      labels: { type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
      count: { type: 'string' },
      email: { type: 'string', format: 'email' },
    });
    // A transform's output has no JSON Schema: the response's form says nothing about `count`.
    expect(json.components.schemas.TestNote.properties.count).toEqual({});
  });

  it('refers from a classic response schema to the output form of the zod/mini component', () => {
    expect(operation.responses['200']).toEqual({
      description: 'The notes',
      headers: { ETag: expect.objectContaining({ schema: { type: 'string' } }) },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/TestNotePage' } } },
    });
    expect(json.components.schemas.TestNotePage).toMatchObject({
      properties: { items: { type: 'array', items: { $ref: '#/components/schemas/TestNote' } } },
      required: ['items', 'total'],
    });
    expect(json.components.schemas.TestNotePage).not.toHaveProperty('additionalProperties');
    expect(Object.keys(json.components.schemas).sort()).toEqual(
      ['GatewayError', 'Problem', 'TestNote', 'TestNoteInput', 'TestNotePage'].sort(),
    );
  });

  it('refuses two different schemas with one id', () => {
    const other = z.object({ text: z.number() }).check(z.meta({ id: 'TestNote' }));
    expect(() =>
      openApiDocumentFor([route, { ...route, id: 'other', path: '/other', request: { body: other } }]),
    ).toThrow('Two different schemas have the id "TestNote"');
  });
});
