/**
 * The two signals the rest of Tierdesk sends its workflows. Both are safe to repeat: a start is
 * idempotent by execution name, and a token that is no longer awaited is simply stale. The Step
 * Functions adapter is `adapters/sfn.ts`.
 */
export interface WorkflowSignals {
  start(ticketNumber: number): Promise<'started' | 'already running'>;
  /** Wakes a parked workflow; false when the token is stale (it woke, timed out, or finished). */
  wake(token: string, reasons: string[]): Promise<boolean>;
}
