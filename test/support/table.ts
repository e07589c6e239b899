import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { type AdminDeps, putItem } from '#shared/config/admin';
import { formatDuration } from '#shared/config/desk';
import { configReader } from '#shared/config/reader';
import { type Clock, fixedClock } from '#shared/domain/clock';
import { principalFromGroups } from '#shared/domain/principal';
import type { VendorContract } from '#shared/domain/service-levels';
import { documentClient } from '#shared/store/client';
import { createTableInput } from '#shared/store/table';
import { DynamoAssignmentLedger } from '#shared/tickets/adapters/dynamodb/assignment';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import type { TicketDeps } from '#shared/tickets/ticket-service';

/** The admin the tests configure the desk as. */
const TEST_ADMIN = principalFromGroups('lena@example.com', ['admins']);

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
  const configs = new DynamoConfigStore(db, tableName);
  const store = new DynamoTicketStore(db, tableName, clock);
  const admin: AdminDeps = { configs, clock, tickets: store };
  const tickets: TicketDeps & { configs: typeof configs } = {
    configs,
    store,
    directory: new DynamoDirectory(db, tableName),
    assignments: new DynamoAssignmentLedger(db, tableName),
    config: configReader(configs),
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
    /** The admin use cases' dependencies: the configuration as `tierdesk config` changes it. */
    admin,
    configs,
    /** Configures a vendor, as an admin would (its calendar must be configured). */
    putVendor: (vendor: VendorContract) =>
      putItem(
        admin,
        TEST_ADMIN,
        'vendors',
        vendor.vendorId,
        {
          id: vendor.vendorId,
          name: vendor.name,
          addresses: [vendor.email, ...(vendor.aliases ?? [])],
          calendar: vendor.calendar.id,
          response: formatDuration(vendor.response),
          resolution: formatDuration(vendor.resolution),
          reminderEvery: formatDuration(vendor.reminderEvery),
        },
        {},
      ),
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
};
