/**
 * The ticket lifecycle as an Amazon States Language definition — the one definition. The CDK
 * workflow construct deploys this exact string (Lambda ARNs arrive through
 * `DefinitionSubstitutions`), and the local stack runs the same string on aws-local-stepfunctions;
 * a test compares it with the synthesized template byte for byte.
 *
 * Shape (level-triggered: every wake re-reads the ticket and decides from its current state):
 *
 *   Triage ─▶ AwaitAgent   (a new ticket waits for an agent; the park hands any other decision
 *                           to Evaluate, so no Route is entered in between)
 *
 *   Route ─┬─▶ AwaitAgent ──────┐  (callback task; timeout = next clock event)
 *          ├─▶ AwaitRequester ──┤─▶ woken ─────▶ Evaluate ─────────▶ Route
 *          ├─▶ WithVendor ──────┤
 *          ├─▶ ReopenWindow ────┘─▶ timed out ─▶ ApplyClockEvent ──▶ Route
 *          ├─▶ ApplyClockEvent ─▶ Route   (a due clock event, applied once)
 *          ├─▶ Closed
 *          └─▶ ContinueAsNew ─▶ ContinuedAsNew  (before the execution history grows too long)
 *
 * Every state entered is a billed transition, so a park that times out goes straight to the one
 * state that applies clock events (warn, record a breach, escalate, notify supervisors, remind the
 * vendor or the requester, close): it re-reads the ticket, applies whatever is due by then (the
 * event the park waited for, unless a change moved it) and decides, as Evaluate does — three
 * transitions per clock event (ApplyClockEvent, Route, the next park or Closed). Which event it
 * applied is in its output (`applied`), and the ops view names the step after it.
 *
 * State data between states is always `{ "Payload": Decision }` (see decision.ts): the shape a
 * `lambda:invoke` result has, so `TimeoutSecondsPath: $.Payload.waitSeconds` reads the same on
 * AWS (raw state input) and locally (where aws-local-stepfunctions evaluates it after Parameters).
 */

/** The Lambda functions the definition invokes, by substitution variable. */
export const WORKFLOW_FUNCTIONS = {
  TriageFunctionArn: 'functions/workflow/triage.ts',
  ParkFunctionArn: 'functions/workflow/park.ts',
  EvaluateFunctionArn: 'functions/workflow/evaluate.ts',
  ApplyFunctionArn: 'functions/workflow/apply-clock-event.ts',
} as const;
export type WorkflowFunction = keyof typeof WORKFLOW_FUNCTIONS;

/** Phases in which the workflow waits, and the state that waits for each. */
export const PARK_STATES = {
  working: 'AwaitAgent',
  awaiting_requester: 'AwaitRequester',
  with_vendor: 'WithVendor',
  reopen_window: 'ReopenWindow',
} as const;
export type WaitingPhase = keyof typeof PARK_STATES;

/** What applying a due clock event does (`ApplyClockEvent` applies them all). */
export const WORKFLOW_ACTIONS = [
  'warn',
  'breach',
  'escalate',
  'notify_supervisors',
  'remind_vendor',
  'remind_requester',
  'close',
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** The state that applies due clock events: after a park timed out, or when a decision finds one due. */
export const APPLY_STATE = 'ApplyClockEvent';

/** A Standard execution's history holds 25,000 events; a loop writes about 10. Leave a wide margin. */
export const MAX_LOOPS_PER_EXECUTION = 1_000;

const TRANSIENT_LAMBDA_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
];

/**
 * Transient faults a task function reports as its error type (the SDK error name): throttling
 * and conflicts in DynamoDB or Step Functions. Named, because the park states may not retry the
 * `States.TaskFailed` wildcard: only their own faults are retried, never a clock event.
 */
const TRANSIENT_FUNCTION_ERRORS = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionConflictException',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
];

/** Retries with backoff on task errors: transient platform faults and our own (e.g. a lost race). */
const RETRY = [
  {
    ErrorEquals: TRANSIENT_LAMBDA_ERRORS,
    IntervalSeconds: 1,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    ErrorEquals: ['States.TaskFailed'],
    IntervalSeconds: 2,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];

/** `${Name}`: a DefinitionSubstitutions variable, filled in by CloudFormation (and the local engine). */
const substitution = (name: WorkflowFunction | 'WorkflowArn') => `\${${name}}`;

const invoke = (fn: WorkflowFunction, payload: Record<string, unknown>, next: string) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: substitution(fn), Payload: payload },
  ResultSelector: { 'Payload.$': '$.Payload' },
  Retry: RETRY,
  Next: next,
});

/** What every decision-making task receives: the previous decision and where it is asked from. */
const decisionInput = (state: string) => ({
  'ticketNumber.$': '$.Payload.ticketNumber',
  'generation.$': '$.Payload.generation',
  'loops.$': '$.Payload.loops',
  state,
  'execution.$': '$$.Execution.Id',
});

const park = (phase: WaitingPhase) => ({
  Type: 'Task',
  Comment: `Waits until the ticket changes or its next clock event falls due (${phase}).`,
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: substitution('ParkFunctionArn'),
    Payload: {
      'ticketNumber.$': '$.Payload.ticketNumber',
      'version.$': '$.Payload.version',
      phase,
      decided: { 'phase.$': '$.Payload.phase', 'action.$': '$.Payload.action' },
      'token.$': '$$.Task.Token',
      'waitSeconds.$': '$.Payload.waitSeconds',
      'execution.$': '$$.Execution.Id',
    },
  },
  TimeoutSecondsPath: '$.Payload.waitSeconds',
  // A wake leads to Evaluate, a timeout to ApplyClockEvent; both re-read the ticket and decide
  // from it: neither trusts what woke it. The previous decision is kept (ResultPath null) to
  // carry the counters.
  ResultPath: null,
  // Only transient faults are retried: States.Timeout is the clock event, not an error.
  Retry: [
    {
      ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS, ...TRANSIENT_FUNCTION_ERRORS],
      IntervalSeconds: 1,
      MaxAttempts: 6,
      BackoffRate: 2,
      JitterStrategy: 'FULL',
    },
  ],
  Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: APPLY_STATE }],
  Next: 'Evaluate',
});

const workflowDefinition = () => ({
  Comment: 'Tierdesk ticket lifecycle: tiers, escalations and SLA/OLA/UC clocks. One execution per ticket.',
  StartAt: 'Triage',
  States: {
    Triage: invoke(
      'TriageFunctionArn',
      {
        'ticketNumber.$': '$.ticketNumber',
        'generation.$': '$.generation',
        state: 'Triage',
        'execution.$': '$$.Execution.Id',
      },
      // A new ticket waits for an agent: no Route (a transition) in between. Should triage decide
      // otherwise (the ticket was closed meanwhile), the park hands the decision to Evaluate.
      PARK_STATES.working,
    ),
    Route: {
      Type: 'Choice',
      Comment: 'Acts on what is due first, otherwise waits in the phase the ticket is in.',
      Choices: [
        { Not: { Variable: '$.Payload.action', StringEquals: 'none' }, Next: APPLY_STATE },
        { Variable: '$.Payload.phase', StringEquals: 'closed', Next: 'Closed' },
        {
          Variable: '$.Payload.loops',
          NumericGreaterThanEquals: MAX_LOOPS_PER_EXECUTION,
          Next: 'ContinueAsNew',
        },
        ...Object.entries(PARK_STATES).map(([phase, state]) => ({
          Variable: '$.Payload.phase',
          StringEquals: phase,
          Next: state,
        })),
      ],
      Default: 'UnknownPhase',
    },
    ...Object.fromEntries(
      Object.entries(PARK_STATES).map(([phase, state]) => [state, park(phase as WaitingPhase)]),
    ),
    Evaluate: invoke('EvaluateFunctionArn', decisionInput('Evaluate'), 'Route'),
    [APPLY_STATE]: invoke('ApplyFunctionArn', decisionInput(APPLY_STATE), 'Route'),
    ContinueAsNew: {
      Type: 'Task',
      Comment: 'Hands the ticket to a fresh execution before the history limit.',
      Resource: 'arn:aws:states:::states:startExecution',
      Parameters: {
        // The ARN is built from the known name: referencing the state machine itself would be a cycle.
        StateMachineArn: substitution('WorkflowArn'),
        'Name.$':
          "States.Format('ticket-{}-g{}', $.Payload.ticketNumber, States.MathAdd($.Payload.generation, 1))",
        Input: {
          'ticketNumber.$': '$.Payload.ticketNumber',
          'generation.$': 'States.MathAdd($.Payload.generation, 1)',
        },
      },
      Retry: RETRY,
      Next: 'ContinuedAsNew',
    },
    ContinuedAsNew: { Type: 'Succeed' },
    Closed: { Type: 'Succeed', Comment: 'The ticket is closed: nothing more can happen to it.' },
    UnknownPhase: {
      Type: 'Fail',
      Error: 'UnknownPhase',
      Cause: 'A decision named a phase this definition does not know.',
    },
  },
});

/** The definition as deployed: this string is what the template carries and what runs locally. */
export const workflowDefinitionString = (): string => JSON.stringify(workflowDefinition());
