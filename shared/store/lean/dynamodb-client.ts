import {
  type AwsClientConfig,
  AwsJsonClient,
  blob,
  type JsonService,
} from '#shared/runtime/lean-aws/json-client';

/**
 * DynamoDB on the lean JSON client (`#shared/runtime/lean-aws/json-client`): the client under the
 * lean document client (`document-client.ts`).
 */

/**
 * Binary attribute values: in an answer only an attribute value's `B` is a string and its `BS` a
 * list of strings (an attribute named `B` holds an attribute value, an object).
 */
const binaryValues = (key: string, value: unknown): unknown => {
  if (key === 'B' && typeof value === 'string') return blob(value);
  if (key === 'BS' && Array.isArray(value) && value.every((entry) => typeof entry === 'string'))
    return value.map(blob);
  return value;
};

const DYNAMODB: JsonService = {
  signingName: 'dynamodb',
  hostPrefix: 'dynamodb',
  targetPrefix: 'DynamoDB_20120810',
  jsonVersion: '1.0',
  endpointId: 'DYNAMODB',
  reviver: binaryValues,
};

export type DynamoDBClientConfig = AwsClientConfig;

export class DynamoDBClient extends AwsJsonClient {
  constructor(config: DynamoDBClientConfig = {}) {
    super(DYNAMODB, config);
  }
}

export { AwsServiceException as DynamoDBServiceException } from '#shared/runtime/lean-aws/json-client';
