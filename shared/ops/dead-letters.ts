/**
 * Stream batches the stream processor gave up on. On AWS the event source mapping's on-failure
 * destination (SQS) receives only where the batch is (shard, first and last sequence number);
 * whoever takes the message re-reads those records from the stream, which keeps them 24 hours,
 * and records here the tickets they were about. Locally the stream poller records the failed
 * record itself. The reconciliation repairs each ticket named here, then removes the entry.
 */

export interface DeadLetter {
  id: string;
  at: string;
  /** The tickets the failed records belong to (empty when they could no longer be read). */
  tickets: number[];
  /**
   * Why the records could not be read again (past the stream's 24 hours, the shard gone): the
   * tickets are unknown, and only the reconciliation's full walk of the tier queues covers them.
   */
  unrecoverable?: string;
  /** Where the batch was in the stream, and why it failed, for the record. */
  detail: Record<string, unknown>;
}

/** The port to the dead-lettered batches (the DynamoDB adapter is `adapters/dynamodb.ts`). */
export interface DeadLetterStore {
  add(deadLetter: DeadLetter): Promise<void>;
  /** The oldest entries first, at most `limit`. */
  list(limit: number): Promise<DeadLetter[]>;
  remove(deadLetter: DeadLetter): Promise<void>;
}
