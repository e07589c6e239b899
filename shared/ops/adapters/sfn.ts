import type { ExecutionDetail, RedriveOutcome, WorkflowControl } from '#shared/ops/workflow-control';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '#shared/runtime/sfn';
import { SfnWorkflowSignals } from '#shared/workflow/adapters/sfn';
import { executionName } from '#shared/workflow/wake';

/** The Step Functions adapter of operations' control of the ticket workflows. */
export class SfnWorkflowControl implements WorkflowControl {
  private readonly signals: SfnWorkflowSignals;

  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
  ) {
    this.signals = new SfnWorkflowSignals(sfn, stateMachineArn);
  }

  arnOf(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  async describe(executionArn: string): Promise<ExecutionDetail | undefined> {
    let described: DescribeExecutionCommandOutput;
    try {
      described = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
    return {
      name: described.name ?? '',
      arn: executionArn,
      status: described.status ?? 'UNKNOWN',
      startedAt: described.startDate ?? new Date(0),
      ...(described.stopDate && { stoppedAt: described.stopDate }),
      ...(described.error && { error: described.error }),
      ...(described.cause && { cause: described.cause }),
      redriveCount: described.redriveCount ?? 0,
    };
  }

  /** The newest state entered, read from the end of the history (one short page). */
  async lastState(executionArn: string): Promise<string | undefined> {
    try {
      const { events = [] } = await this.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }),
      );
      return events.find((event) => event.stateEnteredEventDetails?.name)?.stateEnteredEventDetails?.name;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  async list(status: string, nextToken?: string) {
    const page = await this.sfn.send(
      new ListExecutionsCommand({
        stateMachineArn: this.stateMachineArn,
        statusFilter: status as ExecutionStatus,
        maxResults: 1000,
        ...(nextToken && { nextToken }),
      }),
    );
    return {
      executions: (page.executions ?? []).map(
        (execution): ExecutionDetail => ({
          name: execution.name ?? '',
          arn: execution.executionArn ?? '',
          status: execution.status ?? status,
          startedAt: execution.startDate ?? new Date(0),
          ...(execution.stopDate && { stoppedAt: execution.stopDate }),
          redriveCount: execution.redriveCount ?? 0,
        }),
      ),
      ...(page.nextToken && { nextToken: page.nextToken }),
    };
  }

  async redrive(executionArn: string): Promise<RedriveOutcome> {
    try {
      await this.sfn.send(new RedriveExecutionCommand({ executionArn }));
      return { redriven: true };
    } catch (error) {
      // Past the 14 days after it stopped, or in a status that cannot be redriven.
      if (error instanceof ExecutionNotRedrivable) return { redriven: false, reason: error.message };
      throw error;
    }
  }

  async start(ticketNumber: number, generation: number): Promise<'started' | 'exists'> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(ticketNumber, generation),
          input: JSON.stringify({ ticketNumber, generation }),
        }),
      );
      return 'started';
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return 'exists';
      throw error;
    }
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    await this.sfn.send(new StopExecutionCommand({ executionArn, error: 'Reconciled', cause }));
  }

  wake(token: string, reasons: string[]): Promise<boolean> {
    return this.signals.wake(token, reasons);
  }
}
