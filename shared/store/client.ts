import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clockFromEnv } from '#shared/domain/clock';
import { DynamoConfigStore } from './dynamo-config-store.ts';
import { DynamoTicketStore } from './dynamo-ticket-store.ts';

/**
 * Module-level clients, created once per Lambda container. The endpoint comes from the SDK's own
 * configuration (`AWS_ENDPOINT_URL_DYNAMODB` locally), so handlers hold no local/AWS branches.
 */

export const documentClient = (client = new DynamoDBClient({})): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

export const tableNameFromEnv = (): string => {
  const name = process.env.TABLE_NAME;
  if (!name) throw new Error('TABLE_NAME is not set: the stack (or the local stack) provides it.');
  return name;
};

/**
 * How long a handler keeps retrying lost races on a hot ticket before answering 503: it must end
 * well inside the function timeout (CDK sets none: the 5 s default fits a 10 s Lambda; the local
 * stack, whose integration timeout is 30 s and whose DynamoDB Local commits one transaction at a
 * time, allows more).
 */
const retryBudgetFromEnv = (): number | undefined =>
  Number(process.env.TIERDESK_CONTENTION_BUDGET_MS) || undefined;

/** What every ticket handler runs on, wired from the environment. */
export const ticketDepsFromEnv = () => {
  const clock = clockFromEnv();
  const db = documentClient();
  return {
    store: new DynamoTicketStore(db, tableNameFromEnv(), clock, { retryBudgetMs: retryBudgetFromEnv() }),
    config: new DynamoConfigStore(db, tableNameFromEnv()),
    clock,
  };
};
