/**
 * The requests of the `requests` benchmark part, and a DynamoDB client that records what each one
 * sends: the handlers run in process (`apiFor`) on DynamoDB Local, with the caches a warm Lambda
 * container has (who the caller is, the desk configuration), so a request's calls are those of a
 * warm container. Shared by the part and by its latency worker (one function per process).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DevIdentity } from '#infra/local/dev-key';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { systemClock } from '#shared/domain/clock';
import { documentClient } from '#shared/store/client';
import { createTableInput } from '#shared/store/table';
import { DynamoAssignmentLedger } from '#shared/tickets/adapters/dynamodb/assignment';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { type ApiCall, type ApiResponse, apiFor } from '#test/support/api';

/** One DynamoDB call as the client sent it: the command's name and its (marshalled) input. */
export interface RecordedCall {
  command: string;
  input: Record<string, unknown>;
}

/**
 * A DynamoDB client that records every command it sends (by name, with its wire input), from the
 * `build` step: after the document client marshalled it, before the SDK retries it.
 */
export const recordingClient = (endpoint: string) => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const calls: RecordedCall[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({
        command: String(context.commandName).replace(/Command$/, ''),
        // The marshalled input is the SDK's own copy: kept as it is (no clone on the timed path).
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'build', name: 'benchRecorder' },
  );
  return { client, calls };
};

export const REQUESTER: DevIdentity = { email: 'rhea@example.com', role: 'requester' };
export const AGENT: DevIdentity = { email: 'abel@example.com', role: 'agent', tiers: [1, 2] };

/** A table on DynamoDB Local with the handlers over it, as a warm container has them. */
export const benchApi = async (endpoint: string, tableName: string, { createTable = true } = {}) => {
  const { client, calls } = recordingClient(endpoint);
  if (createTable) await client.send(new CreateTableCommand(createTableInput(tableName)));
  const db = documentClient(client);
  const configs = new DynamoConfigStore(db, tableName);
  const deps: TicketDeps = {
    store: new DynamoTicketStore(db, tableName, systemClock),
    directory: new DynamoDirectory(db, tableName),
    assignments: new DynamoAssignmentLedger(db, tableName),
    // As deployed: the configuration is read at most once per 10 s.
    config: configReader(configs, { ttlMs: 10_000, clock: systemClock }),
    clock: systemClock,
    orgDomains: ['example.com'],
  };
  // As deployed: a container remembers who a caller is for 60 s.
  const api = apiFor(deps, tableName, endpoint, { principalTtlMs: 60_000 });
  return { client, calls, db, deps, api };
};

/** The request kinds the part counts, each with what it needs made first (`prepare`). */
export interface RequestKind {
  id: string;
  /** The function that serves it (one process each in the latency runs). */
  fn: string;
  /** The physical minimum of DynamoDB calls for what it answers, and why. */
  minimum: number;
  why: string;
  /** A request to run, given a ticket made for it (a fresh one per call where it changes it). */
  call: (ticket: number, round: number) => ApiCall;
  /** Whether each call needs a fresh ticket (an action that moves it on). */
  freshTicket?: boolean;
}

export const REQUESTS: RequestKind[] = [
  {
    id: 'create',
    fn: 'create-ticket',
    minimum: 1,
    why: 'one transaction (ticket, created event, listings)',
    call: (_ticket, round) => ({
      method: 'POST',
      url: '/tickets',
      as: REQUESTER,
      body: { subject: `Printer jammed ${round}`, description: 'Paper stuck in tray 2.' },
    }),
  },
  {
    id: 'create (Idempotency-Key)',
    fn: 'create-ticket',
    minimum: 1,
    why: 'the same transaction, with the key record in it',
    call: (_ticket, round) => ({
      method: 'POST',
      url: '/tickets',
      as: REQUESTER,
      headers: { 'idempotency-key': `bench-${round}-${Math.random().toString(36).slice(2)}` },
      body: { subject: `Monitor flickers ${round}`, description: 'Since this morning.' },
    }),
  },
  {
    id: 'get',
    fn: 'get-ticket',
    minimum: 1,
    why: 'one GetItem',
    call: (ticket) => ({ method: 'GET', url: `/tickets/${ticket}`, as: REQUESTER }),
  },
  {
    id: 'queue',
    fn: 'list-tickets',
    minimum: 1,
    why: 'one Query of the tier queue index',
    call: () => ({ method: 'GET', url: '/tickets?view=queue&tier=1&limit=25', as: AGENT }),
  },
  {
    id: 'my tickets',
    fn: 'list-tickets',
    minimum: 1,
    why: 'one Query of the person index (no watched tickets)',
    call: () => ({ method: 'GET', url: '/tickets?limit=25', as: REQUESTER }),
  },
  {
    id: 'timeline (requester)',
    fn: 'get-timeline',
    minimum: 1,
    why: 'one Query (the events and the ticket item that decides access)',
    call: (ticket) => ({ method: 'GET', url: `/tickets/${ticket}/timeline`, as: REQUESTER }),
  },
  {
    id: 'timeline (agent)',
    fn: 'get-timeline',
    minimum: 1,
    why: 'one Query, internal notes included',
    call: (ticket) => ({ method: 'GET', url: `/tickets/${ticket}/timeline`, as: AGENT }),
  },
  {
    id: 'comment',
    fn: 'add-comment',
    minimum: 2,
    why: 'the ticket (GetItem), then one transaction',
    call: (ticket, round) => ({
      method: 'POST',
      url: `/tickets/${ticket}/comments`,
      as: REQUESTER,
      body: { body: `Still broken (${round}).` },
    }),
  },
  {
    id: 'escalate',
    fn: 'escalate-ticket',
    minimum: 2,
    why: 'the ticket (GetItem), then one transaction',
    freshTicket: true,
    call: (ticket) => ({
      method: 'POST',
      url: `/tickets/${ticket}/escalate`,
      as: AGENT,
      body: { reason: 'needs network access', summary: 'Checked cabling and drivers.' },
    }),
  },
  {
    id: 'resolve',
    fn: 'resolve-ticket',
    minimum: 2,
    why: 'the ticket (GetItem), then one transaction',
    freshTicket: true,
    call: (ticket) => ({
      method: 'POST',
      url: `/tickets/${ticket}/resolve`,
      as: AGENT,
      body: { resolution: 'Replaced the fuser.' },
    }),
  },
  {
    id: 'find by number',
    fn: 'list-tickets',
    minimum: 1,
    why: 'one GetItem',
    call: (ticket) => ({ method: 'GET', url: `/tickets?view=all&number=${ticket}`, as: AGENT }),
  },
  {
    id: 'find by requester',
    fn: 'list-tickets',
    minimum: 1,
    why: 'one Query of the person index (whole tickets)',
    call: () => ({
      method: 'GET',
      url: `/tickets?view=all&requester=${REQUESTER.email}&limit=25`,
      as: AGENT,
    }),
  },
  {
    id: 'find by status',
    fn: 'list-tickets',
    minimum: 2,
    why: 'one Query of the finder index, one BatchGetItem of its tickets',
    call: () => ({ method: 'GET', url: '/tickets?view=all&status=new&limit=25', as: AGENT }),
  },
  {
    id: 'presence (read)',
    fn: 'console',
    minimum: 1,
    why: 'one Query (the ticket and its presence items)',
    call: (ticket) => ({ method: 'GET', url: `/tickets/${ticket}/presence`, as: AGENT }),
  },
];

/** Calls `api` and insists on a 2xx: a benchmark of failures would measure nothing. */
export const expectOk = async (
  api: (call: ApiCall) => Promise<ApiResponse>,
  call: ApiCall,
): Promise<ApiResponse> => {
  const response = await api(call);
  if (response.status >= 300) {
    throw new Error(`${call.method} ${call.url}: ${response.status} ${response.text.slice(0, 300)}`);
  }
  return response;
};

/** A ticket of the requester's, with a comment and an internal note on its timeline. */
export const makeTicket = async (api: (call: ApiCall) => Promise<ApiResponse>, round = 0) => {
  const created = await expectOk(api, {
    method: 'POST',
    url: '/tickets',
    as: REQUESTER,
    body: { subject: `Laptop will not boot ${round}`, description: 'Black screen after the logo.' },
  });
  const number = created.json.number as number;
  await expectOk(api, {
    method: 'POST',
    url: `/tickets/${number}/comments`,
    as: REQUESTER,
    body: { body: 'It beeps three times.' },
  });
  await expectOk(api, {
    method: 'POST',
    url: `/tickets/${number}/comments`,
    as: AGENT,
    body: { body: 'Likely RAM.', public: false },
  });
  return number;
};
