import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { StateMachine } from 'aws-local-stepfunctions';
import type { LocalClock } from './clock.ts';

/**
 * Step Functions for the local stack: the deployed definition string runs on aws-local-stepfunctions,
 * behind an HTTP endpoint that speaks the Step Functions JSON protocol for the calls Tierdesk makes,
 * so handlers use the real `@aws-sdk/client-sfn` with only an endpoint changed.
 *
 * What aws-local-stepfunctions lacks is emulated here, on the controllable clock:
 * - `.waitForTaskToken`: a callback task gets a token (through `$$.Task.Token`), its Lambda is
 *   invoked, and the state waits until SendTaskSuccess/Failure names that token;
 * - its timeout (`TimeoutSecondsPath`) is a timer on the local clock, not on wall time, raising
 *   `States.Timeout` when the clock reaches it — `fireDueTimers()` fires them in order;
 * - `lambda:invoke` results are wrapped in `{ Payload }` as on AWS;
 * - `states:startExecution` (continue-as-new) starts another local execution;
 * - execution history is recorded in the shape GetExecutionHistory returns;
 * - RedriveExecution: a failed, timed-out or stopped execution resumes from the state it stopped
 *   in, with that state's input, within 14 days of stopping (as on AWS, Standard workflows);
 * - "Step Functions Execution Status Change" events, as EventBridge delivers them, when an
 *   execution ends (`onStatusChange`: the ops incident recorder);
 * - faults on demand (`injectFault`): a named task state fails its next N runs.
 */

type Json = unknown;
export type LocalInvoke = (payload: Json) => Promise<Json>;

export interface LocalStepFunctionsOptions {
  /** The definition exactly as deployed, `${Name}` substitution variables included. */
  definition: string;
  stateMachineName: string;
  /** Substitution variable (e.g. `ParkFunctionArn`) → the function it names. */
  functions: Record<string, LocalInvoke>;
  clock: LocalClock;
  onError?: (error: unknown) => void;
  /** Receives the EventBridge event of every execution that ends (SUCCEEDED, FAILED, TIMED_OUT, ABORTED). */
  onStatusChange?: (event: Record<string, unknown>) => Promise<void>;
}

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

interface Execution {
  executionArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  history: HistoryEvent[];
  /** Waiting on a task token: the only state in which an execution is quiet. */
  parkedOn?: string;
  abort: () => void;
  /** Settles when the engine has finished with the execution and its history is complete. */
  done: Promise<void>;
}

interface PendingTask {
  token: string;
  execution: Execution;
  state: string;
  dueAt?: number;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

/** An error the Step Functions API returns, by its `__type`. */
class SfnApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const namedError = (name: string, message: string) => Object.assign(new Error(message), { name });

const STATE_EVENT_PREFIX: Record<string, string> = {
  Task: 'TaskState',
  Choice: 'ChoiceState',
  Succeed: 'SucceedState',
  Fail: 'FailState',
  Pass: 'PassState',
  Wait: 'WaitState',
  Parallel: 'ParallelState',
  Map: 'MapState',
};

/** How long after it stopped AWS lets an execution be redriven. */
const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;
const REDRIVABLE: readonly ExecutionStatus[] = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/** Node's setTimeout holds at most 2^31-1 ms (24.8 days); longer ones fire at once. */
const MAX_ENGINE_TIMEOUT_SECONDS = 2_000_000;

type Definition = {
  States: Record<
    string,
    {
      Type: string;
      Resource?: string;
      Parameters?: Record<string, unknown>;
      TimeoutSecondsPath?: string;
      TimeoutSeconds?: number;
    }
  >;
};

/**
 * The copy the engine runs: identical but for the wall-clock timeout of callback tasks, which
 * this module implements on the local clock instead. (aws-local-stepfunctions would otherwise
 * time them out in wall time — immediately for a wait longer than setTimeout can hold.)
 */
const withoutWallClockTimeouts = (definition: Definition): Definition => ({
  ...definition,
  States: Object.fromEntries(
    Object.entries(definition.States).map(([name, state]) => {
      if (!state.Resource?.endsWith('.waitForTaskToken')) return [name, state];
      const { TimeoutSecondsPath: _path, ...rest } = state;
      return [name, { ...rest, TimeoutSeconds: MAX_ENGINE_TIMEOUT_SECONDS }];
    }),
  ),
});

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly executions = new Map<string, Execution>();
  private readonly pending = new Map<string, PendingTask>();
  private readonly machine: StateMachine;
  private readonly definition: Definition;
  /** Task state → how many more runs of it fail (`POST /_local/faults`). */
  private readonly faults = new Map<string, { times: number; error: string }>();
  /** Status-change deliveries still in flight: the engine is not idle until they are done. */
  private readonly notifying = new Set<Promise<void>>();
  private closing = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.stateMachineArn = `arn:aws:states:local:000000000000:stateMachine:${options.stateMachineName}`;
    // Substitutions resolve to local ARNs; every Task is overridden below, so nothing calls AWS.
    const resolved = options.definition.replaceAll(/\$\{(\w+)\}/g, (_, name: string) =>
      name === 'WorkflowArn' ? this.stateMachineArn : `arn:aws:lambda:local:000000000000:function:${name}`,
    );
    this.definition = JSON.parse(resolved);
    this.machine = new StateMachine(withoutWallClockTimeouts(this.definition) as never, {
      validationOptions: { checkArn: false },
    });
  }

  // ---- the API --------------------------------------------------------------------------------

  startExecution({ name, input = '{}' }: { name: string; input?: string }) {
    const executionArn = `arn:aws:states:local:000000000000:execution:${this.options.stateMachineName}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is the same execution.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution already exists: '${executionArn}'`);
    }
    const startDate = this.options.clock.now();
    const execution: Execution = {
      executionArn,
      name,
      input,
      status: 'RUNNING',
      startDate,
      redriveCount: 0,
      history: [],
      abort: () => undefined,
      done: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    this.run(execution);
    return { executionArn, startDate };
  }

  describeExecution(executionArn: string) {
    const execution = this.find(executionArn);
    return {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate && { stopDate: execution.stopDate }),
      input: execution.input,
      ...(execution.output !== undefined && { output: execution.output }),
      ...(execution.error && { error: execution.error, cause: execution.cause }),
      redriveCount: execution.redriveCount,
      redriveStatus: this.notRedrivable(execution) ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
    };
  }

  /**
   * RedriveExecution: the execution runs on from the state it failed (or was stopped, or timed
   * out) in, with the input that state had, under the same name and ARN; its history goes on.
   */
  redriveExecution(executionArn: string) {
    const execution = this.find(executionArn);
    const refused = this.notRedrivable(execution);
    if (refused) throw new SfnApiError('ExecutionNotRedrivable', refused);
    const entered = [...execution.history].reverse().find((event) => event.type.endsWith('StateEntered'));
    const details = entered?.stateEnteredEventDetails as { name?: string; input?: string } | undefined;
    if (!details?.name)
      throw new SfnApiError('ExecutionNotRedrivable', 'The execution never entered a state.');
    const machine = new StateMachine(
      { ...withoutWallClockTimeouts(this.definition), StartAt: details.name } as never,
      // Validated whole already; from here the states before this one are unreachable, by design.
      { validationOptions: { noValidate: true } },
    );
    const redriveDate = this.options.clock.now();
    execution.status = 'RUNNING';
    execution.stopDate = undefined;
    execution.error = undefined;
    execution.cause = undefined;
    execution.redriveCount++;
    const id = execution.history.length + 1;
    execution.history.push({
      id,
      previousEventId: id - 1,
      timestamp: redriveDate,
      type: 'ExecutionRedriven',
      executionRedrivenEventDetails: { redriveCount: execution.redriveCount },
    });
    this.run(execution, machine, details.input ? JSON.parse(details.input) : {});
    return { redriveDate };
  }

  /** Why AWS would refuse to redrive the execution, or undefined when it may be. */
  private notRedrivable(execution: Execution): string | undefined {
    if (!REDRIVABLE.includes(execution.status))
      return `Execution is ${execution.status}: only FAILED, TIMED_OUT or ABORTED executions can be redriven.`;
    const stopped = execution.stopDate?.getTime() ?? 0;
    if (this.options.clock.now().getTime() - stopped > REDRIVE_WINDOW_MS)
      return 'Execution stopped more than 14 days ago and can no longer be redriven.';
    return undefined;
  }

  /** Makes the task state `task` fail its next `times` runs with `error` (the local faults switch). */
  injectFault(task: string, times: number, error = 'LocalFault'): void {
    if (this.definition.States[task]?.Type !== 'Task')
      throw new RangeError(
        `"${task}" is not a task state; one of ${Object.entries(this.definition.States)
          .filter(([, state]) => state.Type === 'Task')
          .map(([name]) => name)
          .join(', ')}.`,
      );
    if (times > 0) this.faults.set(task, { times, error });
    else this.faults.delete(task);
  }

  /** The faults still to fire, by task state. */
  pendingFaults(): Record<string, number> {
    return Object.fromEntries([...this.faults].map(([task, fault]) => [task, fault.times]));
  }

  private failIfFaulted(state: string): void {
    const fault = this.faults.get(state);
    if (!fault) return;
    if (--fault.times <= 0) this.faults.delete(state);
    throw namedError(
      fault.error,
      `Injected by POST /_local/faults: ${state} fails (${fault.times} more to come).`,
    );
  }

  listExecutions({
    statusFilter,
    maxResults = 100,
    nextToken,
  }: {
    statusFilter?: ExecutionStatus | 'PENDING_REDRIVE';
    maxResults?: number;
    nextToken?: string;
  }) {
    // A local redrive starts at once: nothing is ever PENDING_REDRIVE here.
    const matching = [...this.executions.values()]
      .filter((execution) => !statusFilter || execution.status === statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
    const start = nextToken ? Number(nextToken) : 0;
    const end = start + (maxResults || 100);
    const executions = matching.slice(start, end).map((execution) => ({
      executionArn: execution.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate && { stopDate: execution.stopDate }),
      redriveCount: execution.redriveCount,
    }));
    return { executions, ...(end < matching.length && { nextToken: String(end) }) };
  }

  getExecutionHistory(
    executionArn: string,
    {
      reverseOrder = false,
      maxResults = 1000,
      nextToken,
    }: { reverseOrder?: boolean; maxResults?: number; nextToken?: string },
  ) {
    const events = [...this.find(executionArn).history];
    if (reverseOrder) events.reverse();
    const start = nextToken ? Number(nextToken) : 0;
    const page = events.slice(start, start + (maxResults || 1000));
    const more = start + page.length < events.length;
    return { events: page, ...(more && { nextToken: String(start + page.length) }) };
  }

  sendTaskSuccess(token: string, output: string) {
    const task = this.takeTask(token);
    let parsed: Json;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new SfnApiError('InvalidOutput', 'The output is not valid JSON.');
    }
    task.resolve(parsed);
    return {};
  }

  sendTaskFailure(token: string, error = 'TaskFailed', cause = '') {
    this.takeTask(token).reject(namedError(error, cause));
    return {};
  }

  sendTaskHeartbeat(token: string) {
    if (!this.pending.has(token)) throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    return {};
  }

  stopExecution(executionArn: string, error?: string, cause?: string) {
    const execution = this.find(executionArn);
    if (execution.status === 'RUNNING') {
      for (const [token, task] of this.pending) if (task.execution === execution) this.pending.delete(token);
      execution.error = error;
      execution.cause = cause;
      execution.abort();
    }
    return { stopDate: execution.stopDate ?? this.options.clock.now() };
  }

  // ---- the controllable clock ------------------------------------------------------------------

  /** The earliest pending callback timeout, if any. */
  nextTimerAt(): number | undefined {
    const times = [...this.pending.values()].flatMap((task) =>
      task.dueAt === undefined ? [] : [task.dueAt],
    );
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /**
   * Times out the callback tasks whose timeout the clock has reached, earliest first, letting each
   * execution settle before the next fires (a timeout may schedule a sooner one). `settle` waits
   * for everything downstream (the stream processor) to catch up as well.
   */
  async fireDueTimers(settle: () => Promise<void> = () => this.idle()): Promise<number> {
    let fired = 0;
    for (;;) {
      await settle();
      const now = this.options.clock.now().getTime();
      const due = [...this.pending.values()]
        .filter((task) => task.dueAt !== undefined && task.dueAt <= now)
        .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))[0];
      if (!due) return fired;
      this.pending.delete(due.token);
      due.reject(namedError('States.Timeout', 'The callback task timed out.'));
      fired++;
    }
  }

  /** A number that grows with everything the engine does: settled when it stops changing. */
  activity(): number {
    let events = this.executions.size;
    for (const execution of this.executions.values()) events += execution.history.length;
    return events;
  }

  /** Resolves when every running execution waits on a task token (or none runs). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietChecks = 0;
    while (quietChecks < 2) {
      const busy =
        this.notifying.size > 0 ||
        [...this.executions.values()].some(
          (execution) => execution.status === 'RUNNING' && !execution.parkedOn,
        );
      quietChecks = busy ? 0 : quietChecks + 1;
      if (Date.now() > deadline) throw new Error('Local Step Functions did not settle in time.');
      await new Promise((done) => setTimeout(done, 15));
    }
  }

  /** Stops every execution (the local stack is shutting down). */
  async close(): Promise<void> {
    // Executions stopped by a shutdown are no incidents.
    this.closing = true;
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) this.stopExecution(execution.executionArn, 'LocalStackStopped');
    await Promise.all(running.map((execution) => execution.done));
  }

  // ---- running an execution -------------------------------------------------------------------

  private find(executionArn: string): Execution {
    const execution = this.executions.get(executionArn);
    if (!execution)
      throw new SfnApiError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    return execution;
  }

  private takeTask(token: string): PendingTask {
    const task = this.pending.get(token);
    // AWS answers a token it no longer waits for with TaskTimedOut; the stream processor ignores it.
    if (!task) throw new SfnApiError('TaskTimedOut', 'Task Timed Out');
    this.pending.delete(token);
    return task;
  }

  private run(execution: Execution, machine: StateMachine = this.machine, input?: Json): void {
    const tokens = {
      // A fresh token each time a callback task's Parameters read `$$.Task.Token`.
      get Token() {
        return `${randomBytes(24).toString('base64url')}`;
      },
    };
    const run = machine.run(input ?? JSON.parse(execution.input), {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(execution) as never },
      context: { Execution: { Id: execution.executionArn, Name: execution.name }, Task: tokens },
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    const recorded = this.record(execution, run.eventLogs as AsyncIterable<Record<string, unknown>>);
    execution.done = Promise.allSettled([run.result, recorded]).then(([result]) => {
      execution.parkedOn = undefined;
      execution.stopDate = this.options.clock.now();
      // Stopped (or timed out) already has its status, set when the engine logged it.
      if (execution.status === 'RUNNING') this.settleStatus(execution, result);
      this.notify(execution);
    });
  }

  private settleStatus(execution: Execution, result: PromiseSettledResult<unknown>): void {
    if (result.status === 'fulfilled') {
      if (result.value === null) {
        execution.status = 'ABORTED';
      } else {
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(result.value);
      }
    } else {
      execution.status = 'FAILED';
      const cause = (result.reason as { cause?: Error })?.cause ?? result.reason;
      execution.error ??= (cause as Error)?.name ?? 'Error';
      execution.cause ??= (cause as Error)?.message;
      // An injected fault is the point of the exercise, not a crash to report.
      if (!(execution.cause ?? '').startsWith('Injected by POST /_local/faults'))
        this.options.onError?.(result.reason);
    }
  }

  /** The event EventBridge delivers when an execution ends, to the same recorder as on AWS. */
  private notify(execution: Execution): void {
    if (!this.options.onStatusChange || this.closing) return;
    const event = {
      version: '0',
      id: randomBytes(16).toString('hex'),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '000000000000',
      time: (execution.stopDate ?? this.options.clock.now()).toISOString(),
      region: 'local',
      resources: [execution.executionArn],
      detail: {
        executionArn: execution.executionArn,
        stateMachineArn: this.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate.getTime(),
        stopDate: execution.stopDate?.getTime() ?? null,
        input: execution.input,
        output: execution.output ?? null,
        error: execution.error ?? null,
        cause: execution.cause ?? null,
        redriveCount: execution.redriveCount,
      },
    };
    const delivery: Promise<void> = this.options
      .onStatusChange(event)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => this.notifying.delete(delivery));
    this.notifying.add(delivery);
  }

  /** One override per Task state, by what its Resource integrates with. */
  private taskHandlers(execution: Execution): Record<string, (input: Json) => Promise<Json>> {
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [state, definition] of Object.entries(this.definition.States)) {
      if (definition.Type !== 'Task') continue;
      const resource = definition.Resource ?? '';
      if (resource.endsWith(':lambda:invoke')) {
        handlers[state] = async (input) => {
          this.failIfFaulted(state);
          return { Payload: await this.invoke(input) };
        };
      } else if (resource.endsWith(':lambda:invoke.waitForTaskToken')) {
        handlers[state] = async (input) => {
          this.failIfFaulted(state);
          return this.callback(execution, state, input);
        };
      } else if (resource.endsWith(':states:startExecution')) {
        handlers[state] = async (input) => {
          const { Name, Input } = input as { Name: string; Input: Json };
          return this.startExecution({ name: Name, input: JSON.stringify(Input) });
        };
      } else {
        throw new Error(`The local engine cannot run ${state}: unsupported resource ${resource}`);
      }
    }
    return handlers;
  }

  private invoke(input: Json): Promise<Json> {
    const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
    const name = FunctionName.split(':').at(-1) ?? '';
    const fn = this.options.functions[name];
    if (!fn) throw namedError('Lambda.ResourceNotFoundException', `No local function for ${name}`);
    return fn(Payload);
  }

  /**
   * `.waitForTaskToken`: invoke the function with the token, then wait for the token to be
   * completed, or for the local clock to reach the state's timeout.
   */
  private async callback(execution: Execution, state: string, input: Json): Promise<Json> {
    const { Payload } = input as { Payload: { token?: string } };
    const token = Payload?.token;
    if (!token) throw namedError('States.Runtime', `${state} passes no task token to its function.`);
    const waitSeconds = Number((Payload as { waitSeconds?: unknown }).waitSeconds);
    const completed = new Promise<Json>((resolve, reject) => {
      this.pending.set(token, {
        token,
        execution,
        state,
        dueAt: waitSeconds > 0 ? this.options.clock.now().getTime() + waitSeconds * 1000 : undefined,
        resolve,
        reject,
      });
    });
    try {
      await this.invoke(input);
    } catch (error) {
      this.pending.delete(token);
      throw error;
    }
    if (this.pending.has(token)) execution.parkedOn = token;
    try {
      return await completed;
    } finally {
      if (execution.parkedOn === token) execution.parkedOn = undefined;
    }
  }

  /** Turns the engine's event log into Step Functions history events, timed by the local clock. */
  private async record(execution: Execution, events: AsyncIterable<Record<string, unknown>>): Promise<void> {
    const push = (type: string, details: Record<string, unknown> = {}) => {
      const id = execution.history.length + 1;
      execution.history.push({
        id,
        previousEventId: id - 1,
        timestamp: this.options.clock.now(),
        type,
        ...details,
      });
    };
    for await (const event of events) {
      const state = event.state as { name: string; type: string; input?: Json; output?: Json } | undefined;
      const prefix = state ? (STATE_EVENT_PREFIX[state.type] ?? `${state.type}State`) : '';
      switch (event.type) {
        case 'ExecutionStarted':
          // A redriven execution goes on in the same history, which AWS does not restart.
          if (execution.redriveCount > 0) break;
          push('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(event.input) } });
          break;
        case 'StateEntered':
          push(`${prefix}Entered`, {
            stateEnteredEventDetails: { name: state?.name, input: JSON.stringify(state?.input) },
          });
          if (state?.type === 'Task')
            push('TaskScheduled', {
              taskScheduledEventDetails: { resource: this.definition.States[state.name]?.Resource },
            });
          break;
        case 'StateExited':
          if (state?.type === 'Task') push('TaskSucceeded', {});
          push(`${prefix}Exited`, {
            stateExitedEventDetails: { name: state?.name, output: JSON.stringify(state?.output) },
          });
          break;
        case 'StateFailed':
          push(event.Error === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed', {
            taskFailedEventDetails: { error: event.Error, cause: event.Cause, name: state?.name },
          });
          break;
        case 'StateRetried':
          push('TaskRetried', { name: state?.name });
          break;
        case 'ExecutionSucceeded':
          push('ExecutionSucceeded', {
            executionSucceededEventDetails: { output: JSON.stringify(event.output) },
          });
          break;
        case 'ExecutionFailed':
          push('ExecutionFailed', {
            executionFailedEventDetails: { error: event.Error, cause: event.Cause },
          });
          break;
        case 'ExecutionAborted':
          execution.status = 'ABORTED';
          push('ExecutionAborted', {
            executionAbortedEventDetails: { error: execution.error, cause: execution.cause },
          });
          break;
        case 'ExecutionTimeout':
          execution.status = 'TIMED_OUT';
          push('ExecutionTimedOut', {});
          break;
      }
    }
  }
}

// ---- the HTTP endpoint ------------------------------------------------------------------------

/** Dates travel as epoch seconds in the AWS JSON protocol. */
const wire = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, function (this: Record<string, unknown>, key) {
      const original = this[key];
      return original instanceof Date ? original.getTime() / 1000 : (original as unknown);
    }),
  );

/**
 * Serves `engine` with the awsJson1_0 protocol the SDK's SFNClient speaks:
 * `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>`.
 */
export const startStepFunctionsServer = (engine: LocalStepFunctions, port: number): Promise<Server> => {
  // biome-ignore lint/suspicious/noExplicitAny: request bodies as the SDK sends them
  const operations: Record<string, (body: any) => unknown> = {
    StartExecution: (body) => engine.startExecution(body),
    DescribeExecution: (body) => engine.describeExecution(body.executionArn),
    ListExecutions: (body) => engine.listExecutions(body),
    GetExecutionHistory: (body) => engine.getExecutionHistory(body.executionArn, body),
    SendTaskSuccess: (body) => engine.sendTaskSuccess(body.taskToken, body.output),
    SendTaskFailure: (body) => engine.sendTaskFailure(body.taskToken, body.error, body.cause),
    SendTaskHeartbeat: (body) => engine.sendTaskHeartbeat(body.taskToken),
    StopExecution: (body) => engine.stopExecution(body.executionArn, body.error, body.cause),
    RedriveExecution: (body) => engine.redriveExecution(body.executionArn),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = operations[target.replace(/^AWSStepFunctions\./, '')];
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      if (!operation)
        return send(400, { __type: 'UnknownOperationException', message: `Not emulated: ${target}` });
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        send(200, wire(operation(body)));
      } catch (error) {
        if (error instanceof SfnApiError) return send(400, { __type: error.type, message: error.message });
        send(500, { __type: 'InternalServerError', message: (error as Error).message });
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
};
