import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { WorkflowSignals } from '#shared/workflow/signals';
import { executionName } from '#shared/workflow/wake';

/** The Step Functions adapter of the workflow signals. */
export class SfnWorkflowSignals implements WorkflowSignals {
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
