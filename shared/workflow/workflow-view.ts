import type { Clock } from '#shared/domain/clock';
import { clockInputOf, evaluateClocks } from '#shared/domain/clocks';
import { ForbiddenError, NotFoundError } from '#shared/domain/errors';
import { canOperate, canViewTicket, isStaffFor } from '#shared/domain/policy';
import type { Principal } from '#shared/domain/principal';
import type { ClockEvent, ClockState } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { APPLY_STATE, PARK_STATES, type WorkflowAction } from './definition.ts';
import type { HistoryEvent, WorkflowExecutions } from './executions.ts';
import { type WorkflowGraph, workflowGraph } from './graph.ts';
import { executionName } from './wake.ts';
import type { WorkflowStore } from './workflow-store.ts';

/**
 * The ops view of one ticket's workflow: where its execution is, what it waits for, and its
 * history as steps a support manager can read ("Waiting for an agent", "Escalated a tier").
 */

const STEP_NAMES: Record<string, string> = {
  Triage: 'Triage: route by category, pin the SLA policy',
  Evaluate: 'Re-read the ticket and decide',
  [PARK_STATES.working]: 'Waiting for an agent',
  [PARK_STATES.awaiting_requester]: 'Waiting for the requester (clocks paused)',
  [PARK_STATES.with_vendor]: 'With the vendor',
  [PARK_STATES.reopen_window]: 'Resolved: reopen window open',
  [APPLY_STATE]: 'Re-read the ticket: no clock event due any more',
  ContinueAsNew: 'Continued in a new execution',
  Closed: 'Closed',
};

/** What ApplyClockEvent did, from the `applied` action of its output. */
const ACTION_STEPS: Record<WorkflowAction, string> = {
  warn: 'Warned of an approaching deadline',
  breach: 'Recorded an SLA breach',
  escalate: 'Escalated a tier (OLA breached)',
  notify_supervisors: 'Notified supervisors (last-tier OLA breached)',
  remind_vendor: 'Reminded the vendor',
  remind_requester: 'Reminded the requester',
  close: 'Closed the ticket',
};

/** The action an ApplyClockEvent state's output says it applied. */
const appliedIn = (output: string | undefined): WorkflowAction | undefined => {
  try {
    const applied = (JSON.parse(output ?? '') as { Payload?: { applied?: unknown } }).Payload?.applied;
    return typeof applied === 'string' && applied in ACTION_STEPS ? (applied as WorkflowAction) : undefined;
  } catch {
    return undefined;
  }
};

export interface WorkflowStep {
  at: string;
  state: string;
  step: string;
  /** How a waiting step ended: woken by a change, or its clock event fell due. */
  outcome?: 'woken' | 'clock event due' | 'failed';
}

export interface WorkflowView {
  execution: { name: string; arn: string; status: string; startedAt: string; stoppedAt?: string } | null;
  /** The state the execution is in now (or ended in). */
  currentState?: string;
  phase?: string;
  nextClockEvent?: ClockEvent;
  clocks: ClockState[];
  steps: WorkflowStep[];
  /** The state machine every ticket's workflow runs, to draw it: states and transitions. */
  graph: WorkflowGraph;
}

export interface WorkflowViewDeps {
  executions: WorkflowExecutions;
  workflows: Pick<WorkflowStore, 'parked'>;
  clock: Clock;
}

/** A ticket's longest history shown: far more steps than any ticket takes. */
const HISTORY_LIMIT = 5_000;

/** Entered states become steps; a timeout or a failure marks the step it ended. */
const stepsOf = (events: readonly HistoryEvent[]): WorkflowStep[] => {
  const steps: WorkflowStep[] = [];
  for (const event of events) {
    const entered = event.stateEnteredEventDetails?.name;
    if (entered && entered !== 'Route') {
      steps.push({
        at: (event.timestamp ?? new Date(0)).toISOString(),
        state: entered,
        step: STEP_NAMES[entered] ?? entered,
      });
      continue;
    }
    const last = steps.at(-1);
    if (!last) continue;
    if (event.type === 'TaskStateExited' && last.state === APPLY_STATE) {
      const action = appliedIn(event.stateExitedEventDetails?.output);
      if (action) last.step = ACTION_STEPS[action];
    }
    if (event.type === 'TaskTimedOut') last.outcome = 'clock event due';
    else if (event.type === 'TaskFailed') last.outcome = 'failed';
    else if (
      event.type === 'TaskStateExited' &&
      Object.values(PARK_STATES).includes(last.state as never) &&
      !last.outcome
    ) {
      last.outcome = 'woken';
    }
  }
  return steps;
};

const workflowView = async (deps: WorkflowViewDeps, ticket: Ticket): Promise<WorkflowView> => {
  const parked = await deps.workflows.parked(ticket.number);
  const arn = parked?.execution ?? deps.executions.arnOf(executionName(ticket.number));
  const clocks = ticket.clocks.policy
    ? evaluateClocks({ ...clockInputOf(ticket.clocks), policy: ticket.clocks.policy, now: deps.clock.now() })
    : undefined;
  const described = await deps.executions.describe(arn);
  // Not started yet: the stream processor starts it moments after the ticket is created.
  if (!described) return { execution: null, clocks: clocks?.clocks ?? [], steps: [], graph: workflowGraph() };
  const steps = stepsOf(await deps.executions.history(arn, HISTORY_LIMIT));
  return {
    execution: {
      name: described.name,
      arn,
      status: described.status,
      startedAt: described.startedAt.toISOString(),
      ...(described.stoppedAt && { stoppedAt: described.stoppedAt.toISOString() }),
    },
    currentState: steps.at(-1)?.state,
    ...(parked && described.status === 'RUNNING' && { phase: parked.phase }),
    ...(clocks?.next && { nextClockEvent: clocks.next }),
    clocks: clocks?.clocks ?? [],
    steps,
    graph: workflowGraph(),
  };
};

/**
 * GET /tickets/{number}/workflow: the ticket's workflow, for the agents of the ticket and for
 * those who operate the workflows (ops, supervisors, admins), who follow a failure to its ticket's
 * workflow. The view carries no ticket content: states, steps, clocks.
 */
export const ticketWorkflow = async (
  deps: TicketDeps,
  view: WorkflowViewDeps,
  principal: Principal,
  number: number,
): Promise<WorkflowView> => {
  // Every clock the ticket ever ran, finished ones too: read with the whole history of its facts.
  const ticket = await deps.store.ticketWithHistory(number);
  if (canOperate(principal)) {
    if (!ticket) throw new NotFoundError(`Ticket #${number} was not found.`);
    return workflowView(view, ticket);
  }
  // As `visibleTicket` answers: a ticket the caller may not see does not exist for them.
  if (!ticket || !canViewTicket(principal, ticket))
    throw new NotFoundError(`Ticket #${number} was not found.`);
  if (!isStaffFor(principal, ticket))
    throw new ForbiddenError('The workflow view is for the agents of the ticket.');
  return workflowView(view, ticket);
};
