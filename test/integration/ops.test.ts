import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { seedDemoConfig } from '#infra/local/seed';
import { fixedClock } from '#shared/domain/clock';
import { clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import { initialClocks } from '#shared/domain/lifecycle';
import { principalFromGroups } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import {
  DynamoDeadLetterStore,
  DynamoIncidentStore,
  DynamoJobStore,
  DynamoParkingRecords,
  ticketsOfStreamKeys,
} from '#shared/ops/adapters/dynamodb';
import { DynamoStreamReader } from '#shared/ops/adapters/dynamodb-streams';
import { type RecorderDeps, recordStatusChange } from '#shared/ops/incidents';
import type { JobProgress } from '#shared/ops/jobs';
import type { OpsDeps } from '#shared/ops/operations';
import {
  jobStatus,
  listExecutions,
  requestJob,
  restartExecution,
  runJob,
  runQueuedJobs,
} from '#shared/ops/ops-service';
import { reconcile } from '#shared/ops/reconcile';
import { recordStreamDeadLetter, type StreamDeadLetterDeps } from '#shared/ops/stream-dead-letters';
import type { ExecutionDetail, WorkflowControl } from '#shared/ops/workflow-control';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { executionName } from '#shared/workflow/wake';
import { triage, type WorkflowDeps } from '#shared/workflow/workflow-service';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

/**
 * The ops use cases on DynamoDB Local: the incident recorder, the job lifecycle, the
 * reconciliation's lost-wake rule and dead letters, and the stream dead-letter consumer reading
 * DynamoDB Local's stream. Step Functions is the one port played in memory here (`executions`):
 * the e2e tests run the same use cases against the local engine.
 */

// Monday 23 November 2026, 09:00 in Berlin (the demo business calendar: Mon–Fri 09:00–17:00).
const MONDAY = '2026-11-23T08:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const STATE_MACHINE = 'arn:aws:states:local:000000000000:stateMachine:tierdesk-ticket-lifecycle';
const olu = principalFromGroups('olu@example.com', ['ops']);

const clock = fixedClock(MONDAY);
let env: Awaited<ReturnType<typeof freshTable>>;
let deps: OpsDeps & RecorderDeps;
let workflows: DynamoWorkflowStore;
let workflowDeps: WorkflowDeps;
const launched: string[] = [];
const woken: string[] = [];

/** Step Functions as the ops use cases see it: executions by name, in memory. */
const executions = new Map<string, ExecutionDetail>();
const arnOf = (name: string) => `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
const control: WorkflowControl = {
  arnOf,
  describe: async (arn) => executions.get(arn),
  lastState: async () => 'AwaitAgent',
  list: async (status) => ({ executions: [...executions.values()].filter((e) => e.status === status) }),
  redrive: async () => ({ redriven: false, reason: 'not in these tests' }),
  start: async (ticketNumber, generation) => {
    const name = executionName(ticketNumber, generation);
    if (executions.has(arnOf(name))) return 'exists';
    executions.set(arnOf(name), {
      name,
      arn: arnOf(name),
      status: 'RUNNING',
      startedAt: clock.now(),
      redriveCount: 0,
    });
    return 'started';
  },
  stop: async (arn) => {
    const execution = executions.get(arn);
    if (execution) execution.status = 'ABORTED';
  },
  wake: async (token) => {
    woken.push(token);
    return true;
  },
};

beforeAll(async () => {
  env = await freshTable(clock);
  await seedDemoConfig(env.admin);
  workflows = new DynamoWorkflowStore(env.db, env.tableName);
  deps = {
    tickets: env.store,
    parking: new DynamoParkingRecords(env.db, env.tableName),
    incidents: new DynamoIncidentStore(env.db, env.tableName),
    control,
    jobs: new DynamoJobStore(env.db, env.tableName),
    launcher: { launch: async (id) => void launched.push(id) },
    deadLetters: new DynamoDeadLetterStore(env.db, env.tableName),
    clock,
    stateMachineArn: STATE_MACHINE,
  };
  workflowDeps = {
    store: env.store,
    clock,
    config: env.config,
    workflows,
    wake: async () => true,
    assignment: async () => undefined,
  };
});
afterAll(() => env.drop());

/** An open ticket, triaged (its policy pinned), whose workflow runs and is parked now. */
const runningTicket = async (tier: Tier = 1): Promise<number> => {
  const now = clock.now().toISOString();
  const { ticket } = await env.store.createTicket(
    ticketDraft(now, {
      priority: 'P3',
      tier,
      group: `tier${tier}`,
      clocks: initialClocks({ createdAt: now, priority: 'P3', tier, status: 'new' }),
    }),
  );
  await triage(workflowDeps, {
    ticketNumber: ticket.number,
    generation: 0,
    state: 'Triage',
    execution: arnOf('x'),
  });
  await control.start(ticket.number, 0);
  const current = await env.store.getTicket(ticket.number);
  await workflows.park({
    ticketNumber: ticket.number,
    token: `token-${ticket.number}`,
    version: current?.version ?? 1,
    phase: 'working',
    parkedAt: now,
    execution: arnOf(executionName(ticket.number, 0)),
  });
  return ticket.number;
};

const statusChange = (number: number, status: string, stateMachineArn = STATE_MACHINE) => ({
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  detail: {
    executionArn: arnOf(executionName(number, 0)),
    stateMachineArn,
    name: executionName(number, 0),
    status,
    startDate: Date.parse(MONDAY),
    stopDate: clock.now().getTime(),
    error: 'States.TaskFailed',
    cause: 'Park failed',
  },
});

const itemCount = async () =>
  (await env.client.send(new ScanCommand({ TableName: env.tableName, Select: 'COUNT' }))).Count;

describe('Use case: the incident recorder', () => {
  it('lists a FAILED execution under FAILED and under its tier, and not under another tier', async () => {
    // Prepare
    const number = await runningTicket(2);

    // Act
    const outcome = await recordStatusChange(deps, statusChange(number, 'FAILED'));

    // Assess
    expect(outcome).toBe('recorded');
    const listed = await listExecutions(deps, olu, { status: 'FAILED', limit: 100 });
    expect(listed.items.find((item) => item.ticket === number)).toMatchObject({
      tier: 2,
      status: 'FAILED',
      execution: executionName(number, 0),
      error: 'States.TaskFailed',
      cause: 'Park failed',
      failedState: 'AwaitAgent',
    });
    const tier2 = await listExecutions(deps, olu, { status: 'FAILED', tier: 2, limit: 100 });
    expect(tier2.items.map((item) => item.ticket)).toContain(number);
    const tier1 = await listExecutions(deps, olu, { status: 'FAILED', tier: 1, limit: 100 });
    expect(tier1.items.map((item) => item.ticket)).not.toContain(number);
  });

  it('writes nothing new when the same event is delivered a second time', async () => {
    // Prepare
    const number = await runningTicket();
    const event = statusChange(number, 'TIMED_OUT');
    await recordStatusChange(deps, event);
    const before = await itemCount();

    // Act
    const again = await recordStatusChange(deps, event);

    // Assess
    expect(again).toBe('recorded');
    expect(await itemCount()).toBe(before);
    expect(await deps.incidents.ofTicket(number)).toHaveLength(1);
    const listed = await deps.incidents.open('TIMED_OUT', 1, { limit: 100 });
    expect(listed.items.filter((incident) => incident.ticketNumber === number)).toHaveLength(1);
  });

  it("ignores a closed ticket's event, another state machine's, and a status that is no incident", async () => {
    // Prepare
    const closed = await runningTicket();
    await env.store.mutateTicket(closed, (current) => ({
      ticket: { ...current, status: 'closed' },
      events: [],
    }));
    const open = await runningTicket();
    const before = await itemCount();

    // Act
    const outcomes = [
      await recordStatusChange(deps, statusChange(closed, 'FAILED')),
      await recordStatusChange(deps, statusChange(open, 'FAILED', `${STATE_MACHINE}-other`)),
      await recordStatusChange(deps, statusChange(open, 'SUCCEEDED')),
    ];

    // Assess
    expect(outcomes).toEqual(['ignored', 'ignored', 'ignored']);
    expect(await itemCount()).toBe(before);
    expect(await deps.incidents.ofTicket(closed)).toEqual([]);
  });
});

describe('Use case: ops jobs', () => {
  it('takes a reconciliation from queued through running to succeeded, with its progress and result', async () => {
    // Prepare
    const job = await requestJob(deps, olu, 'reconcile', {});
    const seenWhileRunning: { status: string; progress: JobProgress }[] = [];
    const jobs = deps.jobs;
    const watched: OpsDeps = {
      ...deps,
      jobs: {
        ...jobs,
        create: (j) => jobs.create(j),
        get: (id) => jobs.get(id),
        claim: (id, at) => jobs.claim(id, at),
        finish: (id, outcome) => jobs.finish(id, outcome),
        queued: (limit) => jobs.queued(limit),
        progress: async (id, progress) => {
          await jobs.progress(id, progress);
          const current = await jobs.get(id);
          seenWhileRunning.push({
            status: current?.status ?? 'gone',
            progress: current?.progress ?? progress,
          });
        },
      },
    };
    expect(job).toMatchObject({ status: 'queued', kind: 'reconcile', requestedBy: olu.id });
    expect(launched).toContain(job.id);
    expect(await jobs.queued(100)).toContain(job.id);

    // Act: the minute schedule's run
    const ran = await runQueuedJobs(watched);

    // Assess
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(seenWhileRunning.length).toBeGreaterThan(0);
    expect(seenWhileRunning.every((seen) => seen.status === 'running')).toBe(true);
    expect(seenWhileRunning.map((seen) => seen.progress.phase)).toContain('checking the Tier 1 queue');
    const done = await jobStatus(deps, olu, job.id);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: expect.objectContaining({ done: expect.any(Number) }),
    });
    expect(done.startedAt).toBeDefined();
    expect(done.finishedAt).toBeDefined();
    expect(done.result).toMatchObject({ repairs: expect.any(Number), found: expect.any(Object) });
    expect(await jobs.queued(100)).not.toContain(job.id);

    // Act: a second runner that got the same id does nothing
    await runJob(deps, job.id);
    // Assess
    expect((await jobStatus(deps, olu, job.id)).finishedAt).toBe(done.finishedAt);
  });
});

describe('Use case: the reconciliation', () => {
  it('finds a workflow parked before its next clock event once that event is more than 5 minutes overdue, and wakes it', async () => {
    // Prepare: triaged and parked at 09:00; its next clock event as the workflow would compute it
    clock.set(new Date(MONDAY));
    const number = await runningTicket();
    const ticket = await env.store.getTicket(number);
    const clocks =
      ticket?.clocks ?? initialClocks({ createdAt: MONDAY, priority: 'P3', tier: 1, status: 'new' });
    const { policy } = clocks;
    const next = policy && evaluateClocks({ ...clockInputOf(clocks), policy, now: clock.now() }).next?.at;
    expect(next).toBeDefined();

    // Act: 4 minutes past the event, the workflow may still be waking on its own
    clock.set(new Date(Date.parse(next as string) + 4 * MINUTE));
    const early = await reconcile(deps, 'test');
    // Act: 6 minutes past
    clock.set(new Date(Date.parse(next as string) + 6 * MINUTE));
    const late = await reconcile(deps, 'test');

    // Assess
    expect(early.found.lostWakes).not.toContain(number);
    expect(late.found.lostWakes).toContain(number);
    expect(late.repaired.woken).toContain(number);
    expect(woken).toContain(`token-${number}`);
  });

  it('repairs the tickets a dead letter names, then removes it; an unrecoverable one is reported and removed after a full walk only', async () => {
    // Prepare: a running ticket (woken: the workflow may not have heard of the lost change) and
    // one whose workflow stopped (restarted)
    clock.set(new Date(MONDAY));
    const parked = await runningTicket();
    const stopped = await runningTicket();
    await control.stop(arnOf(executionName(stopped, 0)), 'by hand');
    await deps.deadLetters.add({ id: 'batch-1', at: MONDAY, tickets: [parked, stopped], detail: {} });
    await deps.deadLetters.add({
      id: 'batch-2',
      at: MONDAY,
      tickets: [],
      unrecoverable: 'past 24 hours',
      detail: {},
    });

    // Act: one tier only, then every tier
    const oneTier = await reconcile(deps, 'test', { tier: 3 });
    const full = await reconcile(deps, 'test');

    // Assess
    expect(oneTier.found.deadLettered).toEqual(expect.arrayContaining([parked, stopped]));
    expect(oneTier.repaired.woken).toContain(parked);
    expect(oneTier.repaired.restarted).toContain(stopped);
    expect(oneTier.found.unrecoverable).toEqual(['batch-2']);
    expect(full.found.unrecoverable).toEqual(['batch-2']);
    expect(full.found.deadLettered).toEqual([]);
    expect(await deps.deadLetters.list(100)).toEqual([]);
    await expect(control.describe(arnOf(executionName(stopped, 1)))).resolves.toMatchObject({
      status: 'RUNNING',
    });
  });
});

describe('Use case: the stream dead-letter consumer (DynamoDB Local streams)', () => {
  const streams = () => new DynamoDBStreamsClient(localClientConfig(env.endpoint));

  /** Where the records of `number`'s ticket are in the table's stream: the batch a DLQ message names. */
  const rangeOf = async (number: number) => {
    const client = streams();
    const { Table } = await env.client.send(new DescribeTableCommand({ TableName: env.tableName }));
    const streamArn = Table?.LatestStreamArn as string;
    const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      let { ShardIterator: iterator } = await client.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const sequences: string[] = [];
      for (let page = 0; iterator && page < 50; page++) {
        const { Records = [], NextShardIterator } = await client.send(
          new GetRecordsCommand({ ShardIterator: iterator }),
        );
        for (const record of Records)
          if (ticketsOfStreamKeys([unmarshall(record.dynamodb?.Keys as never)]).includes(number))
            sequences.push(record.dynamodb?.SequenceNumber as string);
        if (Records.length === 0) break;
        iterator = NextShardIterator;
      }
      if (sequences.length > 0) {
        client.destroy();
        return {
          streamArn,
          shardId: shard.ShardId as string,
          start: sequences[0] as string,
          end: sequences.at(-1) as string,
        };
      }
    }
    client.destroy();
    throw new Error(`no stream records of #${number}`);
  };

  const message = (
    batch: { streamArn: string; shardId: string; start: string; end: string },
    firstArrival: string,
  ) => ({
    messageId: 'm-1',
    body: JSON.stringify({
      requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 6 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      version: '1.0',
      timestamp: firstArrival,
      DDBStreamBatchInfo: {
        shardId: batch.shardId,
        startSequenceNumber: batch.start,
        endSequenceNumber: batch.end,
        approximateArrivalOfFirstRecord: firstArrival,
        approximateArrivalOfLastRecord: firstArrival,
        batchSize: 2,
        streamArn: batch.streamArn,
      },
    }),
  });

  let consumer: StreamDeadLetterDeps;
  beforeAll(() => {
    consumer = {
      deadLetters: deps.deadLetters,
      reader: new DynamoStreamReader(streams()),
      clock,
      ticketsOf: ticketsOfStreamKeys,
    };
  });

  it('reads the batch again from the stream and records the tickets it names, once however often it is delivered', async () => {
    // Prepare
    clock.set(new Date());
    const number = await runningTicket();
    const batch = await rangeOf(number);
    const sent = message(batch, clock.now().toISOString());

    // Act
    const first = await recordStreamDeadLetter(consumer, sent);
    const second = await recordStreamDeadLetter(consumer, sent);

    // Assess
    expect([first, second]).toEqual(['recorded', 'recorded']);
    const recorded = (await deps.deadLetters.list(100)).filter(
      (entry) => entry.id === `${batch.shardId}/${batch.start}`,
    );
    expect(recorded).toEqual([
      expect.objectContaining({
        tickets: [number],
        detail: expect.objectContaining({ shardId: batch.shardId }),
      }),
    ]);
    expect(recorded[0]?.unrecoverable).toBeUndefined();
    await deps.deadLetters.remove(recorded[0] as never);
  });

  it('records a batch past the 24-hour retention, a shard that is gone and a message that is no batch as unrecoverable', async () => {
    // Prepare
    clock.set(new Date());
    const number = await runningTicket();
    const batch = await rangeOf(number);
    const dayOld = new Date(clock.now().getTime() - 25 * HOUR).toISOString();

    // Act
    const outcomes = [
      await recordStreamDeadLetter(consumer, message(batch, dayOld)),
      await recordStreamDeadLetter(
        consumer,
        message({ ...batch, shardId: 'shardId-00000000000000000000-gone0000' }, clock.now().toISOString()),
      ),
      await recordStreamDeadLetter(consumer, { messageId: 'm-2', body: 'not json' }),
    ];

    // Assess
    expect(outcomes).toEqual(['unrecoverable', 'unrecoverable', 'unrecoverable']);
    const entries = await deps.deadLetters.list(100);
    const recorded = entries.map((entry) => ({ tickets: entry.tickets, unrecoverable: entry.unrecoverable }));
    expect(recorded).toHaveLength(3);
    expect(recorded).toEqual(
      expect.arrayContaining([
        { tickets: [], unrecoverable: expect.stringContaining('24-hour') },
        { tickets: [], unrecoverable: expect.stringContaining('shard') },
        { tickets: [], unrecoverable: expect.stringContaining('not a DynamoDB stream batch') },
      ]),
    );
  });
});

describe('Use case: operator actions are audited before they are taken', () => {
  const operator = principalFromGroups('otto.ops@example.com', ['ops']);

  it('takes no action when its audit record cannot be written, and records a failed action', async () => {
    const number = await runningTicket();
    await control.stop(arnOf(executionName(number, 0)), 'by hand');
    const started: number[] = [];
    const failingTickets = {
      ...env.store,
      getTicket: env.store.getTicket.bind(env.store),
      mutateTicket: async () => {
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      },
    };
    const counting: WorkflowControl = {
      ...control,
      start: async (ticketNumber, generation) => {
        started.push(ticketNumber);
        return control.start(ticketNumber, generation);
      },
    };

    // Act: the audit write fails first — nothing is started
    await expect(
      restartExecution({ ...deps, tickets: failingTickets as never, control: counting }, operator, number),
    ).rejects.toThrow('throttled');
    expect(started).toEqual([]);

    // Act: Step Functions refuses — the request and its failure are both on the timeline
    const refusing: WorkflowControl = {
      ...control,
      start: async () => {
        throw Object.assign(new Error('busy'), { name: 'ThrottlingException' });
      },
    };
    await expect(restartExecution({ ...deps, control: refusing }, operator, number)).rejects.toThrow('busy');
    const audit = (await env.store.timeline(number, { limit: 100, includeInternal: true })).items.filter(
      (event) => event.type === 'operator_action',
    );
    expect(audit.map((event) => event.data)).toEqual([
      expect.objectContaining({ action: 'restart', by: operator.id, execution: executionName(number, 1) }),
      expect.objectContaining({ action: 'restart', outcome: 'failed', error: 'ThrottlingException' }),
    ]);

    // Act: a retry that works
    await restartExecution(deps, operator, number);
    expect((await control.describe(arnOf(executionName(number, 1))))?.status).toBe('RUNNING');
  });
});
