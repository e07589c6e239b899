import type { ClockEvent } from '#shared/domain/service-levels';
import type { Status } from '#shared/domain/ticket-fields';
import type { WaitingPhase, WorkflowAction } from './definition.ts';

/**
 * What a workflow task tells the state machine: where the ticket is, what (if anything) is due
 * now, and how long to sleep otherwise. Every decision is computed from the ticket as stored,
 * never from what woke the workflow.
 */
export interface Decision {
  ticketNumber: number;
  /** Which execution of the ticket this is (continue-as-new increments it). */
  generation: number;
  /** Decisions taken by this execution; bounds its history. */
  loops: number;
  /** The ticket version the decision was computed from; parking is conditional on it. */
  version: number;
  phase: WaitingPhase | 'closed';
  /** The due clock event to apply now, as the Route state's choice; `none` = wait. */
  action: WorkflowAction | 'none';
  due?: ClockEvent;
  /** The next clock event, when nothing is due now. */
  next?: ClockEvent;
  /** Seconds until `next` (at least 1; IDLE_WAIT_SECONDS when nothing is scheduled). */
  waitSeconds: number;
  /** What ApplyClockEvent just applied (the weightiest action of the instant), for the ops view. */
  applied?: WorkflowAction;
}

/** What the definition passes to every decision-making task. */
export interface DecisionRequest {
  ticketNumber: number;
  generation: number;
  loops?: number;
  /** The state asking: Triage, Evaluate or ApplyClockEvent. */
  state: string;
  execution: string;
}

export interface ParkRequest {
  ticketNumber: number;
  version: number;
  /** The phase this park state waits in. */
  phase: WaitingPhase;
  /**
   * What the decision it parks on said: Triage parks in AwaitAgent without Route, so a decision
   * for another phase, or with an event due, is handed to Evaluate (the park wakes itself).
   */
  decided: { phase: WaitingPhase | 'closed'; action: WorkflowAction | 'none' };
  token: string;
  waitSeconds: number;
  execution: string;
}

/**
 * No clock event pending (every clock met, paused or breached and recorded): a change is the only
 * thing left to wait for, so a lost wake would leave the ticket unattended for good. Looking again
 * once a day bounds that to a day, for three state transitions a day while nothing is scheduled.
 */
export const IDLE_WAIT_SECONDS = 24 * 60 * 60;

const PHASES: Record<Exclude<Status, 'closed'>, WaitingPhase> = {
  new: 'working',
  open: 'working',
  pending: 'awaiting_requester',
  on_hold: 'with_vendor',
  resolved: 'reopen_window',
};

/** The phase a ticket of this status is in: where its workflow waits, or `closed`. */
export const phaseOf = (status: Status): WaitingPhase | 'closed' =>
  status === 'closed' ? 'closed' : PHASES[status];
