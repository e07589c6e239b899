import { type DynamoDBDocumentClient, PutCommand } from '#shared/store/sdk';
import type { Entity } from './entities.ts';
import { isConditionalCheckFailed } from './errors.ts';
import type { Item } from './items.ts';
import type { Key } from './keys.ts';
import { TABLE } from './table.ts';

/**
 * A claim held as a lease: the first run to write the item owns the work it names (a received
 * mail, a mail to send); while it carries the work out the item stays in `busyState`, and it ends
 * in a final state of the caller's. A claim still busy after `leaseSeconds` was left by a run
 * that can no longer be alive (no Lambda runs longer than 15 minutes): it is taken over, so the
 * work is not lost with that run. A claim in a final state is never taken over.
 */
export interface LeaseRequest {
  key: Key;
  entity: Entity;
  /** The state of a claim whose run is carrying the work out. */
  busyState: string;
  /** More attributes of the claim (what it is about). */
  attributes?: Item;
  /** Epoch seconds, from the caller's clock. */
  now: number;
  leaseSeconds: number;
  /** How long the claim is remembered (the table's TTL deletes it later). */
  ttlSeconds: number;
  /** A claim past its TTL counts as free (it may linger for days until TTL deletes it). */
  expiredIsFree?: boolean;
}

export type LeaseResult = { claimed: true } | { claimed: false; state: unknown };

export const claimLease = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  request: LeaseRequest,
): Promise<LeaseResult> => {
  const { key, entity, busyState, attributes, now, leaseSeconds, ttlSeconds, expiredIsFree } = request;
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...key,
          entity,
          ...attributes,
          state: busyState,
          claimedAt: now,
          [TABLE.timeToLiveAttribute]: now + ttlSeconds,
        },
        ConditionExpression: [
          'attribute_not_exists(pk)',
          ...(expiredIsFree ? ['#expiresAt < :now'] : []),
          '(#state = :busy AND #claimedAt < :stale)',
        ].join(' OR '),
        ExpressionAttributeNames: {
          '#state': 'state',
          '#claimedAt': 'claimedAt',
          ...(expiredIsFree && { '#expiresAt': TABLE.timeToLiveAttribute }),
        },
        ExpressionAttributeValues: {
          ':busy': busyState,
          ':stale': now - leaseSeconds,
          ...(expiredIsFree && { ':now': now }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { claimed: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return { claimed: false, state: error.Item?.state?.S };
  }
};
