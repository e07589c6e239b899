import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requiredEnv } from '#shared/runtime/env';

/**
 * Module-level clients, created once per Lambda container. The endpoint comes from the SDK's own
 * configuration (`AWS_ENDPOINT_URL_DYNAMODB` locally), so handlers hold no local/AWS branches.
 */

export const documentClient = (client = new DynamoDBClient({})): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** The variable that names the single table (set by the CDK grant helper and the local stack). */
export const TABLE_NAME_VARIABLE = 'TABLE_NAME';

export const tableNameFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  requiredEnv(TABLE_NAME_VARIABLE, env);
