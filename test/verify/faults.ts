import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DEMO_DESK_DOCUMENT } from '#infra/local/demo/service-levels';
import type { DevIdentity } from '#infra/local/dev-key';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { processChanges } from '#shared/changes/process-changes';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { surveyToken } from '#shared/csat/csat-service';
import { csatKeyringFromEnv } from '#shared/csat/keyring';
import { systemClock } from '#shared/domain/clock';
import { DynamoMailStore } from '#shared/email/adapters/dynamodb';
import { mailConfig } from '#shared/email/config';
import { loadTemplates } from '#shared/email/outbound/render';
import { sendMailForRecords } from '#shared/email/outbound/stream';
import { ROUTES, type RouteId } from '#shared/http/routes';
import { DynamoArticleStore, DynamoRequestWindows } from '#shared/kb/adapters/dynamodb';
import { buildIndex } from '#shared/kb/index-build';
import {
  DynamoDeadLetterStore,
  DynamoIncidentStore,
  DynamoJobStore,
  DynamoParkingRecords,
} from '#shared/ops/adapters/dynamodb';
import { SfnWorkflowControl } from '#shared/ops/adapters/sfn';
import type { OpsDeps } from '#shared/ops/operations';
import { DynamoReportStore } from '#shared/reports/adapters/dynamodb';
import { documentClient } from '#shared/store/client';
import { eventKey } from '#shared/store/keys';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '#shared/store/sdk';
import { createTableInput } from '#shared/store/table';
import { DynamoAssignmentLedger } from '#shared/tickets/adapters/dynamodb/assignment';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { workflowArnFromEnv } from '#shared/workflow/config';
import { apiFor } from '#test/support/api';
import { ticketDraft } from '#test/support/fixtures';
import { person } from '#test/support/local-stack';
import { spyThrough } from '#test/support/spy-through';
import { requestFor } from './authorization.ts';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Faults: DynamoDB throttling and timeouts injected into every write of every route that writes
 * → a 503 problem with Retry-After, and nothing half-written (each resource read back without
 * the fault is as it was); Step Functions unavailable → the stream processor fails the record,
 * so the event source mapping redelivers it (then dead-letters it after its retries), and the
 * same record goes through once the service is back.
 */

const WRITES = [TransactWriteCommand, PutCommand, UpdateCommand, DeleteCommand, BatchWriteCommand] as const;

const FAULTS: Record<string, () => Error> = {
  throttling: () =>
    Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded.'), {
      name: 'ProvisionedThroughputExceededException',
      $retryable: { throttling: true },
    }),
  timeout: () =>
    Object.assign(new Error('Socket timed out without establishing a connection'), { name: 'TimeoutError' }),
};

export const faults: VerifyPromise = {
  name: 'faults',
  async run() {
    const stack = await sharedStack();
    const failures = new Failures();
    const admin: DevIdentity = { email: person('faults-admin'), role: 'admin' };
    const owner: DevIdentity = { email: person('faults-owner'), role: 'requester' };
    // The handlers' own SDK retries are the SDK's business; one attempt makes the fault final.
    const db = documentClient(
      new DynamoDBClient({ ...localClientConfig(stack.dynamoEndpoint), maxAttempts: 1 }),
    );
    const configs = new DynamoConfigStore(db, stack.tableName);
    const store = new DynamoTicketStore(db, stack.tableName, systemClock, { retryBudgetMs: 300 });
    // The local stack's survey key (`.tierdesk/`, in this process's environment since it started).
    const keyring = csatKeyringFromEnv();
    const stateMachineArn = workflowArnFromEnv();
    // The ops routes on the stack's Step Functions and the faulted table; a job is recorded, not run.
    const ops: OpsDeps = {
      tickets: store,
      parking: new DynamoParkingRecords(db, stack.tableName),
      incidents: new DynamoIncidentStore(db, stack.tableName),
      control: new SfnWorkflowControl(new SFNClient({}), stateMachineArn),
      jobs: new DynamoJobStore(db, stack.tableName),
      deadLetters: new DynamoDeadLetterStore(db, stack.tableName),
      clock: systemClock,
      launcher: { launch: async () => undefined },
    };
    const deps = {
      store,
      directory: new DynamoDirectory(db, stack.tableName, 300),
      assignments: new DynamoAssignmentLedger(db, stack.tableName),
      // The configuration's and the reports' routes run on their stores of the same table.
      configs,
      config: configReader(configs),
      reports: new DynamoReportStore(db, stack.tableName),
      keyring,
      ops,
      clock: systemClock,
      orgDomains: ['example.com'],
      articles: new DynamoArticleStore(db, stack.tableName),
      windows: new DynamoRequestWindows(db, stack.tableName),
      index: { current: async () => buildIndex([]) },
    };
    const api = apiFor(deps, stack.tableName, stack.dynamoEndpoint);
    const ok = async (what: string, call: Parameters<typeof api>[0]) => {
      const answer = await api(call);
      if (answer.status >= 300) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.json)}`);
      return answer.json;
    };

    // Prepare, without faults: a resource in the state each route writes from.
    const newTicket = async () =>
      (
        await ok('create', {
          method: 'POST',
          url: '/tickets',
          as: owner,
          body: { subject: 'Fan', description: 'Loud.' },
        })
      ).number as number;
    const act = (number: number, action: string, body: unknown) =>
      ok(action, { method: 'POST', url: `/tickets/${number}/${action}`, as: admin, body });
    const open = await newTicket();
    const target = await newTicket();
    const resolved = await newTicket();
    await act(resolved, 'resolve', { resolution: 'Cleaned.' });
    const atTier3 = await newTicket();
    await act(atTier3, 'escalate', { reason: 'Specialist', summary: 'Tried.' });
    await act(atTier3, 'escalate', { reason: 'Engineering', summary: 'Tried more.' });
    const withVendor = await newTicket();
    await act(withVendor, 'escalate', { reason: 'Specialist', summary: 'Tried.' });
    await act(withVendor, 'escalate', { reason: 'Engineering', summary: 'Tried more.' });
    await act(withVendor, 'handoff', { vendorId: 'printix', message: 'Please look.' });
    const article = (
      await ok('article', {
        method: 'POST',
        url: '/kb/articles',
        as: admin,
        body: {
          title: `Faults ${Math.random().toString(36).slice(2)}`,
          body: 'Text.',
          category: 'general',
          audience: 'public',
          status: 'published',
        },
      })
    ).id as string;
    // The workflow triages the new tickets on its own: let it finish before anything is compared.
    await stack.settle();
    const ticketFor: Partial<Record<RouteId, number>> = {
      'reopen-ticket': resolved,
      'close-ticket': resolved,
      'hand-off-ticket': atTier3,
      'record-vendor-update': withVendor,
    };
    const user = person('faults-user');

    // Requests that really write (the matrix re-applies what the configuration has; people need someone to act on).
    const desk = structuredClone(DEMO_DESK_DOCUMENT) as {
      settings: Record<string, unknown>;
      calendars: Record<string, unknown>[];
    };
    const spare = { id: 'faults-spare', name: 'Spare', timeZone: 'UTC', weekly: { mon: ['09:00-10:00'] } };
    await ok('spare calendar', {
      method: 'PUT',
      url: '/admin/config/calendars/faults-spare',
      as: admin,
      body: spare,
    });
    const anyVersion = { 'if-match': '*' };
    const writingRequest: Partial<
      Record<RouteId, { path: string; body?: unknown; headers?: Record<string, string> }>
    > = {
      'apply-config': {
        path: '/admin/config',
        body: { ...desk, settings: { ...desk.settings, reopenWindow: '4d' } },
        headers: anyVersion,
      },
      'restore-config': { path: '/admin/config/restore', body: { version: 0, kind: 'settings' } },
      'put-config-section': {
        path: '/admin/config/settings',
        body: { ...desk.settings, reopenWindow: '4d' },
        headers: anyVersion,
      },
      'put-config-item': {
        path: '/admin/config/calendars/faults-spare',
        body: { ...spare, name: 'Spare, renamed' },
        headers: anyVersion,
      },
      'delete-config-item': { path: '/admin/config/calendars/faults-spare', headers: anyVersion },
    };

    // The people routes' writes: an active agent with a ticket of theirs, and a deactivated one.
    const personUrl = (email: string, tail = '') => `/admin/users/${encodeURIComponent(email)}${tail}`;
    const agent = person('faults-agent');
    const away = person('faults-away');
    for (const email of [agent, away]) {
      await ok('agent', {
        method: 'PUT',
        url: personUrl(email),
        as: admin,
        body: { name: 'Agent', role: 'agent', groups: ['tier1'] },
      });
    }
    await ok('deactivate', { method: 'POST', url: personUrl(away, '/deactivate'), as: admin });
    const theirs = await newTicket();
    await ok('assign', {
      method: 'PATCH',
      url: `/tickets/${theirs}`,
      as: admin,
      body: { assignee: agent },
      headers: anyVersion,
    });
    writingRequest['deactivate-user'] = { path: personUrl(agent, '/deactivate') };
    writingRequest['reactivate-user'] = { path: personUrl(away, '/reactivate') };
    writingRequest['reassign-user-tickets'] = {
      path: personUrl(agent, '/reassign'),
      body: { group: 'tier1' },
    };

    // The survey's writes: a closed ticket, answered by its requester or through its signed link.
    const closed = await newTicket();
    await act(closed, 'resolve', { resolution: 'Replaced.' });
    await act(closed, 'close', {});
    const closedTicket = await store.getTicket(closed);
    if (!closedTicket) throw new Error(`ticket #${closed} is gone`);
    ticketFor['answer-csat'] = closed;
    ticketFor['post-csat-page'] = closed;
    writingRequest['answer-csat'] = {
      path: `/tickets/${closed}/csat`,
      body: { score: 4, comment: 'Quick.' },
    };
    writingRequest['post-csat-page'] = {
      path: `/csat/${encodeURIComponent(await surveyToken(keyring, closedTicket))}`,
      body: { score: 4, comment: 'Quick.' },
    };
    const asCaller: Partial<Record<RouteId, DevIdentity>> = {
      'create-ticket': owner,
      'record-deflection': owner,
      'record-public-deflection': owner,
      'answer-csat': owner,
    };

    // The operators' writes: a workflow stopped by hand per fault (each faulted call starts or
    // redrives it in Step Functions before the audit write that fails), and jobs to record.
    const stoppedPerFault: Partial<Record<RouteId, Record<string, number>>> = {};
    for (const id of ['redrive-execution', 'restart-execution'] as const) {
      const byFault: Record<string, number> = {};
      for (const label of Object.keys(FAULTS)) {
        const number = await newTicket();
        await stack.settle();
        await ops.control.stop(ops.control.arnOf(`ticket-${number}-g0`), 'Stopped by hand');
        byFault[label] = number;
      }
      stoppedPerFault[id] = byFault;
    }
    await stack.settle();
    writingRequest['redrive-executions'] = { path: '/ops/executions/redrive', body: { status: 'ABORTED' } };
    writingRequest['start-reconciliation'] = { path: '/ops/reconcile', body: {} };

    /** Everything a faulted call could have half-written, read without faults. */
    const snapshot = async (number: number) => {
      const ticket = await api({ method: 'GET', url: `/tickets/${number}`, as: admin });
      const timeline = await api({ method: 'GET', url: `/tickets/${number}/timeline?limit=100`, as: admin });
      const mine = await api({ method: 'GET', url: '/tickets?view=mine&limit=100', as: owner });
      const kb = await api({ method: 'GET', url: `/kb/articles/${article}`, as: admin });
      const articles = await api({ method: 'GET', url: '/kb/articles?limit=100', as: admin });
      return JSON.stringify({
        ticket: ticket.json.version,
        events: timeline.json.items.length,
        tickets: mine.json.items.length,
        article: kb.json.version,
        articles: articles.json.items.length,
        user: await deps.directory.getUser(user),
        config: (await api({ method: 'GET', url: '/admin/config', as: admin })).json.version,
      });
    };

    let faulted = 0;
    const writeRoutes = ROUTES.filter((route) => route.tableAccess === 'readWrite');
    for (const route of writeRoutes) {
      for (const [label, fault] of Object.entries(FAULTS)) {
        const number = stoppedPerFault[route.id]?.[label] ?? ticketFor[route.id] ?? open;
        const request =
          writingRequest[route.id] ?? requestFor(route.id, { number, mergeInto: target, article });
        if (route.id === 'put-user') request.path = `/admin/users/${encodeURIComponent(user)}`;
        const before = await snapshot(number);
        const { mock } = spyThrough(db, WRITES);
        for (const Command of WRITES)
          mock.on(Command as typeof PutCommand).callsFake(() => Promise.reject(fault()));
        let answer: Awaited<ReturnType<typeof api>>;
        try {
          answer = await api({
            method: route.method,
            url: request.path,
            as: asCaller[route.id] ?? admin,
            ...(request.body !== undefined && { body: request.body }),
            headers: request.headers ?? {},
          });
        } finally {
          mock.restore();
        }
        faulted++;
        const where = `${route.id} under ${label}`;
        if (answer.status !== 503)
          failures.add(`${where}: ${answer.status} ${JSON.stringify(answer.json).slice(0, 160)}`);
        else if (!answer.headers['retry-after']) failures.add(`${where}: 503 without Retry-After`);
        if (answer.status >= 500 && answer.headers['content-type'] !== 'application/problem+json')
          failures.add(`${where}: not problem+json`);
        const after = await snapshot(number);
        if (after !== before) failures.add(`${where}: a partial write: ${before} → ${after}`);
      }
    }

    // Step Functions unavailable: the record fails (redelivered), then goes through.
    const record = {
      eventID: 'verify-1',
      eventName: 'INSERT' as const,
      dynamodb: {
        SequenceNumber: '100',
        NewImage: {
          entity: { S: 'ticket' },
          number: { N: String(open) },
          version: { N: '1' },
          status: { S: 'new' },
          tier: { N: '1' },
          priority: { S: 'P3' },
        },
      },
    };
    let started = 0;
    const signals = (down: boolean) => ({
      start: async () => {
        if (down) throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
        started++;
        return 'already running' as const;
      },
      wake: async () => true,
    });
    const workflows = new DynamoWorkflowStore(db, stack.tableName);
    const down = await processChanges({ signals: signals(true), workflows })({ Records: [record] });
    const back = await processChanges({ signals: signals(false), workflows })({ Records: [record] });
    if (down.batchItemFailures[0]?.itemIdentifier !== '100')
      failures.add(`Step Functions down: the record was not reported failed (${JSON.stringify(down)})`);
    if (back.batchItemFailures.length > 0 || started !== 1)
      failures.add(
        `Step Functions back: the redelivered record did not go through (${JSON.stringify(back)})`,
      );

    // SES throttling: the mail's record fails and is redelivered; the mail goes out once.
    const mailed = await sesThrottling(db);
    if (mailed.afterThrottle.batchItemFailures.length !== 1)
      failures.add('SES throttled: the record was not reported failed');
    if (mailed.sent !== 1)
      failures.add(`SES throttled, then the record redelivered twice: ${mailed.sent} mails sent, not 1`);

    return {
      figures: `${faulted} faulted calls (${writeRoutes.length} writing routes × ${Object.keys(FAULTS).length} faults: DynamoDB throttling, timeout) → 503 with Retry-After, nothing half-written; Step Functions down → the record fails and is redelivered, then goes through; SES throttled → the acknowledgment is sent ${mailed.sent} time after 2 redeliveries`,
      ...failures.report(),
    };
  },
};

/**
 * The mailer on the table's stream, its SES transport throttled once: the first delivery of the
 * `created` event fails (the record is redelivered), the second sends, the third (a duplicate
 * delivery) finds the mail claimed and sends nothing.
 */
const sesThrottling = async (db: ReturnType<typeof documentClient>) => {
  // A table of its own: on the stack's table, the stack's mailer would have sent it already.
  const tableName = `verify-mail-${Date.now()}`;
  await db.send(new CreateTableCommand(createTableInput(tableName)));
  const { ticket } = await new DynamoTicketStore(db, tableName, systemClock).createTicket({
    ...ticketDraft(new Date().toISOString(), { requester: `throttled-${Date.now()}@example.com` }),
  });
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: eventKey(ticket.number, 1, 0) }),
  );
  const record = {
    eventID: `verify-mail-${ticket.number}`,
    eventName: 'INSERT' as const,
    dynamodb: {
      SequenceNumber: '200',
      NewImage: marshall(Item ?? {}, { removeUndefinedValues: true }) as never,
    },
  };
  let attempts = 0;
  let sent = 0;
  const transport = {
    send: async () => {
      attempts++;
      if (attempts === 1)
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
      sent++;
      return { deliveredMessageId: `verify-${attempts}@email.amazonses.com` };
    },
  };
  const tickets = new DynamoTicketStore(db, tableName, systemClock);
  const mailer = sendMailForRecords({
    tickets,
    directory: new DynamoDirectory(db, tableName),
    config: configReader(new DynamoConfigStore(db, tableName)),
    mail: new DynamoMailStore(db, tableName, systemClock),
    transport,
    templates: loadTemplates(),
    settings: mailConfig(['support@tierdesk.local']),
    clock: systemClock,
  });
  const afterThrottle = await mailer({ Records: [record] });
  await mailer({ Records: [record] });
  await mailer({ Records: [record] });
  await db.send(new DeleteTableCommand({ TableName: tableName }));
  return { afterThrottle, sent };
};
