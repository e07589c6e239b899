import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalClock } from '#infra/local/clock';
import { freePort } from '#infra/local/ports';
import { LocalStepFunctions, startStepFunctionsServer } from '#infra/local/step-functions';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '#shared/runtime/sfn';
import type { Decision } from '#shared/workflow/decision';
import { MAX_LOOPS_PER_EXECUTION, workflowDefinitionString } from '#shared/workflow/definition';

/**
 * The local Step Functions engine running the real definition, driven through the real SDK
 * client: callback tokens, timeouts on the controllable clock, idempotent starts, history.
 * The task functions here are scripted (the workflow's own are tested against DynamoDB Local).
 */

const clock = new LocalClock();
/** What the scripted functions see and decide from, per ticket. */
const tickets = new Map<
  number,
  { phase: Decision['phase']; action: Decision['action']; waitSeconds: number; loops?: number }
>();
const parkedTokens = new Map<number, string>();
const YEAR = 365 * 24 * 3600;
const calls: string[] = [];

const decision = (request: { ticketNumber: number; generation: number; loops?: number }): Decision => {
  const state = tickets.get(request.ticketNumber) ?? { phase: 'working', action: 'none', waitSeconds: YEAR };
  // A loop count is reported once: the execution that sees it hands over, its successor starts afresh.
  if (state.loops !== undefined) tickets.set(request.ticketNumber, { ...state, loops: undefined });
  return {
    ticketNumber: request.ticketNumber,
    generation: request.generation,
    version: 1,
    ...state,
    loops: state.loops ?? (request.loops ?? 0) + 1,
    ...(state.action !== 'none' && {
      due: { key: 'k', kind: 'reopen_window_end', at: clock.now().toISOString() },
    }),
  };
};

const engine = new LocalStepFunctions({
  definition: workflowDefinitionString(),
  stateMachineName: 'test-lifecycle',
  clock,
  functions: {
    TriageFunctionArn: async (payload) => {
      calls.push('triage');
      return decision(payload as never);
    },
    EvaluateFunctionArn: async (payload) => {
      calls.push('evaluate');
      return decision(payload as never);
    },
    ApplyFunctionArn: async (payload) => {
      const request = payload as { ticketNumber: number; state: string };
      calls.push(`apply:${request.state}`);
      tickets.set(request.ticketNumber, { phase: 'closed', action: 'none', waitSeconds: 1 });
      return decision(payload as never);
    },
    ParkFunctionArn: async (payload) => {
      const request = payload as { ticketNumber: number; token: string; phase: string };
      calls.push(`park:${request.phase}`);
      parkedTokens.set(request.ticketNumber, request.token);
      return { parked: true };
    },
  },
});

let server: Server;
let sfn: SFNClient;
beforeAll(async () => {
  const port = await freePort();
  server = await startStepFunctionsServer(engine, port);
  sfn = new SFNClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  await engine.close();
  sfn.destroy();
  await new Promise((done) => server.close(done));
});

const start = (ticketNumber: number) =>
  sfn.send(
    new StartExecutionCommand({
      stateMachineArn: engine.stateMachineArn,
      name: `ticket-${ticketNumber}-g0`,
      input: JSON.stringify({ ticketNumber, generation: 0 }),
    }),
  );

const history = async (executionArn: string) =>
  (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];

describe('Class: LocalStepFunctions', () => {
  it('starts idempotently by name, and refuses the name with another input', async () => {
    const first = await start(1);
    const again = await start(1);
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: engine.stateMachineArn,
          name: 'ticket-1-g0',
          input: '{"ticketNumber":2}',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await engine.idle();
    expect(calls).toEqual(['triage', 'park:working']);
  });

  it('wakes a parked execution through SendTaskSuccess; the used token is then stale', async () => {
    const { executionArn = '' } = await start(2);
    await engine.idle();
    const token = parkedTokens.get(2) as string;
    calls.length = 0;
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"reasons":["status"]}' }));
    await engine.idle();
    expect(calls).toEqual(['evaluate', 'park:working']);
    expect(parkedTokens.get(2)).not.toBe(token);
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('RUNNING');
    expect(described.startDate).toBeInstanceOf(Date);
  });

  it('times a callback out on the local clock, not on wall time, and records it in the history', async () => {
    tickets.set(3, { phase: 'working', action: 'none', waitSeconds: 7200 });
    const { executionArn = '' } = await start(3);
    await engine.idle();
    calls.length = 0;
    expect(await engine.fireDueTimers()).toBe(0);

    tickets.set(3, { phase: 'working', action: 'close', waitSeconds: 1 });
    clock.advance(7200 * 1000);
    expect(await engine.fireDueTimers()).toBe(1);
    await engine.idle();

    // A timeout goes straight to the state that applies clock events (it re-reads the ticket).
    expect(calls).toEqual(['apply:ApplyClockEvent']);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.status).toBe('SUCCEEDED');
    const events = await history(executionArn);
    expect(events.map((event) => event.type)).toContain('TaskTimedOut');
    expect(events.flatMap((event) => event.stateEnteredEventDetails?.name ?? [])).toEqual([
      'Triage', // a new ticket waits for an agent: no Route in between
      'AwaitAgent',
      'ApplyClockEvent',
      'Route',
      'Closed',
    ]);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('continues as new before the history limit, under the next generation name', async () => {
    const { executionArn = '' } = await start(4);
    await engine.idle();
    // The next decision reports the execution at its loop limit: Route hands the ticket over.
    tickets.set(4, { phase: 'working', action: 'none', waitSeconds: 3600, loops: MAX_LOOPS_PER_EXECUTION });
    engine.sendTaskSuccess(parkedTokens.get(4) as string, '{}');
    await engine.idle();

    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
    const next = engine
      .listExecutions({ statusFilter: 'RUNNING' })
      .executions.find((e) => e.name === 'ticket-4-g1');
    expect(next).toBeDefined();
    const input = JSON.parse(engine.describeExecution(next?.executionArn as string).input);
    expect(input).toEqual({ ticketNumber: 4, generation: 1 });
  });
});
