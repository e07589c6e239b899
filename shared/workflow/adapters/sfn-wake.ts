import { SFNClient } from '#shared/runtime/sfn';
import { SfnWorkflowSignals } from './sfn.ts';

/**
 * A workflow task's way to wake an execution (a park that lost a race with a change): a chunk of
 * its own that the tasks load on first use, with the Step Functions client (`deps.ts`).
 */
export const sfnWake = (workflowArn: string) => {
  const signals = new SfnWorkflowSignals(new SFNClient({}), workflowArn);
  return (token: string, reasons: string[]) => signals.wake(token, reasons);
};
