import { type DynamoDBDocumentClient, UpdateCommand } from '#shared/store/sdk';
import { type Entity, TICKET_ENTITY } from './entities.ts';
import type { Key } from './keys.ts';
import { TABLE } from './table.ts';

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

/**
 * The UpdateItem input that counts one more in a counter item that expires (a daily mail count,
 * a rate-limit window): the first count sets its expiry, later ones leave it. With `below`, the
 * count is only taken while it is under that number (ConditionalCheckFailed otherwise).
 */
export const expiringCount = (
  tableName: string,
  key: Key,
  entity: Entity,
  expiresAt: number,
  below?: number,
) => ({
  TableName: tableName,
  Key: key,
  UpdateExpression: 'ADD #count :one SET #entity = :entity, #expiresAt = if_not_exists(#expiresAt, :ttl)',
  ...(below !== undefined && { ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit' }),
  ExpressionAttributeNames: {
    '#count': 'count',
    '#entity': 'entity',
    '#expiresAt': TABLE.timeToLiveAttribute,
  },
  ExpressionAttributeValues: {
    ':one': 1,
    ':entity': entity,
    ':ttl': expiresAt,
    ...(below !== undefined && { ':limit': below }),
  },
});
