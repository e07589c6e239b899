import type { HistoryEvent as SfnHistoryEvent } from '#shared/runtime/sfn';

/**
 * The port to the workflow engine's record of executions: what ops and the workflow view read.
 * The Step Functions adapter is `adapters/sfn.ts` (on AWS and against the local engine alike).
 */

/** The parts of a history event the views read. */
export type HistoryEvent = Pick<
  SfnHistoryEvent,
  'type' | 'timestamp' | 'stateEnteredEventDetails' | 'stateExitedEventDetails'
>;

export interface ExecutionSummary {
  name: string;
  status: string;
  startedAt: Date;
  stoppedAt?: Date;
}

export interface WorkflowExecutions {
  /** The ARN of the execution with this name (it may not exist yet). */
  arnOf(name: string): string;
  /** The execution, or undefined when it does not exist (yet). */
  describe(executionArn: string): Promise<ExecutionSummary | undefined>;
  /** The execution's history, oldest first, at most `limit` events. */
  history(executionArn: string, limit: number): Promise<HistoryEvent[]>;
}
