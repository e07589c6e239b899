import { requiredEnv } from '#shared/runtime/env';
import { DynamoDBClient, DynamoDBDocumentClient } from '#shared/store/sdk';

/**
 * The DynamoDB client of a Lambda container. The endpoint comes from the SDK's own configuration
 * (`AWS_ENDPOINT_URL_DYNAMODB` locally), so handlers hold no local/AWS branches.
 */

const wrap = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

let containerClient: DynamoDBDocumentClient | undefined;

/**
 * The document client over `client`, or without one the container's: one client for every store
 * a function wires, created on the first call. Each client resolves its configuration and keeps
 * its own connections, so a second one would only add to the cold start (a workflow task wired
 * three) and open connections of its own.
 */
export const documentClient = (client?: DynamoDBClient): DynamoDBDocumentClient => {
  if (client) return wrap(client);
  containerClient ??= wrap(new DynamoDBClient({}));
  return containerClient;
};

/** The variable that names the single table (set by the CDK grant helper and the local stack). */
export const TABLE_NAME_VARIABLE = 'TABLE_NAME';

export const tableNameFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  requiredEnv(TABLE_NAME_VARIABLE, env);
