/**
 * The port through which operations act on the ticket workflows' executions (the Step Functions
 * adapter is `adapters/sfn.ts`, on AWS and against the local engine alike). Every call names one
 * execution of the one state machine; listing is for the few executions in a transient status.
 */

export interface ExecutionDetail {
  name: string;
  arn: string;
  status: string;
  startedAt: Date;
  stoppedAt?: Date;
  error?: string;
  cause?: string;
  redriveCount: number;
}

export type RedriveOutcome = { redriven: true } | { redriven: false; reason: string };

export interface WorkflowControl {
  arnOf(name: string): string;
  /** The execution, or undefined when it does not exist. */
  describe(executionArn: string): Promise<ExecutionDetail | undefined>;
  /** The state the execution is in, or ended in (where it failed). */
  lastState(executionArn: string): Promise<string | undefined>;
  /** One page of the executions in `status` (ListExecutions), newest first. */
  list(status: string, nextToken?: string): Promise<{ executions: ExecutionDetail[]; nextToken?: string }>;
  /** RedriveExecution: resumes a failed, timed-out or stopped execution from where it stopped. */
  redrive(executionArn: string): Promise<RedriveOutcome>;
  /** Starts the ticket's workflow as generation `generation`; `exists` when that one was started before. */
  start(ticketNumber: number, generation: number): Promise<'started' | 'exists'>;
  stop(executionArn: string, cause: string): Promise<void>;
  /** Completes a parked task token; false when the token is stale. */
  wake(token: string, reasons: string[]): Promise<boolean>;
}
