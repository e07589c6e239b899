import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { DynamoReportStore } from './adapters/dynamodb.ts';
import type { ReportDeps } from './report-service.ts';

/** What the reports' function runs on, wired from the environment. */
export const reportDepsFromEnv = (): ReportDeps => {
  const tickets = ticketDepsFromEnv();
  return {
    reports: new DynamoReportStore(documentClient(), tableNameFromEnv()),
    store: tickets.store,
    config: tickets.config,
    clock: tickets.clock,
  };
};
