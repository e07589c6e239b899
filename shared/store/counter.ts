import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TICKET_ENTITY } from './entities.ts';
import type { Key } from './keys.ts';

/** The next value of an atomic counter item: 1, 2, 3, … (never the same twice; a failed caller leaves a gap). */
export const nextCounterValue = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
): Promise<number> => {
  const { Attributes } = await db.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'ADD #value :one SET entity = :entity',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':one': 1, ':entity': TICKET_ENTITY.counter },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Attributes?.value as number;
};
