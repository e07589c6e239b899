import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { ConflictError } from '#shared/domain/errors';
import { RecordingIdentityProvider } from '#shared/people/adapters/recorder';
import { bootstrapAdmin } from '#shared/people/bootstrap';
import { documentClient } from '#shared/store/client';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { EmailSchema } from '#shared/tickets/input';
import { type GatewayResponse, localJson } from './api-gateway.ts';
import { type DevKey, signDevToken } from './dev-key.ts';
import { localClientConfig } from './dynamodb-local.ts';

/**
 * The local stand-ins for signing in, as routes of the local stack itself (no token, absent from
 * the route table, so they never exist on AWS), for `tierdesk login --dev` and `tierdesk
 * bootstrap-admin` against the local stack:
 *
 * - `POST /_local/token {"email"}`: a dev ID token, as Cognito would issue after a sign-in (what
 *   `npm run token` prints). Its groups echo the directory entry; the directory decides anyway.
 * - `GET /_local/people`: the directory's active people, for the console's development sign-in.
 * - `POST /_local/bootstrap-admin {"email", "name"}`: the first admin, by the same use case as
 *   on AWS (the recorder stands in for Cognito); 409 once an active admin exists.
 */

const TokenBodySchema = z.strictObject({ email: EmailSchema });
const BootstrapBodySchema = z.strictObject({
  email: EmailSchema,
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().max(64).optional(),
});

const problem = (status: number, title: string, detail: string) =>
  localJson(status, { type: 'about:blank', title, status, detail });

const parseBody = <T>(schema: z.ZodType<T>, body: Buffer): T | GatewayResponse => {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return problem(400, 'The body is not JSON', 'Send a JSON object.');
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return problem(400, 'The request is not valid', issues.join('; '));
};

export const signInRoutes = (options: { dynamoEndpoint: string; tableName: string; devKey: DevKey }) => {
  const client = new DynamoDBClient(localClientConfig(options.dynamoEndpoint));
  const directory = new DynamoDirectory(documentClient(client), options.tableName);
  const localRoutes: Record<string, (body: Buffer) => Promise<GatewayResponse>> = {
    'POST /_local/token': async (body) => {
      const request = parseBody(TokenBodySchema, body);
      if ('statusCode' in request) return request;
      const entry = await directory.getUser(request.email);
      const token = await signDevToken(options.devKey, {
        email: request.email,
        role: entry?.role ?? 'requester',
        tiers: entry?.tiers ?? [],
      });
      return localJson(200, { email: request.email, token });
    },
    // The development sign-in page lists who can sign in: the directory's active people.
    'GET /_local/people': async () => {
      const page = await directory.listUsers({ active: true }, { limit: 100 });
      return localJson(200, {
        items: page.items.map((user) => ({
          email: user.email,
          name: user.name,
          role: user.role,
          tiers: user.tiers,
        })),
      });
    },
    'POST /_local/bootstrap-admin': async (body) => {
      const request = parseBody(BootstrapBodySchema, body);
      if ('statusCode' in request) return request;
      try {
        const admin = await bootstrapAdmin(
          { directory, identity: new RecordingIdentityProvider(), clock: { now: () => new Date() } },
          request,
        );
        return localJson(201, admin);
      } catch (error) {
        if (error instanceof ConflictError) return problem(409, 'There is an admin already', error.message);
        throw error;
      }
    },
  };
  return { localRoutes, stop: async () => client.destroy() };
};
