/**
 * The Step Functions API the workflow and operations adapters are written against. Here, for the
 * tests and the local stack, the SDK's; in the Lambda bundles (the `lambda` condition of this
 * import in package.json) the lean client of `lean-aws/sfn.ts`, with the same names.
 */

export type { DescribeExecutionCommandOutput, ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
export {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
