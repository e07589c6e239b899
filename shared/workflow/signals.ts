import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { executionName } from './wake.ts';

/**
 * The two signals the rest of Tierdesk sends its workflows. Both are safe to repeat: a start is
 * idempotent by execution name, and a token that is no longer awaited is simply stale.
 */
export class WorkflowSignals {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(ticketNumber: number): Promise<'started' | 'already running'> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(ticketNumber),
          input: JSON.stringify({ ticketNumber, generation: 0 }),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'already running';
      throw error;
    }
  }

  /** Wakes a parked workflow; false when the token is stale (it woke, timed out, or finished). */
  async wake(token: string, reasons: string[]): Promise<boolean> {
    try {
      await this.sfn.send(
        new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ reasons }) }),
      );
      return true;
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken)
        return false;
      throw error;
    }
  }
}
