import {
  type AwsClientConfig,
  AwsJsonClient,
  AwsServiceException,
  type JsonService,
  timestamp,
} from './json-client.ts';

/**
 * Step Functions on the lean JSON client (`json-client.ts`): the commands and exceptions the
 * workflow and operations adapters use, with the SDK's names (`#shared/runtime/sfn`).
 */

/** The fields of Step Functions' answers that are timestamps (seconds since the epoch on the wire). */
const TIMESTAMPS = new Set(['startDate', 'stopDate', 'redriveDate', 'timestamp']);

/** Any error Step Functions answers with (the SDK's base class of its exceptions). */
export { AwsServiceException as SFNServiceException } from './json-client.ts';

// The exceptions the adapters tell apart (`error instanceof ExecutionDoesNotExist`).
export class ExecutionAlreadyExists extends AwsServiceException {
  override readonly name = 'ExecutionAlreadyExists';
}
export class ExecutionDoesNotExist extends AwsServiceException {
  override readonly name = 'ExecutionDoesNotExist';
}
export class ExecutionNotRedrivable extends AwsServiceException {
  override readonly name = 'ExecutionNotRedrivable';
}
export class InvalidToken extends AwsServiceException {
  override readonly name = 'InvalidToken';
}
export class TaskDoesNotExist extends AwsServiceException {
  override readonly name = 'TaskDoesNotExist';
}
export class TaskTimedOut extends AwsServiceException {
  override readonly name = 'TaskTimedOut';
}

const STEP_FUNCTIONS: JsonService = {
  signingName: 'states',
  hostPrefix: 'states',
  targetPrefix: 'AWSStepFunctions',
  jsonVersion: '1.0',
  endpointId: 'SFN',
  reviver: (key, value) => (TIMESTAMPS.has(key) && typeof value === 'number' ? timestamp(value) : value),
  exceptions: {
    ExecutionAlreadyExists,
    ExecutionDoesNotExist,
    ExecutionNotRedrivable,
    InvalidToken,
    TaskDoesNotExist,
    TaskTimedOut,
  },
};

// biome-ignore lint/suspicious/noExplicitAny: inputs and outputs are typed by the SDK's declarations
type Loose = any;

abstract class SfnCommand {
  abstract readonly operation: string;
  constructor(readonly input: Loose) {}
}
export class DescribeExecutionCommand extends SfnCommand {
  readonly operation = 'DescribeExecution';
}
export class GetExecutionHistoryCommand extends SfnCommand {
  readonly operation = 'GetExecutionHistory';
}
export class ListExecutionsCommand extends SfnCommand {
  readonly operation = 'ListExecutions';
}
export class RedriveExecutionCommand extends SfnCommand {
  readonly operation = 'RedriveExecution';
}
export class SendTaskSuccessCommand extends SfnCommand {
  readonly operation = 'SendTaskSuccess';
}
export class StartExecutionCommand extends SfnCommand {
  readonly operation = 'StartExecution';
}
export class StopExecutionCommand extends SfnCommand {
  readonly operation = 'StopExecution';
}

export class SFNClient extends AwsJsonClient {
  constructor(config: AwsClientConfig = {}) {
    super(STEP_FUNCTIONS, config);
  }

  send(command: SfnCommand): Promise<Loose> {
    return this.call(command.operation, command.input);
  }
}
