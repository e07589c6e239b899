import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient as SdkClient,
} from '@aws-sdk/client-dynamodb';
import * as sdk from '@aws-sdk/lib-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { SecretsManagerKeyring } from '#shared/csat/adapters/secrets-manager';
import { GetSecretValueCommand, SecretsManagerClient } from '#shared/runtime/lean-aws/secrets-manager';
import {
  ExecutionDoesNotExist,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '#shared/runtime/lean-aws/sfn';
import * as lean from '#shared/store/lean/document-client';
import { DynamoDBServiceException, DynamoDBClient as LeanClient } from '#shared/store/lean/dynamodb-client';
import { createTableInput } from '#shared/store/table';

/**
 * The lean AWS clients the Lambda bundles carry (`#shared/runtime/lean-aws`, `#shared/store/lean`).
 * DynamoDB's against the SDK's, on DynamoDB Local: the requests the stores make go through both document clients, which must answer
 * the same items, pages and errors. What DynamoDB Local cannot show (the signature, the retries on
 * throttling and on 5xx) is checked against a server of the test's own, and so are Step Functions'
 * and Secrets Manager's answers. The `lean` test project runs every other integration test on the
 * lean clients as well (the local Step Functions engine's through the SDK's names).
 */

const MARSHALL = { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } };

let sdkClient: SdkClient;
let tableName: string;
let viaSdk: sdk.DynamoDBDocumentClient;
let viaLean: lean.DynamoDBDocumentClient;

beforeAll(async () => {
  const endpoint = inject('dynamoEndpoint');
  sdkClient = new SdkClient(localClientConfig(endpoint));
  tableName = `tierdesk-lean-${randomUUID()}`;
  await sdkClient.send(new CreateTableCommand(createTableInput(tableName)));
  viaSdk = sdk.DynamoDBDocumentClient.from(sdkClient, MARSHALL);
  viaLean = lean.DynamoDBDocumentClient.from(new LeanClient(localClientConfig(endpoint)), MARSHALL);
});

afterAll(async () => {
  await sdkClient.send(new DeleteTableCommand({ TableName: tableName }));
  sdkClient.destroy();
  viaLean.destroy();
});

/** What an error says of itself, without what differs by client (stack, request id, timing). */
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const { name, message, $fault, CancellationReasons, Item } = error as Record<string, unknown>;
    return { name, message, $fault, CancellationReasons, Item };
  }
  throw new Error('expected the request to fail');
};

/** An output without its `$metadata`, which only the SDK's client fills. */
const bare = (output: Record<string, unknown>) => {
  const { $metadata: _, ...rest } = output;
  return rest;
};

const item = (pk: string, sk: string) => ({
  pk,
  sk,
  text: 'Printer jams — “again” 打印机',
  count: 42,
  ratio: 0.5,
  big: 12345678901234,
  flag: true,
  none: null,
  empty: '',
  list: [1, 'two', { three: 3 }],
  map: { nested: { deep: ['x'] } },
  tags: new Set(['a', 'b']),
  numbers: new Set([1, 2]),
  bytes: new Uint8Array([1, 2, 3]),
  skipped: undefined,
});

describe('Lean DynamoDB client, request for request with the SDK on DynamoDB Local', () => {
  it('writes items of every attribute type that both read back the same', async () => {
    // Act: each client writes its own copy, then each reads both
    await viaSdk.send(new sdk.PutCommand({ TableName: tableName, Item: item('TYPES', 'sdk') }));
    await viaLean.send(new lean.PutCommand({ TableName: tableName, Item: item('TYPES', 'lean') }));
    const reads = [];
    for (const sk of ['sdk', 'lean']) {
      const key = { TableName: tableName, Key: { pk: 'TYPES', sk }, ConsistentRead: true };
      reads.push(
        (await viaSdk.send(new sdk.GetCommand(key))).Item,
        (await viaLean.send(new lean.GetCommand(key))).Item,
      );
    }

    // Assess
    const expected = { ...item('TYPES', 'any') } as Record<string, unknown>;
    delete expected.skipped;
    for (const read of reads) expect({ ...read, sk: 'any' }).toEqual(expected);
    expect(
      (await viaLean.send(new lean.GetCommand({ TableName: tableName, Key: { pk: 'TYPES', sk: 'none' } })))
        .Item,
    ).toBeUndefined();
  });

  it('updates and deletes with expressions, returning the same attributes', async () => {
    // Arrange
    for (const sk of ['sdk', 'lean'])
      await viaSdk.send(
        new sdk.PutCommand({ TableName: tableName, Item: { pk: 'UPDATE', sk, n: 1, tags: ['a'] } }),
      );
    const update = (sk: string) => ({
      TableName: tableName,
      Key: { pk: 'UPDATE', sk },
      UpdateExpression: 'SET n = n + :one, tags = list_append(tags, :more), note = :note REMOVE gone',
      ExpressionAttributeValues: { ':one': 1, ':more': ['b'], ':note': { by: 'ann@example.com' } },
      ReturnValues: 'ALL_NEW' as const,
    });

    // Act
    const updated = [
      await viaSdk.send(new sdk.UpdateCommand(update('sdk'))),
      await viaLean.send(new lean.UpdateCommand(update('lean'))),
    ];
    const deleted = [
      await viaSdk.send(
        new sdk.DeleteCommand({
          TableName: tableName,
          Key: { pk: 'UPDATE', sk: 'sdk' },
          ReturnValues: 'ALL_OLD',
        }),
      ),
      await viaLean.send(
        new lean.DeleteCommand({
          TableName: tableName,
          Key: { pk: 'UPDATE', sk: 'lean' },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    ];

    // Assess
    expect(updated[1]?.Attributes).toEqual({ ...updated[0]?.Attributes, sk: 'lean' });
    expect(updated[1]?.Attributes).toMatchObject({ n: 2, tags: ['a', 'b'], note: { by: 'ann@example.com' } });
    expect(deleted[1]?.Attributes).toEqual({ ...deleted[0]?.Attributes, sk: 'lean' });
  });

  it('pages a query the same, by hand and with paginateQuery, and counts the same', async () => {
    // Arrange
    for (let i = 0; i < 7; i++)
      await viaSdk.send(
        new sdk.PutCommand({ TableName: tableName, Item: { pk: 'PAGES', sk: `s${i}`, n: i } }),
      );
    const query = {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
      FilterExpression: 'n <> :three',
      ExpressionAttributeValues: { ':pk': 'PAGES', ':s': 's', ':three': 3 },
      ScanIndexForward: false,
      Limit: 3,
    };

    // Act
    const first = [
      await viaSdk.send(new sdk.QueryCommand(query)),
      await viaLean.send(new lean.QueryCommand(query)),
    ];
    const second = await viaLean.send(
      new lean.QueryCommand({ ...query, ExclusiveStartKey: first[1]?.LastEvaluatedKey }),
    );
    /** Every page, with the query's own limit or (`limit` undefined) pages of two. */
    const pages = async (
      paginate: typeof sdk.paginateQuery,
      client: unknown,
      limit: number | undefined = 3,
    ) => {
      const all = [];
      for await (const page of paginate({ client: client as never, pageSize: 2 }, { ...query, Limit: limit }))
        all.push(bare(page));
      return all;
    };
    const counted = [
      await viaSdk.send(new sdk.QueryCommand({ ...query, Limit: undefined, Select: 'COUNT' })),
      await viaLean.send(new lean.QueryCommand({ ...query, Limit: undefined, Select: 'COUNT' })),
    ];

    // Assess
    expect(bare(first[1])).toEqual(bare(first[0]));
    expect(first[1]?.Items.map((found: { sk: string }) => found.sk)).toEqual(['s6', 's5', 's4']);
    expect(first[1]?.LastEvaluatedKey).toEqual({ pk: 'PAGES', sk: 's4' });
    expect(second.Items.map((found: { sk: string }) => found.sk)).toEqual(['s2', 's1']);
    expect(await pages(lean.paginateQuery as never, viaLean)).toEqual(await pages(sdk.paginateQuery, viaSdk));
    expect(await pages(lean.paginateQuery as never, viaLean, undefined)).toEqual(
      await pages(sdk.paginateQuery, viaSdk, undefined),
    );
    expect(bare(counted[1])).toEqual(bare(counted[0]));
    expect(counted[1]?.Count).toBe(6);
  });

  it('fails a condition the same: name, fault and the item as it stood (in wire format)', async () => {
    // Arrange
    await viaSdk.send(
      new sdk.PutCommand({ TableName: tableName, Item: { pk: 'COND', sk: 'x', state: 'busy' } }),
    );
    const put = {
      TableName: tableName,
      Item: { pk: 'COND', sk: 'x', state: 'mine' },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };

    // Act
    const errors = [
      await failure(viaSdk.send(new sdk.PutCommand(put))),
      await failure(viaLean.send(new lean.PutCommand(put))),
    ];

    // Assess
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[1]).toMatchObject({
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
      Item: { state: { S: 'busy' } },
    });
  });

  it('cancels a transaction the same, with the reason of each of its items', async () => {
    // Arrange
    await viaSdk.send(new sdk.PutCommand({ TableName: tableName, Item: { pk: 'TX', sk: 'taken', v: 1 } }));
    const transaction = {
      TransactItems: [
        { Put: { TableName: tableName, Item: { pk: 'TX', sk: 'free', v: 1 } } },
        {
          Update: {
            TableName: tableName,
            Key: { pk: 'TX', sk: 'taken' },
            UpdateExpression: 'SET v = :two',
            ConditionExpression: 'v = :zero',
            ExpressionAttributeValues: { ':two': 2, ':zero': 0 },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        },
        {
          ConditionCheck: {
            TableName: tableName,
            Key: { pk: 'TX', sk: 'none' },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Delete: { TableName: tableName, Key: { pk: 'TX', sk: 'gone' } } },
      ],
    };

    // Act
    const errors = [
      await failure(viaSdk.send(new sdk.TransactWriteCommand(transaction))),
      await failure(viaLean.send(new lean.TransactWriteCommand(transaction))),
    ];
    const written = await viaLean.send(
      new lean.TransactWriteCommand({ TransactItems: transaction.TransactItems.slice(0, 1) }),
    );

    // Assess
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[1]?.name).toBe('TransactionCanceledException');
    expect(
      (errors[1]?.CancellationReasons as { Code: string }[] | undefined)?.map((reason) => reason.Code),
    ).toEqual(['None', 'ConditionalCheckFailed', 'None', 'None']);
    expect(bare(written)).toEqual({});
  });

  it('batch-writes and batch-reads the same items', async () => {
    // Arrange
    const keys = ['b1', 'b2', 'b3'].map((sk) => ({ pk: 'BATCH', sk }));

    // Act
    await viaLean.send(
      new lean.BatchWriteCommand({
        RequestItems: {
          [tableName]: [
            ...keys.map((key) => ({ PutRequest: { Item: { ...key, n: 1, tags: new Set(['t']) } } })),
            { DeleteRequest: { Key: { pk: 'TYPES', sk: 'sdk' } } },
          ],
        },
      }),
    );
    const reads = [
      await viaSdk.send(
        new sdk.BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      ),
      await viaLean.send(
        new lean.BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
      ),
    ];

    // Assess
    const sorted = (output: { Responses?: Record<string, { sk: string }[]> }) =>
      [...(output.Responses?.[tableName] ?? [])].sort((a, b) => a.sk.localeCompare(b.sk));
    expect(sorted(reads[1])).toEqual(sorted(reads[0]));
    expect(sorted(reads[1])).toEqual(keys.map((key) => ({ ...key, n: 1, tags: new Set(['t']) })));
    expect(reads[1]?.UnprocessedKeys).toEqual(reads[0]?.UnprocessedKeys);
    expect(
      (await viaSdk.send(new sdk.GetCommand({ TableName: tableName, Key: { pk: 'TYPES', sk: 'sdk' } }))).Item,
    ).toBeUndefined();
  });

  it('refuses a request DynamoDB finds invalid with the same error, and a table it does not know', async () => {
    const bad = { TableName: tableName, Key: { pk: 'X', sk: 'y' }, ProjectionExpression: 'a, , b' };
    const errors = [
      await failure(viaSdk.send(new sdk.GetCommand(bad))),
      await failure(viaLean.send(new lean.GetCommand(bad))),
    ];
    expect(errors[1]).toEqual(errors[0]);
    expect(errors[1]?.name).toBe('ValidationException');
    const missing = { TableName: 'no-such-table', Key: { pk: 'X', sk: 'y' } };
    expect(await failure(viaLean.send(new lean.GetCommand(missing)))).toEqual(
      await failure(viaSdk.send(new sdk.GetCommand(missing))),
    );
  });

  it('takes an SDK client’s configuration: a store given one reaches the same table', async () => {
    const overSdk = lean.DynamoDBDocumentClient.from(sdkClient as never, MARSHALL);
    const { Item } = await overSdk.send(
      new lean.GetCommand({ TableName: tableName, Key: { pk: 'COND', sk: 'x' }, ConsistentRead: true }),
    );
    expect(Item).toEqual({ pk: 'COND', sk: 'x', state: 'busy' });
    overSdk.destroy();
  });
});

/** A server of the test's own answering each request with the next of `answers` (the last repeats). */
interface Scripted {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as it is, not as JSON. */
  raw?: string;
  /** No answer at all: the connection stays open and silent. */
  silent?: boolean;
}

const scripted = async (answers: Scripted[]) => {
  const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  const control: { answer?: (body: string) => Scripted | undefined } = {};
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      requests.push({ headers: request.headers, body });
      const answer = control.answer?.(body) ??
        answers[Math.min(requests.length, answers.length) - 1] ?? { status: 200, body: {} };
      if (answer.silent) return;
      response.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `r${requests.length}`,
        ...answer.headers,
      });
      response.end(answer.raw ?? JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return Object.assign(control, {
    port,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
};

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session',
};

const leanOn = (port: number, maxAttempts?: number) =>
  new LeanClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: CREDENTIALS,
    ...(maxAttempts !== undefined && { maxAttempts }),
  });

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 and HMAC-SHA-256 as the SDK's signer takes them. */
class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}

describe('Lean DynamoDB client, on the wire', () => {
  it('signs a request as the SDK’s SigV4 signer signs the same request', async () => {
    // Arrange
    const server = await scripted([{ status: 200, body: { Item: { pk: { S: 'a' } } } }]);
    const client = leanOn(server.port);

    // Act
    const output = await client.call('GetItem', { TableName: 't', Key: { pk: { S: 'a' } } });
    const [request] = server.requests;
    const headers = request?.headers ?? {};
    const authorization = String(headers.authorization);
    const signedNames = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
    const date = String(headers['x-amz-date']);
    const signed = await new SignatureV4({
      service: 'dynamodb',
      region: 'eu-west-1',
      credentials: CREDENTIALS,
      sha256: Sha256,
      // DynamoDB does not ask for the body's hash as a header; aws4 signs without it.
      applyChecksum: false,
    }).sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        path: '/',
        query: {},
        headers: Object.fromEntries(signedNames.map((name) => [name, String(headers[name])])),
        body: request?.body,
      },
      {
        signingDate: new Date(
          `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
        ),
      },
    );
    client.destroy();
    await server.close();

    // Assess
    expect(output).toEqual({ Item: { pk: { S: 'a' } } });
    expect(headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(headers['x-amz-security-token']).toBe('session');
    expect(signedNames).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type']),
    );
    expect(authorization).toBe(signed.headers.authorization);
  });

  it('tries again on a 5xx and on throttling, and then answers', async () => {
    const server = await scripted([
      {
        status: 500,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'oops' },
      },
      {
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
          message: 'slow down',
        },
      },
      { status: 200, body: { Count: 0 } },
    ]);
    const client = leanOn(server.port);
    expect(await client.call('Query', {})).toEqual({ Count: 0 });
    expect(server.requests).toHaveLength(3);
    client.destroy();
    await server.close();
  });

  it('gives up after maxAttempts with the last error, named as DynamoDB names it, and never retries a refusal', async () => {
    // Arrange
    const throttled = await scripted([
      {
        status: 400,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate exceeded' },
      },
    ]);
    const refused = await scripted([
      {
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
          message: 'The conditional request failed',
        },
      },
    ]);
    const broken = await scripted([{ status: 502, body: '<html>bad gateway</html>' }]);

    // Act
    const throttledError = await client(throttled.port, 2)
      .call('Query', {})
      .catch((error: unknown) => error);
    const refusedError = await client(refused.port)
      .call('PutItem', {})
      .catch((error: unknown) => error);
    const brokenError = await client(broken.port, 1)
      .call('Query', {})
      .catch((error: unknown) => error);
    for (const server of [throttled, refused, broken]) await server.close();

    // Assess
    expect(throttledError).toBeInstanceOf(DynamoDBServiceException);
    expect(throttledError).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: 'r2', attempts: 2 },
    });
    expect(throttled.requests).toHaveLength(2);
    expect(refusedError).toMatchObject({
      name: 'ConditionalCheckFailedException',
      $metadata: { attempts: 1 },
    });
    expect(refused.requests).toHaveLength(1);
    expect(brokenError).toMatchObject({ name: 'InternalServerError', $fault: 'server' });
  });

  it('refuses a 2xx answer that is not a JSON object rather than read it as an empty one', async () => {
    const server = await scripted([{ status: 200, body: undefined, raw: '<html>maintenance</html>' }]);
    const error = await client(server.port, 3)
      .call('GetItem', {})
      .catch((caught: unknown) => caught);
    await server.close();
    expect(error).toMatchObject({
      name: 'DeserializationError',
      $metadata: { httpStatusCode: 200, attempts: 1 },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reads an error’s name as the SDK does: the x-amzn-errortype header, a namespace and a suffix off; a bare 429 as throttling', async () => {
    const server = await scripted([
      { status: 429, body: {} },
      {
        status: 400,
        body: { message: 'bad' },
        headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/' },
      },
    ]);
    const error = await client(server.port, 3)
      .call('Query', {})
      .catch((caught: unknown) => caught);
    await server.close();
    expect(server.requests).toHaveLength(2);
    expect(error).toMatchObject({ name: 'ValidationException', message: 'bad', $metadata: { attempts: 2 } });
  });

  it('sends the Host it signed with the endpoint’s port, as the SDK does', async () => {
    const server = await scripted([{ status: 200, body: {} }]);
    await client(server.port).call('GetItem', {});
    await server.close();
    expect(server.requests[0]?.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(String(server.requests[0]?.headers.authorization)).toContain(
      'SignedHeaders=content-length;content-type;host;',
    );
  });

  it('gives up on a silent connection after its timeout and tries again', async () => {
    const server = await scripted([
      { status: 200, body: {}, silent: true },
      { status: 200, body: { Count: 1 } },
    ]);
    const made = new LeanClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${server.port}`,
      credentials: CREDENTIALS,
      requestTimeoutMs: 200,
    });
    clients.push(made);
    expect(await made.call('Query', {})).toEqual({ Count: 1 });
    expect(server.requests).toHaveLength(2);
    const never = await scripted([{ status: 200, body: {}, silent: true }]);
    const stuck = new LeanClient({
      region: 'eu-west-1',
      endpoint: `http://127.0.0.1:${never.port}`,
      credentials: CREDENTIALS,
      requestTimeoutMs: 100,
      maxAttempts: 2,
    });
    clients.push(stuck);
    const error = await stuck.call('Query', {}).catch((caught: unknown) => caught);
    await server.close();
    await never.close();
    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT', $metadata: { attempts: 2 } });
  });

  it('signs with the role’s credentials from the environment, and names their absence as the SDK does', async () => {
    // Arrange
    const server = await scripted([{ status: 200, body: {} }]);
    const withoutCredentials = () =>
      new LeanClient({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${server.port}`, maxAttempts: 1 });
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAROLEKEY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'role-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'role-token');

    // Act
    const withRole = withoutCredentials();
    await withRole.call('GetItem', {});
    withRole.destroy();
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    const missing = withoutCredentials();
    const error = await missing.call('GetItem', {}).catch((caught: unknown) => caught);
    missing.destroy();
    vi.unstubAllEnvs();
    await server.close();

    // Assess
    expect(server.requests[0]?.headers.authorization).toContain('Credential=ASIAROLEKEY/');
    expect(server.requests[0]?.headers['x-amz-security-token']).toBe('role-token');
    expect(error).toMatchObject({ name: 'CredentialsProviderError' });
    expect(server.requests).toHaveLength(1);
  });

  it('passes on a refused connection with its code, after its attempts', async () => {
    const closed = await scripted([]);
    await closed.close();
    const error = await client(closed.port, 2)
      .call('GetItem', {})
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('Lean Step Functions and Secrets Manager clients, on the wire', () => {
  const local = { region: 'eu-west-1', credentials: CREDENTIALS, maxAttempts: 1 };

  it('asks Step Functions with its target and reads its timestamps as dates and its errors as its exceptions', async () => {
    // Arrange
    const server = await scripted([
      { status: 200, body: { executionArn: 'arn:x', startDate: 1796515200.25 } },
      {
        status: 400,
        body: {
          __type: 'com.amazonaws.swf.service.model#ExecutionDoesNotExist',
          message: 'no such execution',
        },
      },
      { status: 400, body: { __type: 'TaskTimedOut', message: 'Task Timed Out' } },
    ]);
    const sfn = new SFNClient({ ...local, endpoint: `http://127.0.0.1:${server.port}` });

    // Act
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: 'arn:sm', name: 'ticket-1-g0' }),
    );
    const missing = await sfn.send(new StartExecutionCommand({})).catch((error: unknown) => error);
    const timedOut = await sfn.send(new StartExecutionCommand({})).catch((error: unknown) => error);
    sfn.destroy();
    await server.close();

    // Assess
    expect(started).toEqual({ executionArn: 'arn:x', startDate: new Date('2026-12-06T00:00:00.250Z') });
    expect(server.requests[0]?.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(server.requests[0]?.headers.authorization).toContain('/eu-west-1/states/aws4_request');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      stateMachineArn: 'arn:sm',
      name: 'ticket-1-g0',
    });
    expect(missing).toBeInstanceOf(ExecutionDoesNotExist);
    expect(missing).toMatchObject({
      name: 'ExecutionDoesNotExist',
      message: 'no such execution',
      $fault: 'client',
    });
    expect(timedOut).toBeInstanceOf(TaskTimedOut);
  });

  it('reads a secret’s bytes for the CSAT keyring, and a missing previous version as none', async () => {
    // Arrange: the current version as bytes, no previous version yet
    const server = await scripted([]);
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const answers = new Map<string, { status: number; body: unknown }>([
      [
        'AWSCURRENT',
        {
          status: 200,
          body: { VersionId: 'v2', SecretBinary: key.toString('base64'), CreatedDate: 1796515200 },
        },
      ],
      [
        'AWSPREVIOUS',
        {
          status: 400,
          body: {
            __type: 'ResourceNotFoundException',
            Message: "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
          },
        },
      ],
    ]);
    server.answer = (body) => answers.get((JSON.parse(body) as { VersionStage: string }).VersionStage);
    const client = new SecretsManagerClient({ ...local, endpoint: `http://127.0.0.1:${server.port}` });

    // Act
    const value = await client.send(
      new GetSecretValueCommand({ SecretId: 'csat', VersionStage: 'AWSCURRENT' }),
    );
    // The keyring is typed by the SDK's client, whose names the lean one has (`#shared/runtime/secrets-manager`).
    const keyring = new SecretsManagerKeyring(client as never, 'csat');
    const current = await keyring.current();
    const byId = await keyring.byId('v2');
    client.destroy();
    await server.close();

    // Assess
    expect(value.SecretBinary).toEqual(new Uint8Array(key));
    expect(value.CreatedDate).toEqual(new Date('2026-12-06T00:00:00.000Z'));
    expect(current).toEqual({ id: 'v2', secret: key });
    expect(byId).toEqual(current);
    expect(server.requests[0]?.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-amz-json-1.1');
  });
});

const clients: LeanClient[] = [];
/** A lean client on a test server, destroyed after the file. */
const client = (port: number, maxAttempts?: number) => {
  const made = leanOn(port, maxAttempts);
  clients.push(made);
  return made;
};
afterAll(() => {
  for (const made of clients) made.destroy();
});
