import { WORKFLOW_ENTITY } from '#shared/store/entities';
import { cancellationCode } from '#shared/store/errors';
import { ticketKey, workflowKey } from '#shared/store/keys';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '#shared/store/sdk';
import type { ParkingRecord, WorkflowStore } from '#shared/workflow/workflow-store';

/** The DynamoDB adapter of the parking records, kept beside each ticket's item. */
export class DynamoWorkflowStore implements WorkflowStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores the token only if the ticket is still at `record.version`. Returns false when the
   * ticket changed after the workflow decided: the caller must wake the workflow itself, since
   * the change's stream record may already have looked for a token and found none.
   */
  async park(record: ParkingRecord): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: ticketKey(record.ticketNumber),
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': record.version },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...workflowKey(record.ticketNumber), entity: WORKFLOW_ENTITY.workflow, ...record },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCode(error, 0) === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async parked(ticketNumber: number): Promise<ParkingRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: workflowKey(ticketNumber), ConsistentRead: true }),
    );
    return Item
      ? {
          ticketNumber,
          token: Item.token,
          version: Item.version,
          phase: Item.phase,
          parkedAt: Item.parkedAt,
          execution: Item.execution,
        }
      : undefined;
  }
}
