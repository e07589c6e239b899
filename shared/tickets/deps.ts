import { PrincipalResolver } from '#shared/auth/identity';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { clockFromEnv } from '#shared/runtime/clock';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { DynamoAssignmentLedger } from './adapters/dynamodb/assignment.ts';
import { DynamoDirectory } from './adapters/dynamodb/directory.ts';
import { DynamoTicketStore } from './adapters/dynamodb/tickets.ts';
import { orgDomainsFromEnv } from './config.ts';
import type { TicketDeps } from './ticket-service.ts';

/**
 * How long a handler keeps retrying lost races on a hot ticket before answering 503: it must end
 * well inside the function timeout (CDK sets none: the 5 s default fits a 10 s Lambda; the local
 * stack, whose integration timeout is 30 s and whose DynamoDB Local commits one transaction at a
 * time, allows more).
 */
const retryBudgetFromEnv = (): number | undefined =>
  Number(process.env.TIERDESK_CONTENTION_BUDGET_MS) || undefined;

/**
 * How long a function keeps the configuration it read (milliseconds; default 10 s): an admin's
 * change reaches every function within this time. The local stack reads it on every request.
 */
const configCacheFromEnv = (): number => {
  const value = Number(process.env.TIERDESK_CONFIG_CACHE_MS);
  return Number.isFinite(value) && process.env.TIERDESK_CONFIG_CACHE_MS !== undefined ? value : 10_000;
};

/** What every ticket handler runs on, wired from the environment. */
export const ticketDepsFromEnv = (): TicketDeps => {
  const clock = clockFromEnv();
  const db = documentClient();
  const tableName = tableNameFromEnv();
  const retryBudgetMs = retryBudgetFromEnv();
  return {
    store: new DynamoTicketStore(db, tableName, clock, { retryBudgetMs }),
    directory: new DynamoDirectory(db, tableName, retryBudgetMs),
    assignments: new DynamoAssignmentLedger(db, tableName),
    config: configReader(new DynamoConfigStore(db, tableName), { ttlMs: configCacheFromEnv(), clock }),
    clock,
    orgDomains: orgDomainsFromEnv(),
  };
};

/**
 * Who callers are, from the directory in this function's table. `TIERDESK_PRINCIPAL_TTL_MS` may
 * shorten how long a container remembers a person (never past the 60 s the desk promises; 0 reads
 * the directory on every request).
 */
export const principalResolverFromEnv = (): PrincipalResolver => {
  const directory = new DynamoDirectory(documentClient(), tableNameFromEnv());
  const ttl = process.env.TIERDESK_PRINCIPAL_TTL_MS;
  return new PrincipalResolver(
    (email) => directory.getUser(email),
    clockFromEnv(),
    ttl === undefined || ttl === '' ? undefined : Number(ttl),
  );
};
