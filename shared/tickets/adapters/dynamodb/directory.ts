import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { ContentionError } from '#shared/domain/errors';
import type { Tier } from '#shared/domain/ticket-fields';
import { DIRECTORY_ENTITY } from '#shared/store/entities';
import { backoffUntil, isConditionFailure, RETRY, retryDeadline } from '#shared/store/errors';
import { entityOf, type Item } from '#shared/store/items';
import { memberKey, SUPERVISOR_MEMBER_PARTITION, tierMemberPartition, userKey } from '#shared/store/keys';
import type { Directory, DirectoryUser } from '#shared/tickets/directory';

/** A directory entry's optimistic-lock counter; storage only, never part of the entry. */
const USER_REVISION = 'revision';

const directoryUserOf = (item: Item): DirectoryUser => {
  const { [USER_REVISION]: _revision, ...user } = entityOf<DirectoryUser & { [USER_REVISION]?: number }>(
    item,
  );
  return user;
};

/** The membership partitions a directory entry is copied into (see `tierMemberPartition`). */
const membershipsOf = (user: Pick<DirectoryUser, 'role' | 'tiers'>): string[] => {
  if (user.role === 'agent') return user.tiers.map(tierMemberPartition);
  return user.role === 'supervisor' ? [SUPERVISOR_MEMBER_PARTITION] : [];
};

/**
 * The people directory in the single table: one entry per person, copied into a membership
 * partition per tier (and one for supervisors), so "the agents of Tier 2" is one Query.
 */
export class DynamoDirectory implements Directory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** How long lost races are retried before ContentionError (default RETRY.budgetMs). */
    private readonly retryBudgetMs: number = RETRY.budgetMs,
  ) {}

  async getUser(email: string): Promise<DirectoryUser | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: userKey(email) }));
    return Item ? directoryUserOf(Item) : undefined;
  }

  /**
   * The entry and its tier memberships in one transaction, conditional on the revision the
   * memberships to drop were computed from: two admins changing one person cannot leave a
   * membership behind.
   */
  async putUser(user: DirectoryUser): Promise<void> {
    const deadline = retryDeadline(this.retryBudgetMs);
    for (let attempt = 0; ; attempt++) {
      const { Item: before } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: userKey(user.email), ConsistentRead: true }),
      );
      const revision = before?.[USER_REVISION] as number | undefined;
      const memberships = membershipsOf(user);
      const dropped = before
        ? membershipsOf(directoryUserOf(before)).filter((partition) => !memberships.includes(partition))
        : [];
      const condition = !before
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : revision === undefined
          ? {
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#revision)',
              ExpressionAttributeNames: { '#revision': USER_REVISION },
            }
          : {
              ConditionExpression: '#revision = :seen',
              ExpressionAttributeNames: { '#revision': USER_REVISION },
              ExpressionAttributeValues: { ':seen': revision },
            };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...userKey(user.email),
                    entity: DIRECTORY_ENTITY.user,
                    ...user,
                    [USER_REVISION]: (revision ?? 0) + 1,
                  },
                  ...condition,
                },
              },
              ...memberships.map((partition) => ({
                Put: {
                  TableName: this.tableName,
                  Item: { ...memberKey(partition, user.email), entity: DIRECTORY_ENTITY.member, ...user },
                },
              })),
              ...dropped.map((partition) => ({
                Delete: { TableName: this.tableName, Key: memberKey(partition, user.email) },
              })),
            ],
          }),
        );
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (!(await backoffUntil(deadline, attempt))) {
          throw new ContentionError(`The directory entry of ${user.email} is changing too fast; try again.`);
        }
      }
    }
  }

  tierMembers(tier: Tier): Promise<DirectoryUser[]> {
    return this.membersOf(tierMemberPartition(tier));
  }

  supervisors(): Promise<DirectoryUser[]> {
    return this.membersOf(SUPERVISOR_MEMBER_PARTITION);
  }

  private async membersOf(partition: string): Promise<DirectoryUser[]> {
    const members: DirectoryUser[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      },
    );
    for await (const { Items = [] } of pages) members.push(...Items.map(directoryUserOf));
    return members;
  }
}
