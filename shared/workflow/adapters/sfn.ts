import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '#shared/runtime/sfn';
import type { ExecutionSummary, HistoryEvent, WorkflowExecutions } from '#shared/workflow/executions';
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

/** The Step Functions adapter of the executions' record. */
export class SfnWorkflowExecutions implements WorkflowExecutions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  arnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async describe(executionArn: string): Promise<ExecutionSummary | undefined> {
    try {
      const described = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return {
        name: described.name ?? '',
        status: described.status ?? 'UNKNOWN',
        startedAt: described.startDate ?? new Date(0),
        ...(described.stopDate && { stoppedAt: described.stopDate }),
      };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  async history(executionArn: string, limit: number): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, nextToken }),
      );
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken && events.length < limit);
    return events;
  }
}
