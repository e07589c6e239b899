import type { WaitingPhase } from './definition.ts';

/**
 * Where a ticket's workflow is parked: the task token to complete when the ticket changes, and
 * the ticket version the workflow decided from. Kept beside the ticket, never in it, so parking
 * does not change the ticket (and so does not wake itself).
 */
export interface ParkingRecord {
  ticketNumber: number;
  token: string;
  version: number;
  phase: WaitingPhase;
  parkedAt: string;
  /** The execution that parked: the ops view starts from it. */
  execution: string;
}

/** The port to the parking records (the DynamoDB adapter is `adapters/dynamodb.ts`). */
export interface WorkflowStore {
  /**
   * Stores the token only if the ticket is still at `record.version`. Returns false when the
   * ticket changed after the workflow decided: the caller must wake the workflow itself, since
   * the change's stream record may already have looked for a token and found none.
   */
  park(record: ParkingRecord): Promise<boolean>;
  parked(ticketNumber: number): Promise<ParkingRecord | undefined>;
}
