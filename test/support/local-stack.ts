import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DevIdentity, signDevToken } from '#infra/local/dev-key';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#infra/local/stack';
import { documentClient } from '#shared/store/client';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { ensureInDirectory } from './api.ts';

/**
 * The local stack for e2e tests: started in the test process on free ports, quiet unless a
 * handler fails, with a fetch wrapper that speaks JSON and mints real dev tokens.
 */

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiRequest {
  method?: string;
  /** Who calls: a dev ID token is minted for them. Omit for an anonymous call. */
  as?: DevIdentity;
  headers?: Record<string, string>;
  /** Serialized as JSON unless it is already a string. */
  body?: unknown;
}

export interface TestStack extends LocalStack {
  token(identity: DevIdentity, ttl?: string | number): Promise<string>;
  api<T = unknown>(path: string, request?: ApiRequest): Promise<ApiResponse<T>>;
}

export const startTestStack = async (options: Partial<LocalStackOptions> = {}): Promise<TestStack> => {
  // Tests change people between calls: the handlers read the directory on every request here.
  process.env.TIERDESK_PRINCIPAL_TTL_MS ??= '0';
  const stack = await startLocalStack({
    port: 0,
    dynamoPort: 0,
    smtpPort: 0,
    sesPort: 0,
    sfnPort: 0,
    seed: false,
    seedDesk: true,
    logLevel: 'ERROR',
    ...options,
  });
  const directory = new DynamoDirectory(
    documentClient(new DynamoDBClient(localClientConfig(stack.dynamoEndpoint))),
    stack.tableName,
  );
  // The person a token is minted for is put in the directory, as an admin would have done.
  const token = async (identity: DevIdentity, ttl?: string | number) => {
    await ensureInDirectory(directory, stack.tableName, identity, new Date());
    return signDevToken(stack.devKey, identity, ttl);
  };
  const api = async <T>(path: string, request: ApiRequest = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.as) headers.authorization = `Bearer ${await token(request.as)}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method: request.method ?? 'GET',
      headers,
      body,
    });
    const text = await response.text();
    const isJson = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: (isJson && text ? JSON.parse(text) : text) as T,
    };
  };
  return { ...stack, token, api };
};

/** A fresh person per test, so tests in one file never see each other's tickets. */
export const person = (label: string): string =>
  `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`.toLowerCase();
