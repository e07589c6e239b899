import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { type Clock, fixedClock } from '#shared/domain/clock';
import { documentClient } from '#shared/store/client';
import { createTableInput } from '#shared/store/table';
import { DynamoAssignmentLedger } from '#shared/tickets/adapters/dynamodb/assignment';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/**
 * A fresh table on the integration project's DynamoDB Local, created from the shared
 * definition, so test files never see each other's data.
 */
export const freshTable = async (clock: Clock = fixedClock('2026-11-20T14:00:00.000Z')) => {
  const endpoint = inject('dynamoEndpoint');
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const tableName = `tierdesk-test-${randomUUID()}`;
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  const db = documentClient(client);
  const tickets: TicketDeps = {
    store: new DynamoTicketStore(db, tableName, clock),
    directory: new DynamoDirectory(db, tableName),
    assignments: new DynamoAssignmentLedger(db, tableName),
    config: new DynamoConfigStore(db, tableName),
    clock,
    // The demo organization's domain: everyone in the tests writes from example.com.
    orgDomains: ['example.com'],
  };
  return {
    endpoint,
    tableName,
    client,
    db,
    ...tickets,
    /** The ticket use cases' dependencies on this table (with the table's clock). */
    tickets,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
};
