/** The port to what automatic assignment counts (the DynamoDB adapter is `adapters/dynamodb/assignment.ts`). */
export interface AssignmentLedger {
  /** How many unresolved tickets are assigned to a person. */
  countAssigned(email: string): Promise<number>;
  /** The next turn of a group's round robin: 1, 2, 3, … (atomic; never the same twice). */
  nextAssignmentTurn(groupId: string): Promise<number>;
}
