/**
 * The reference the Lambda bundles' import time is compared with: a function that only constructs
 * a DynamoDB client, bundled with the same options as every Tierdesk function
 * (test/bench/parts/bundles.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({});

export const handler = async (): Promise<string> => client.config.serviceId;
