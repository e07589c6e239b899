import { nextCounterValue } from '#shared/store/counter';
import { assigneePartition, assignmentCounterKey } from '#shared/store/keys';
import { indexPartition } from '#shared/store/query-page';
import { type DynamoDBDocumentClient, paginateQuery } from '#shared/store/sdk';
import type { AssignmentLedger } from '#shared/tickets/assignment-ledger';

/** What automatic assignment counts: open assignments per agent, and each group's round-robin turn. */
export class DynamoAssignmentLedger implements AssignmentLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A COUNT query on the sparse assignee index: resolved and closed tickets are not in it. */
  async countAssigned(email: string): Promise<number> {
    let count = 0;
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        ...indexPartition('byAssignee', assigneePartition(email)),
        Select: 'COUNT',
      },
    );
    for await (const { Count = 0 } of pages) count += Count;
    return count;
  }

  nextAssignmentTurn(groupId: string): Promise<number> {
    return nextCounterValue(this.db, this.tableName, assignmentCounterKey(groupId));
  }
}
