import { clockFromEnv } from '#shared/runtime/clock';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { DynamoConfigStore } from './adapters/dynamodb.ts';
import type { AdminDeps } from './admin.ts';

/** What the configuration's admin routes run on, wired from the environment once per container. */
export const adminDepsFromEnv = (): AdminDeps => {
  const clock = clockFromEnv();
  const db = documentClient();
  const tableName = tableNameFromEnv();
  return {
    configs: new DynamoConfigStore(db, tableName),
    clock,
    tickets: new DynamoTicketStore(db, tableName, clock),
  };
};
