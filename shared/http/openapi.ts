import * as z from '#shared/runtime/zod';
import { type HttpMethod, ROUTES } from './routes.ts';
import { GatewayErrorSchema, ProblemSchema } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the route table and its zod schemas by zod's own
 * JSON Schema generator, which reads classic zod and zod/mini schemas alike: the reference cannot
 * drift from what the handlers validate. `npm run openapi` writes it to docs/openapi.json, which
 * `GET /openapi.json` serves (a unit test fails while the file is stale).
 */

type Schema = z.core.$ZodType;
type JsonSchema = z.core.JSONSchema.JSONSchema;
type Io = 'input' | 'output';

/** What the document needs of a route; `RouteDefinition` is one, with classic or zod/mini schemas. */
export interface OpenApiRoute {
  id: string;
  method: HttpMethod;
  path: string;
  summary: string;
  auth: 'jwt' | 'none';
  request?: {
    params?: Schema;
    query?: Schema;
    headers?: Record<string, Schema>;
    body?: Schema;
    bodyOptional?: boolean;
  };
  responses: Record<number, { description: string; schema?: Schema; headers?: readonly string[] }>;
  problems: readonly number[];
}

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

/** Where zod's generator points a reference (`#/$defs/<id>`), and where the document does. */
const DEFS = '#/$defs/';
const COMPONENTS = '#/components/schemas/';

/** Calls `visit` on every object in a JSON value, depth first. */
const eachObject = (value: unknown, visit: (node: Record<string, unknown>) => void): void => {
  if (!value || typeof value !== 'object') return;
  if (!Array.isArray(value)) visit(value as Record<string, unknown>);
  for (const inner of Object.values(value)) eachObject(inner, visit);
};

/** The ids a schema refers to. */
const refsOf = (json: unknown): string[] => {
  const ids: string[] = [];
  eachObject(json, (node) => {
    if (typeof node.$ref === 'string' && node.$ref.startsWith(DEFS)) ids.push(node.$ref.slice(DEFS.length));
  });
  return ids;
};

/** Points a schema's references (and its discriminators' mappings) at components, in place. */
const pointAtComponents = (json: unknown, name: (id: string) => string): void => {
  const rename = (ref: string) => (ref.startsWith(DEFS) ? COMPONENTS + name(ref.slice(DEFS.length)) : ref);
  eachObject(json, (node) => {
    if (typeof node.$ref === 'string') node.$ref = rename(node.$ref);
    const mapping = (node.discriminator as { mapping?: Record<string, string> } | undefined)?.mapping;
    for (const value in mapping) mapping[value] = rename(mapping[value] as string);
  });
};

/**
 * OpenAPI's discriminator for a discriminated union whose options are components: without a
 * mapping, its tools would expect each component's name as the discriminator's value.
 */
const discriminatorOf = (union: z.core.$ZodDiscriminatedUnion, options: JsonSchema[] = []) => {
  const { discriminator, options: schemas } = union._zod.def;
  const refs = options.map((option) => option.$ref);
  if (!refs.every((ref) => typeof ref === 'string')) return { propertyName: discriminator };
  const mapping = schemas.flatMap((schema, index) =>
    [...(schema._zod.propValues?.[discriminator] ?? [])].map((value) => [String(value), refs[index]]),
  );
  return { propertyName: discriminator, mapping: Object.fromEntries(mapping) };
};

/**
 * Two changes to zod's JSON Schema for an API reference. Only strict objects are closed: zod
 * closes every object's output, but a response may gain fields without breaking its clients. And
 * a discriminated union names its discriminator, as OpenAPI has it.
 */
const forApiReference: NonNullable<z.core.ToJSONSchemaParams['override']> = ({ zodSchema, jsonSchema }) => {
  const def = zodSchema._zod.def;
  if (def.type === 'object' && !def.catchall) delete jsonSchema.additionalProperties;
  if (def.type === 'union' && 'discriminator' in def) {
    jsonSchema.discriminator = discriminatorOf(
      zodSchema as z.core.$ZodDiscriminatedUnion,
      jsonSchema.oneOf as JsonSchema[],
    );
  }
};

/** Adds the `$defs` of one conversion; one id is one schema. */
const addDefs = (defs: Map<string, JsonSchema>, added: Record<string, JsonSchema>) => {
  for (const [id, def] of Object.entries(added)) {
    // zod names an extracted schema without an id `__schema<n>`, differently in every conversion.
    if (id.startsWith('__schema')) throw new Error(`A recursive schema needs an id: ${JSON.stringify(def)}`);
    const known = defs.get(id);
    if (known && JSON.stringify(known) !== JSON.stringify(def)) {
      throw new Error(`Two different schemas have the id "${id}"`);
    }
    defs.set(id, def);
  }
};

/**
 * The ids whose input form differs from their output form: by itself (a default, a transform),
 * or by referring to one that does.
 */
const idsWithInputForm = (input: Map<string, JsonSchema>, output: Map<string, JsonSchema>) => {
  const both = [...input.keys()].filter((id) => output.has(id));
  const differ = new Set(
    both.filter((id) => JSON.stringify(input.get(id)) !== JSON.stringify(output.get(id))),
  );
  for (let grown = true; grown; ) {
    const more = both.filter((id) => !differ.has(id) && refsOf(input.get(id)).some((ref) => differ.has(ref)));
    for (const id of more) differ.add(id);
    grown = more.length > 0;
  }
  return differ;
};

/**
 * The schemas of one document, converted by zod's `toJSONSchema`: a request part as its `input`
 * (what a caller sends: a ticket number in a path is a string, which a transform makes a number),
 * a response as its `output`. A schema with an `id` in its metadata becomes a component; where its
 * input and output forms differ, the output form is `<id>` and the input form `<id>Input`. So the
 * references wait, as zod wrote them, until `components()` knows which forms differ. What JSON
 * Schema cannot say (a transform's output) is documented as any value, with its metadata.
 */
const schemaSet = () => {
  const defs = { input: new Map<string, JsonSchema>(), output: new Map<string, JsonSchema>() };
  const converted: { io: Io; json: JsonSchema }[] = [];

  const convert = (schema: Schema, io: Io): JsonSchema => {
    const { $schema, $defs, ...json } = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
      override: forApiReference,
    });
    addDefs(defs[io], $defs ?? {});
    converted.push({ io, json });
    return json;
  };

  const components = (): Record<string, JsonSchema> => {
    const twins = idsWithInputForm(defs.input, defs.output);
    const inputName = (id: string) => (twins.has(id) ? `${id}Input` : id);
    for (const { io, json } of converted) pointAtComponents(json, io === 'input' ? inputName : (id) => id);
    for (const json of defs.input.values()) pointAtComponents(json, inputName);
    for (const json of defs.output.values()) pointAtComponents(json, (id) => id);
    const schemas = Object.fromEntries(defs.output);
    for (const [id, json] of defs.input) {
      if (defs.output.has(id) && !twins.has(id)) continue;
      if (schemas[inputName(id)]) throw new Error(`Two components would be named "${inputName(id)}"`);
      schemas[inputName(id)] = json;
    }
    return schemas;
  };

  return { convert, components };
};

type SchemaSet = ReturnType<typeof schemaSet>;

/**
 * Path, query or header parameters: the fields of the object schema a request part is parsed
 * with, each described by its field's metadata.
 */
const parametersOf = (schemas: SchemaSet, location: 'path' | 'query' | 'header', schema?: Schema) => {
  if (!schema) return [];
  const json = schemas.convert(schema, 'input');
  if (!json.properties) throw new Error(`The ${location} parameters need an object schema without an id`);
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties).map(([name, field]) => {
    const description = typeof field === 'object' ? field.description : undefined;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: field,
    };
  });
};

const headersOf = (names: readonly string[]) =>
  Object.fromEntries(
    names.map((name) => [
      name,
      { description: HEADER_DESCRIPTIONS[name] ?? name, schema: { type: 'string' } },
    ]),
  );

/**
 * A 401 usually comes from API Gateway's JWT authorizer, before any handler runs, in its own
 * format; a handler answers one as a problem only for a valid token without an email identity.
 */
const unauthorized = (schemas: SchemaSet) => ({
  description: 'No valid token (API Gateway answers `{"message":"Unauthorized"}`)',
  content: {
    'application/json': { schema: schemas.convert(GatewayErrorSchema, 'output') },
    'application/problem+json': { schema: schemas.convert(ProblemSchema, 'output') },
  },
});

const problemResponse = (schemas: SchemaSet, status: number) =>
  status === 401
    ? unauthorized(schemas)
    : {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
        ...(status === 429 || status === 503 ? { headers: headersOf(['Retry-After']) } : {}),
        content: { 'application/problem+json': { schema: schemas.convert(ProblemSchema, 'output') } },
      };

const operationOf = (schemas: SchemaSet, route: OpenApiRoute) => {
  const { request } = route;
  const parameters = [
    ...parametersOf(schemas, 'path', request?.params),
    ...parametersOf(schemas, 'query', request?.query),
    ...parametersOf(schemas, 'header', request?.headers && z.object(request.headers)),
  ];
  const responses = Object.entries(route.responses).map(([status, response]) => [
    status,
    {
      description: response.description,
      ...(response.headers ? { headers: headersOf(response.headers) } : {}),
      ...(response.schema
        ? { content: { 'application/json': { schema: schemas.convert(response.schema, 'output') } } }
        : {}),
    },
  ]);
  return {
    operationId: route.id,
    summary: route.summary,
    security: route.auth === 'jwt' ? [{ cognito: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(request?.body
      ? {
          requestBody: {
            required: !request.bodyOptional,
            content: { 'application/json': { schema: schemas.convert(request.body, 'input') } },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(responses),
      ...Object.fromEntries(route.problems.map((status) => [status, problemResponse(schemas, status)])),
    },
  };
};

/** The document of the given routes: `openApiDocument` for the route table, or a test's routes. */
export const openApiDocumentFor = (routes: readonly OpenApiRoute[]) => {
  const schemas = schemaSet();
  const paths: Record<string, Record<string, ReturnType<typeof operationOf>>> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(schemas, route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tierdesk API',
      version: '0.1.0',
      description:
        'Tiered IT help desk: tickets, timelines and queues, and a knowledge base. Errors are RFC 9457 problem+json.',
    },
    components: {
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito ID token (locally: `npm run token`)',
        },
      },
      schemas: schemas.components(),
    },
    paths,
  };
};

export const openApiDocument = () => openApiDocumentFor(ROUTES);
