import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { type StreamPoller, startStreamPoller } from '#infra/local/stream-poller';
import { processChanges } from '#shared/changes/process-changes';
import { comment, resolve } from '#shared/domain/lifecycle';
import { principalFromGroups } from '#shared/domain/principal';
import type { Ticket } from '#shared/domain/ticket';
import { DynamoArticleStore } from '#shared/kb/adapters/dynamodb';
import { type Article, createArticle, reviseArticle } from '#shared/kb/article';
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '#shared/runtime/sfn';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import type { WorkflowStore } from '#shared/workflow/workflow-store';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

/**
 * The stream processor on real stream records: every write goes to DynamoDB Local, and the
 * records its stream yields (tickets, timeline events, counters, parking records) are what the
 * processor gets, as an event source mapping would hand them over. Step Functions is mocked, to
 * inject the faults it answers with: stale tokens, an execution that already exists, throttling.
 */

const STATE_MACHINE_ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:tierdesk-ticket-lifecycle';
const sfn = mockClient(SFNClient);
const sam = principalFromGroups('sam@example.com', ['supervisors']);

let env: Awaited<ReturnType<typeof freshTable>>;
let workflows: WorkflowStore;
let poller: StreamPoller;
let handle: ReturnType<typeof processChanges>;
const delivered: DynamoDBRecord[] = [];

beforeAll(async () => {
  env = await freshTable();
  workflows = new DynamoWorkflowStore(env.db, env.tableName);
  const signals = new SfnWorkflowSignals(
    new SFNClient({ region: 'eu-central-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    STATE_MACHINE_ARN,
  );
  handle = processChanges({ signals, workflows });
  // The poller only collects: each test hands the records to the processor itself.
  poller = await startStreamPoller({
    endpoint: env.endpoint,
    tableName: env.tableName,
    intervalMs: 20,
    handler: async (event) => {
      delivered.push(...event.Records);
      return { batchItemFailures: [] };
    },
  });
});
afterAll(async () => {
  await poller?.stop();
  await env?.drop();
  sfn.restore();
});
beforeEach(() => {
  sfn.reset();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

/** Every record written to the stream since the last call, in stream order. */
const streamRecords = async (): Promise<DynamoDBRecord[]> => {
  await poller.drain();
  return delivered.splice(0);
};

const imageOf = (record: DynamoDBRecord) =>
  unmarshall((record.dynamodb?.NewImage ?? record.dynamodb?.OldImage ?? {}) as never) as {
    entity?: string;
    number?: number;
    version?: number;
  };

const ticketRecord = (records: DynamoDBRecord[], number: number, version: number) => {
  const record = records.find((candidate) => {
    const image = imageOf(candidate);
    return image.entity === 'ticket' && image.number === number && image.version === version;
  });
  if (!record) throw new Error(`no stream record of ticket #${number} v${version}`);
  return record;
};

const createTicket = async (): Promise<Ticket> =>
  (await env.store.createTicket(ticketDraft('2026-11-20T14:00:00.000Z'))).ticket;

/** A new ticket whose workflow is parked on its first version (its creation already streamed). */
const parkedTicket = async (token: string): Promise<Ticket> => {
  const ticket = await createTicket();
  expect(
    await workflows.park({
      ticketNumber: ticket.number,
      token,
      version: ticket.version,
      phase: 'working',
      parkedAt: '2026-11-20T14:00:00.000Z',
      execution: 'arn:execution',
    }),
  ).toBe(true);
  await streamRecords();
  return ticket;
};

/** An agent's first public reply: the status moves to open and a first-response fact is added. */
const reply = (number: number) =>
  env.store.mutateTicket(number, (current) =>
    comment(current, sam, { body: 'Looking into it.', public: true }, new Date('2026-11-20T14:05:00Z')),
  );

const wakes = () => sfn.commandCalls(SendTaskSuccessCommand).map((call) => call.args[0].input);

describe('Function: processChanges', () => {
  it('starts the workflow of a new ticket, named after it, and ignores every other item', async () => {
    const ticket = await createTicket();
    const records = await streamRecords();
    // The creation also writes its timeline event and the ticket counter: those are not tickets.
    expect(records.map((record) => imageOf(record).entity)).toEqual(
      expect.arrayContaining(['ticket', 'event']),
    );

    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });

    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input)).toEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        name: `ticket-${ticket.number}-g0`,
        input: JSON.stringify({ ticketNumber: ticket.number, generation: 0 }),
      },
    ]);
    expect(wakes()).toEqual([]);
  });

  it('treats ExecutionAlreadyExists as started: a redelivered INSERT is not a failure', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejects(new ExecutionAlreadyExists({ message: 'Execution already exists', $metadata: {} }));
    await createTicket();

    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('wakes a workflow parked on an older version with the token and the reasons', async () => {
    const ticket = await parkedTicket('token-v1');
    await reply(ticket.number);

    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });

    expect(wakes()).toEqual([
      { taskToken: 'token-v1', output: JSON.stringify({ reasons: ['status', 'agent_reply'] }) },
    ]);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('does not wake a workflow that already decided from the same or a newer version', async () => {
    const ticket = await createTicket();
    await reply(ticket.number);
    const { ticket: latest } = await env.store.mutateTicket(ticket.number, (current) => ({
      ticket: { ...current, priority: 'P2' },
      events: [],
    }));
    await workflows.park({
      ticketNumber: ticket.number,
      token: 'token-latest',
      version: latest.version,
      phase: 'working',
      parkedAt: '2026-11-20T14:05:00.000Z',
      execution: 'arn:execution',
    });
    const records = await streamRecords();
    // Both changes are still in the stream when the workflow parks on the second.
    ticketRecord(records, ticket.number, latest.version - 1);
    ticketRecord(records, ticket.number, latest.version);

    expect(await handle({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(wakes()).toEqual([]);
  });

  it('ignores changes the workflow does not watch, and tickets with no parked workflow', async () => {
    const parked = await parkedTicket('token-unwatched');
    await env.store.mutateTicket(parked.number, (current) => ({
      ticket: { ...current, subject: 'Printer offline on the 3rd floor', tags: ['printer'] },
      events: [],
    }));
    const unparked = await createTicket();
    await streamRecords();
    await reply(unparked.number);

    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(wakes()).toEqual([]);
  });

  it('wakes a triaged ticket’s workflow only for a change that moves its phase or a clock event forward', async () => {
    const ticket = await createTicket();
    // Triage pins the policy: the workflow's own write, which wakes nothing.
    const { ticket: triaged } = await env.store.mutateTicket(ticket.number, (current) => ({
      ticket: { ...current, clocks: { ...current.clocks, policy: DEMO_STANDARD_POLICY } },
      events: [],
    }));
    expect(
      await workflows.park({
        ticketNumber: ticket.number,
        token: 'token-triaged',
        version: triaged.version,
        phase: 'working',
        parkedAt: '2026-11-20T14:00:00.000Z',
        execution: 'arn:execution',
      }),
    ).toBe(true);
    // An internal note and an assignee move no clock event: the workflow sleeps on.
    await env.store.mutateTicket(ticket.number, (current) =>
      comment(
        current,
        sam,
        { body: 'Checked the spooler.', public: false },
        new Date('2026-11-20T14:02:00Z'),
      ),
    );
    await env.store.mutateTicket(ticket.number, (current) => ({
      ticket: { ...current, assignee: 'sam@example.com' },
      events: [],
    }));
    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(wakes()).toEqual([]);

    // A resolution moves the phase: woken.
    await env.store.mutateTicket(ticket.number, (current) =>
      resolve(current, sam, { resolution: 'Restarted the spooler.' }, new Date('2026-11-20T14:05:00Z')),
    );
    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(wakes()).toEqual([
      { taskToken: 'token-triaged', output: JSON.stringify({ reasons: ['status'] }) },
    ]);
  });

  it.each([
    ['TaskTimedOut', TaskTimedOut],
    ['TaskDoesNotExist', TaskDoesNotExist],
    ['InvalidToken', InvalidToken],
  ])('takes a stale token (%s) as done: no failure, no retry', async (_name, StaleToken) => {
    sfn.on(SendTaskSuccessCommand).rejects(new StaleToken({ message: 'stale', $metadata: {} }));
    const ticket = await parkedTicket('token-stale');
    await reply(ticket.number);

    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(wakes()).toHaveLength(1);
  });

  it('reports a throttled wake and processes nothing after it, so a ticket’s changes stay in order', async () => {
    const first = await parkedTicket('token-first');
    const second = await parkedTicket('token-second');
    await reply(first.number);
    await reply(second.number);
    const records = await streamRecords();
    const failing = ticketRecord(records, first.number, first.version + 1);
    sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(
        new SFNServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          message: 'Rate exceeded',
          $metadata: {},
        }),
      )
      .resolves({});

    expect(await handle({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber }],
    });
    expect(wakes().map((wake) => wake.taskToken)).toEqual(['token-first']);

    // The event source mapping redelivers from the failed record: both wakes go out, in order.
    const retried = records.slice(records.indexOf(failing));
    expect(await handle({ Records: retried })).toEqual({ batchItemFailures: [] });
    expect(wakes().map((wake) => wake.taskToken)).toEqual(['token-first', 'token-first', 'token-second']);
  });

  it('reports a throttled start, so the new ticket is started on redelivery', async () => {
    sfn
      .on(StartExecutionCommand)
      .rejectsOnce(
        new SFNServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          message: 'Rate exceeded',
          $metadata: {},
        }),
      )
      .resolves({ executionArn: 'arn:execution', startDate: new Date() });
    const ticket = await createTicket();
    const records = await streamRecords();
    const insert = ticketRecord(records, ticket.number, ticket.version);

    expect(await handle({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: insert.dynamodb?.SequenceNumber }],
    });
    expect(await handle({ Records: records.slice(records.indexOf(insert)) })).toEqual({
      batchItemFailures: [],
    });
    expect(sfn.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name)).toEqual([
      `ticket-${ticket.number}-g0`,
      `ticket-${ticket.number}-g0`,
    ]);
  });
});

describe('Function: processChanges, knowledge-base articles', () => {
  const rebuildIndex = vi.fn(async () => ({ articles: 0, saved: true }));
  let articles: DynamoArticleStore;
  let withKb: ReturnType<typeof processChanges>;
  beforeAll(() => {
    articles = new DynamoArticleStore(env.db, env.tableName);
    withKb = processChanges({
      signals: new SfnWorkflowSignals(
        new SFNClient({
          region: 'eu-central-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
        STATE_MACHINE_ARN,
      ),
      workflows,
      kb: { rebuildIndex },
    });
  });
  beforeEach(() => {
    rebuildIndex.mockReset();
    rebuildIndex.mockResolvedValue({ articles: 0, saved: true });
  });

  let count = 0;
  const writeArticle = async (): Promise<Article> => {
    const article = createArticle(
      `kb-stream-${++count}`,
      {
        title: 'Printer offline',
        body: 'Turn it off and on.',
        tags: ['printer'],
        category: 'hardware/printer',
        audience: 'public',
        status: 'draft',
        linkedTickets: [],
      },
      'sup@example.com',
      '2026-11-20T14:00:00.000Z',
    );
    expect(await articles.createArticle(article)).toBe(true);
    return article;
  };
  const publish = async (article: Article) => {
    const revised = reviseArticle(
      article,
      { status: 'published' },
      'sup@example.com',
      '2026-11-20T15:00:00.000Z',
    );
    if (!revised) throw new Error('unreachable');
    await articles.updateArticle(article, revised.article, revised.revision);
    return revised.article;
  };

  it('rebuilds the index once for a batch that writes, changes and deletes several articles', async () => {
    const first = await writeArticle();
    const second = await writeArticle();
    await articles.deleteArticle(await publish(first));
    await publish(second);
    await createTicket();
    const records = await streamRecords();
    expect(records.filter((record) => imageOf(record).entity === 'article').length).toBeGreaterThanOrEqual(5);

    expect(await withKb({ Records: records })).toEqual({ batchItemFailures: [] });
    expect(rebuildIndex).toHaveBeenCalledTimes(1);
    // The tickets of the batch are handled as ever.
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });

  it('does not rebuild for a ticket linked to an article, nor for a batch without articles', async () => {
    const article = await writeArticle();
    await streamRecords();
    await articles.linkTicket(article.id, 42);
    await articles.recordDeflection(article.id, {
      selfServed: false,
      once: { day: '2026-11-20', who: 'ida@example.com' },
    });
    const linked = await streamRecords();
    expect(linked.some((record) => imageOf(record).entity === 'article')).toBe(true);

    expect(await withKb({ Records: linked })).toEqual({ batchItemFailures: [] });
    await createTicket();
    expect(await withKb({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(rebuildIndex).not.toHaveBeenCalled();
  });

  it('reports the first article record when the rebuild fails, so the batch is redelivered from it', async () => {
    await createTicket();
    const article = await writeArticle();
    await publish(article);
    const records = await streamRecords();
    const firstArticle = records.find((record) => imageOf(record).entity === 'article');
    rebuildIndex.mockRejectedValueOnce(new Error('S3 is down'));

    expect(await withKb({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: firstArticle?.dynamodb?.SequenceNumber }],
    });
    expect(await withKb({ Records: records.slice(records.indexOf(firstArticle as DynamoDBRecord)) })).toEqual(
      {
        batchItemFailures: [],
      },
    );
    expect(rebuildIndex).toHaveBeenCalledTimes(2);
  });

  it('rebuilds for the articles before a failed ticket record, and reports the ticket record', async () => {
    const article = await writeArticle();
    const ticket = await createTicket();
    await publish(article);
    const records = await streamRecords();
    const insert = ticketRecord(records, ticket.number, ticket.version);
    sfn.on(StartExecutionCommand).rejects(
      new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: {},
      }),
    );

    expect(await withKb({ Records: records })).toEqual({
      batchItemFailures: [{ itemIdentifier: insert.dynamodb?.SequenceNumber }],
    });
    expect(rebuildIndex).toHaveBeenCalledTimes(1);
  });

  it('handles ticket records as ever where no KB bucket is configured', async () => {
    await writeArticle();
    await createTicket();
    expect(await handle({ Records: await streamRecords() })).toEqual({ batchItemFailures: [] });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
  });
});
