import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { Clock } from '#shared/domain/clock';
import { evaluateClocks } from '#shared/domain/clocks';
import type { ClockEvent, ClockState } from '#shared/domain/service-levels';
import type { Ticket } from '#shared/domain/ticket';
import type { WorkflowStore } from '#shared/workflow/workflow-store';
import { ACTION_STATES, PARK_STATES } from './definition.ts';
import { executionName } from './wake.ts';

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
  [ACTION_STATES.warn]: 'Warned of an approaching deadline',
  [ACTION_STATES.breach]: 'Recorded an SLA breach',
  [ACTION_STATES.escalate]: 'Escalated a tier (OLA breached)',
  [ACTION_STATES.notify_supervisors]: 'Notified supervisors (last-tier OLA breached)',
  [ACTION_STATES.remind_vendor]: 'Reminded the vendor',
  [ACTION_STATES.remind_requester]: 'Reminded the requester',
  [ACTION_STATES.close]: 'Closing the ticket',
  ContinueAsNew: 'Continued in a new execution',
  Closed: 'Closed',
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
}

export interface WorkflowViewDeps {
  sfn: SFNClient;
  stateMachineArn: string;
  workflows: Pick<WorkflowStore, 'parked'>;
  clock: Clock;
}

const executionArnOf = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const historyOf = async (deps: WorkflowViewDeps, executionArn: string): Promise<HistoryEvent[]> => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken && events.length < 5_000);
  return events;
};

/** Entered states become steps; a timeout or a failure marks the step it ended. */
export const stepsOf = (events: readonly HistoryEvent[]): WorkflowStep[] => {
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

export const workflowView = async (deps: WorkflowViewDeps, ticket: Ticket): Promise<WorkflowView> => {
  const parked = await deps.workflows.parked(ticket.number);
  const arn = parked?.execution ?? executionArnOf(deps.stateMachineArn, executionName(ticket.number));
  const clocks = ticket.clocks.policy
    ? evaluateClocks({
        facts: ticket.clocks.facts,
        applied: ticket.clocks.applied,
        policy: ticket.clocks.policy,
        vendor: ticket.clocks.vendor,
        now: deps.clock.now(),
      })
    : undefined;
  let described: DescribeExecutionCommandOutput;
  try {
    described = await deps.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
  } catch (error) {
    // Not started yet: the stream processor starts it moments after the ticket is created.
    if (error instanceof ExecutionDoesNotExist)
      return { execution: null, clocks: clocks?.clocks ?? [], steps: [] };
    throw error;
  }
  const steps = stepsOf(await historyOf(deps, arn));
  return {
    execution: {
      name: described.name ?? '',
      arn,
      status: described.status ?? 'UNKNOWN',
      startedAt: (described.startDate ?? new Date(0)).toISOString(),
      ...(described.stopDate && { stoppedAt: described.stopDate.toISOString() }),
    },
    currentState: steps.at(-1)?.state,
    ...(parked && described.status === 'RUNNING' && { phase: parked.phase }),
    ...(clocks?.next && { nextClockEvent: clocks.next }),
    clocks: clocks?.clocks ?? [],
    steps,
  };
};
