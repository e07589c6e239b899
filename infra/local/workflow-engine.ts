import type { Server } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { DynamoDeadLetterStore, ticketsOfStreamKeys } from '#shared/ops/adapters/dynamodb';
import { documentClient } from '#shared/store/client';
import { WORKFLOW_FUNCTIONS, workflowDefinitionString } from '#shared/workflow/definition';
import { type GatewayResponse, localJson } from './api-gateway.ts';
import { LocalClock, parseDuration } from './clock.ts';
import { localClientConfig } from './dynamodb-local.ts';
import { loadHandler, localFunction } from './lambda.ts';
import { LocalStepFunctions, startStepFunctionsServer } from './step-functions.ts';
import { type StreamPoller, type StreamStart, startStreamPoller } from './stream-poller.ts';

/**
 * The workflow half of the local stack: the state machine definition on the local Step Functions
 * engine, the DynamoDB stream feeding the real stream processor, and the controllable clock that
 * both (and every handler) read. `settle()` is "everything that the last change set in motion
 * has happened": the stream is drained and every execution is parked or finished.
 */

const LOCAL_STATE_MACHINE_NAME = 'tierdesk-ticket-lifecycle';
const STREAM_PROCESSOR_ENTRY = 'functions/stream/process-ticket-changes.ts';
/** The ops task function: EventBridge's status-change events reach it on AWS, the engine's here. */
const OPS_TASKS_ENTRY = 'functions/ops/ops-tasks.ts';
const TASK_TIMEOUT_MS = 30_000;
/** In real-time mode, how often the engine looks for callback timeouts that wall time has reached. */
const TICK_MS = 1_000;

export interface WorkflowEngine {
  clock: LocalClock;
  stepFunctions: LocalStepFunctions;
  sfnEndpoint: string;
  /** `GET|POST /_local/clock` and `GET|POST /_local/faults` for the local API server. */
  localRoutes: Record<string, (body: Buffer) => Promise<GatewayResponse>>;
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The local Step Functions endpoint's port: fixed, so the AWS CLI pointed at it
 * (`--endpoint-url`) keeps working across restarts.
 */
export const DEFAULT_SFN_PORT = 8083;

/** Env for the functions, set before any handler module loads (their clients read it once). */
export const workflowEnvironment = (sfnPort: number) => ({
  AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${sfnPort}`,
  WORKFLOW_ARN: `arn:aws:states:local:000000000000:stateMachine:${LOCAL_STATE_MACHINE_NAME}`,
});

export const startWorkflowEngine = async (options: {
  sfnPort: number;
  dynamoEndpoint: string;
  tableName: string;
  onError: (error: unknown, where: string) => void;
  /** Start the controllable clock standing at this instant (demos and tests of a given week). */
  clockStart?: Date;
  /** Where the stream processor starts reading the table's stream (default: its oldest record). */
  streamFrom?: StreamStart;
}): Promise<WorkflowEngine> => {
  const clock = new LocalClock(options.clockStart);
  const functions = Object.fromEntries(
    await Promise.all(
      Object.entries(WORKFLOW_FUNCTIONS).map(async ([variable, entry]) => {
        const fn = localFunction(`tierdesk-${variable}`, await loadHandler(entry), TASK_TIMEOUT_MS);
        return [variable, (payload: unknown) => fn.invoke(payload)] as const;
      }),
    ),
  );
  const opsTasks = localFunction('tierdesk-ops-tasks', await loadHandler(OPS_TASKS_ENTRY), TASK_TIMEOUT_MS);
  const stepFunctions = new LocalStepFunctions({
    definition: workflowDefinitionString(),
    stateMachineName: LOCAL_STATE_MACHINE_NAME,
    functions,
    clock,
    onError: (error) => options.onError(error, 'workflow execution'),
    // What the EventBridge rule on "Step Functions Execution Status Change" does on AWS.
    onStatusChange: async (event) => {
      await opsTasks.invoke(event);
    },
  });
  const server: Server = await startStepFunctionsServer(stepFunctions, options.sfnPort);

  const processor = localFunction(
    'tierdesk-stream-processor',
    await loadHandler(STREAM_PROCESSOR_ENTRY),
    TASK_TIMEOUT_MS,
  );
  // The stream's failure destination: where SQS holds the batch's place on AWS, the local stack
  // keeps the failed record's tickets in the table, where the same reconciliation reads them.
  const dynamo = new DynamoDBClient(localClientConfig(options.dynamoEndpoint));
  const deadLetters = new DynamoDeadLetterStore(documentClient(dynamo), options.tableName);
  const deadLetter = async (record: DynamoDBRecord, error: unknown) => {
    const keys = record.dynamodb?.Keys;
    if (!keys) return;
    await deadLetters.add({
      id: record.eventID ?? String(record.dynamodb?.SequenceNumber),
      at: clock.now().toISOString(),
      tickets: ticketsOfStreamKeys([unmarshall(keys as never)]),
      detail: {
        eventID: record.eventID,
        eventName: record.eventName,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        error: error instanceof Error ? error.message : String(error),
      },
    });
  };
  const poller: StreamPoller = await startStreamPoller({
    endpoint: options.dynamoEndpoint,
    tableName: options.tableName,
    handler: async (event) => (await processor.invoke(event)) as DynamoDBBatchResponse,
    from: options.streamFrom,
    onDeadLetter: (record: DynamoDBRecord, error) => {
      options.onError(error, `stream record ${record.eventID ?? ''}`);
      deadLetter(record, error).catch((failure: unknown) => options.onError(failure, 'dead-letter record'));
    },
  });

  const settle = async () => {
    // A workflow step writes the ticket, whose stream record may wake a workflow: repeat until a
    // round in which nothing happened at all.
    for (let round = 0; round < 100; round++) {
      const before = stepFunctions.activity();
      await poller.drain();
      await stepFunctions.idle();
      if (stepFunctions.activity() === before) return;
    }
    throw new Error('The local workflows did not settle after 100 rounds.');
  };

  /**
   * Moves the clock to `target`, stopping at each callback timeout on the way so clock events
   * fire in order and at their own time, each fully settled before the next.
   */
  let moving: Promise<unknown> = Promise.resolve();
  const moveTo = (target: Date) => {
    const run = moving.then(async () => {
      await settle();
      for (;;) {
        const next = stepFunctions.nextTimerAt();
        if (next === undefined || next > target.getTime()) break;
        if (next > clock.now().getTime()) clock.set(new Date(next));
        await stepFunctions.fireDueTimers(settle);
      }
      if (target.getTime() > clock.now().getTime()) clock.set(target);
      await stepFunctions.fireDueTimers(settle);
    });
    moving = run.catch(() => undefined);
    return run;
  };

  // In real time, callback timeouts fall due as wall time passes; a controlled clock only moves on request.
  const ticker = setInterval(() => {
    if (clock.mode === 'real time')
      moveTo(clock.now()).catch((error: unknown) => options.onError(error, 'clock tick'));
  }, TICK_MS);
  ticker.unref();

  const describeClock = () => {
    const next = stepFunctions.nextTimerAt();
    return {
      now: clock.now().toISOString(),
      mode: clock.mode,
      nextTimerAt: next === undefined ? null : new Date(next).toISOString(),
    };
  };

  const localRoutes = {
    'GET /_local/faults': async () => localJson(200, { faults: stepFunctions.pendingFaults() }),
    'POST /_local/faults': async (body: Buffer) => {
      let request: { task?: unknown; times?: unknown; error?: unknown };
      try {
        request = JSON.parse(body.toString('utf8') || '{}');
        if (typeof request.task !== 'string')
          throw new RangeError('"task" names a task state, e.g. "AwaitAgent".');
        const times = request.times === undefined ? 1 : request.times;
        if (typeof times !== 'number' || !Number.isInteger(times) || times < 0 || times > 1000)
          throw new RangeError('"times" is a whole number from 0 (clear) to 1000.');
        if (
          request.error !== undefined &&
          (typeof request.error !== 'string' || !/^[\w.]{1,64}$/.test(request.error))
        )
          throw new RangeError('"error" is an error name, e.g. "LocalFault".');
        stepFunctions.injectFault(request.task, times, request.error as string | undefined);
      } catch (error) {
        return localJson(400, {
          title: 'Cannot inject the fault',
          status: 400,
          detail: (error as Error).message,
        });
      }
      return localJson(200, { faults: stepFunctions.pendingFaults() });
    },
    'GET /_local/clock': async () => localJson(200, describeClock()),
    'POST /_local/clock': async (body: Buffer) => {
      let request: { advance?: unknown; set?: unknown; mode?: unknown; from?: unknown };
      try {
        request = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return localJson(400, { title: 'The body is not JSON', status: 400 });
      }
      if (request.mode === 'real time' && request.advance === undefined && request.set === undefined) {
        if (request.from !== undefined && request.from !== 'here' && request.from !== 'wall time') {
          return localJson(400, {
            title: 'Cannot move the clock',
            status: 400,
            detail: '"from" is "wall time" (the default) or "here" (run on from where the clock stands).',
          });
        }
        clock.realTime({ fromHere: request.from === 'here' });
        return localJson(200, describeClock());
      }
      let target: Date;
      try {
        if (typeof request.advance === 'string' && request.set === undefined) {
          target = new Date(clock.now().getTime() + parseDuration(request.advance));
        } else if (typeof request.set === 'string' && request.advance === undefined) {
          target = new Date(request.set);
          if (Number.isNaN(target.getTime()))
            throw new RangeError(`"${request.set}" is not an ISO 8601 instant.`);
          if (target.getTime() < clock.now().getTime()) throw new RangeError('The clock only moves forward.');
        } else {
          throw new RangeError(
            'Send {"advance": "PT4H"}, {"set": "2026-11-27T15:00:00Z"}, {"mode": "real time"} or ' +
              '{"mode": "real time", "from": "here"}.',
          );
        }
      } catch (error) {
        return localJson(400, {
          title: 'Cannot move the clock',
          status: 400,
          detail: (error as Error).message,
        });
      }
      await moveTo(target);
      return localJson(200, describeClock());
    },
  };

  return {
    clock,
    stepFunctions,
    sfnEndpoint: `http://127.0.0.1:${options.sfnPort}`,
    localRoutes,
    settle,
    stop: async () => {
      clearInterval(ticker);
      await moving;
      await poller.stop();
      await stepFunctions.close();
      dynamo.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};
