import {
  type AwsClientConfig,
  AwsJsonClient,
  commandClass,
  exceptionClasses,
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

/** The exceptions the adapters tell apart (`error instanceof ExecutionDoesNotExist`). */
const EXCEPTIONS = exceptionClasses(
  'ExecutionAlreadyExists',
  'ExecutionDoesNotExist',
  'ExecutionNotRedrivable',
  'InvalidToken',
  'TaskDoesNotExist',
  'TaskTimedOut',
);
export const {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidToken,
  TaskDoesNotExist,
  TaskTimedOut,
} = EXCEPTIONS;

const STEP_FUNCTIONS: JsonService = {
  signingName: 'states',
  hostPrefix: 'states',
  targetPrefix: 'AWSStepFunctions',
  jsonVersion: '1.0',
  endpointId: 'SFN',
  reviver: (key, value) => (TIMESTAMPS.has(key) && typeof value === 'number' ? timestamp(value) : value),
  exceptions: EXCEPTIONS,
};

export const DescribeExecutionCommand = commandClass('DescribeExecution');
export const GetExecutionHistoryCommand = commandClass('GetExecutionHistory');
export const ListExecutionsCommand = commandClass('ListExecutions');
export const RedriveExecutionCommand = commandClass('RedriveExecution');
export const SendTaskSuccessCommand = commandClass('SendTaskSuccess');
export const StartExecutionCommand = commandClass('StartExecution');
export const StopExecutionCommand = commandClass('StopExecution');

export class SFNClient extends AwsJsonClient {
  constructor(config: AwsClientConfig = {}) {
    super(STEP_FUNCTIONS, config);
  }
}
