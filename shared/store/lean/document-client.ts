import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, type marshallOptions, unmarshall, type unmarshallOptions } from '@aws-sdk/util-dynamodb';
import type { Loose } from '#shared/runtime/lean-aws/json-client';
import { DynamoDBClient, type DynamoDBClientConfig } from './dynamodb-client.ts';

/**
 * The part of lib-dynamodb's API the stores use (`DynamoDBDocumentClient`, its commands,
 * `paginateQuery`), over the lean client (`dynamodb-client.ts`): items in and out as plain
 * objects, marshalled by the SDK's own `@aws-sdk/util-dynamodb` with the options the stores give.
 * Each command names its operation and which of its input and output fields hold items, keys or
 * values, as lib-dynamodb's commands do.
 */

type Plain = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

interface Translation {
  marshall: (value: Plain) => Wire;
  unmarshall: (value: Wire) => Plain;
}

/** Applies `convert` to the fields of `object` named in `fields` that are present. */
const converted = (object: Plain, fields: readonly string[], convert: (value: never) => unknown): Plain => {
  const copy = { ...object };
  for (const field of fields) if (copy[field] !== undefined) copy[field] = convert(copy[field] as never);
  return copy;
};

/** The fields of a single-item request that hold an item, a key or expression values. */
const ITEM_FIELDS = ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const;

const itemRequest = (input: Plain, t: Translation): Plain => converted(input, ITEM_FIELDS, t.marshall);

const mapValues = <T, U>(record: Record<string, T> | undefined, map: (value: T) => U) =>
  record === undefined
    ? undefined
    : Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));

abstract class DocumentCommand<Input extends object, Output extends object> {
  abstract readonly operation: string;
  constructor(readonly input: Input) {}
  /** The input in DynamoDB's wire format. */
  toWire(t: Translation): Plain {
    return itemRequest(this.input as Plain, t);
  }
  /** The output with items as plain objects. */
  fromWire(output: Plain, t: Translation): Output {
    return converted(output, ['Item', 'Attributes', 'LastEvaluatedKey'], t.unmarshall) as Output;
  }
}

/**
 * A command on one item: its key, item and values marshalled, its item or attributes read back.
 * Named as lib-dynamodb names it (`GetItem` → `GetCommand`): tests tell commands apart by name.
 */
const itemCommand = (operation: string) =>
  Object.defineProperty(
    class extends DocumentCommand<Loose, Loose> {
      readonly operation = operation;
    },
    'name',
    { value: `${operation.replace(/Item$/, '')}Command` },
  );

export const GetCommand = itemCommand('GetItem');
export const PutCommand = itemCommand('PutItem');
export const UpdateCommand = itemCommand('UpdateItem');
export const DeleteCommand = itemCommand('DeleteItem');
export class QueryCommand extends DocumentCommand<Loose, Loose> {
  readonly operation = 'Query';
  override fromWire(output: Plain, t: Translation): Loose {
    const items = output.Items as Wire[] | undefined;
    return {
      ...super.fromWire(output, t),
      ...(items && { Items: items.map(t.unmarshall) }),
    };
  }
}

export class TransactWriteCommand extends DocumentCommand<Loose, Loose> {
  readonly operation = 'TransactWriteItems';
  override toWire(t: Translation): Plain {
    const input = this.input as { TransactItems?: Record<string, Plain>[] };
    return {
      ...input,
      ...(input.TransactItems && {
        TransactItems: input.TransactItems.map((item) =>
          mapValues(item, (request) => itemRequest(request, t)),
        ),
      }),
    };
  }
}

export class BatchGetCommand extends DocumentCommand<Loose, Loose> {
  readonly operation = 'BatchGetItem';
  override toWire(t: Translation): Plain {
    const input = this.input as { RequestItems?: Record<string, { Keys: Plain[] }> };
    return {
      ...input,
      RequestItems: mapValues(input.RequestItems, (request) => ({
        ...request,
        Keys: request.Keys.map(t.marshall),
      })),
    };
  }
  override fromWire(output: Plain, t: Translation): Loose {
    const { Responses, UnprocessedKeys } = output as {
      Responses?: Record<string, Wire[]>;
      UnprocessedKeys?: Record<string, { Keys?: Wire[] }>;
    };
    return {
      ...output,
      ...(Responses && { Responses: mapValues(Responses, (items) => items.map(t.unmarshall)) }),
      ...(UnprocessedKeys && {
        UnprocessedKeys: mapValues(UnprocessedKeys, (request) => ({
          ...request,
          ...(request.Keys && { Keys: request.Keys.map(t.unmarshall) }),
        })),
      }),
    };
  }
}

type WriteRequest<T> = { PutRequest?: { Item: T }; DeleteRequest?: { Key: T } };

const writeRequests = <T, U>(
  requests: Record<string, WriteRequest<T>[]> | undefined,
  convert: (value: T) => U,
): Record<string, WriteRequest<U>[]> | undefined =>
  mapValues(requests, (list) =>
    list.map(({ PutRequest, DeleteRequest, ...rest }) => ({
      ...rest,
      ...(PutRequest && { PutRequest: { ...PutRequest, Item: convert(PutRequest.Item) } }),
      ...(DeleteRequest && { DeleteRequest: { ...DeleteRequest, Key: convert(DeleteRequest.Key) } }),
    })),
  );

export class BatchWriteCommand extends DocumentCommand<Loose, Loose> {
  readonly operation = 'BatchWriteItem';
  override toWire(t: Translation): Plain {
    const input = this.input as { RequestItems?: Record<string, WriteRequest<Plain>[]> };
    return { ...input, RequestItems: writeRequests(input.RequestItems, t.marshall) };
  }
  override fromWire(output: Plain, t: Translation): Loose {
    const unprocessed = output.UnprocessedItems as Record<string, WriteRequest<Wire>[]> | undefined;
    return { ...output, ...(unprocessed && { UnprocessedItems: writeRequests(unprocessed, t.unmarshall) }) };
  }
}

export interface TranslateConfig {
  marshallOptions?: marshallOptions;
  unmarshallOptions?: unmarshallOptions;
}

export class DynamoDBDocumentClient {
  private readonly translation: Translation;

  private constructor(
    readonly client: DynamoDBClient,
    config: TranslateConfig = {},
  ) {
    this.translation = {
      // Items, keys and value maps are marshalled as the record of their attributes, whatever the
      // options say (lib-dynamodb sets `convertTopLevelContainer` on the options it is given).
      marshall: (value) => marshall(value, { ...config.marshallOptions, convertTopLevelContainer: false }),
      unmarshall: (value) => unmarshall(value, config.unmarshallOptions),
    };
  }

  /** A document client over `client`: a lean client, or an SDK client, whose configuration it takes. */
  static from(
    client: DynamoDBClient | { config: DynamoDBClientConfig },
    config?: TranslateConfig,
  ): DynamoDBDocumentClient {
    return new DynamoDBDocumentClient(
      client instanceof DynamoDBClient ? client : new DynamoDBClient(client.config),
      config,
    );
  }

  async send(command: DocumentCommand<Loose, Loose>): Promise<Loose> {
    const output = await this.client.call(command.operation, command.toWire(this.translation));
    return command.fromWire(output, this.translation);
  }

  destroy(): void {
    this.client.destroy();
  }
}

/**
 * lib-dynamodb's `paginateQuery`: each page of a query, following `LastEvaluatedKey`; a page holds
 * the query's own `Limit`, else `pageSize`.
 */
export async function* paginateQuery(
  config: { client: DynamoDBDocumentClient; pageSize?: number; startingToken?: Plain },
  input: Loose,
): AsyncGenerator<Loose> {
  const limit = input.Limit ?? config.pageSize;
  let token: Plain | undefined = config.startingToken ?? input.ExclusiveStartKey;
  do {
    const page = await config.client.send(
      new QueryCommand({
        ...input,
        ...(token && { ExclusiveStartKey: token }),
        ...(limit !== undefined && { Limit: limit }),
      }),
    );
    yield page;
    token = page.LastEvaluatedKey;
  } while (token);
}

export { DynamoDBClient };
