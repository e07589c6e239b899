import { ContentionError, PreconditionFailedError } from '#shared/domain/errors';
import type { Tier } from '#shared/domain/ticket-fields';
import * as z from '#shared/runtime/zod';
import { positionSchema } from '#shared/store/cursor';
import { DIRECTORY_ENTITY } from '#shared/store/entities';
import { backoffUntil, isConditionFailure, RETRY, retryDeadline } from '#shared/store/errors';
import { entityOf, type Item } from '#shared/store/items';
import {
  groupMemberPartition,
  memberKey,
  memberPosition,
  PEOPLE_PARTITION,
  rolePartition,
  SUPERVISOR_MEMBER_PARTITION,
  statePartition,
  tierMemberPartition,
  userKey,
} from '#shared/store/keys';
import { type Page, type PageRequest, queryPage } from '#shared/store/query-page';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '#shared/store/sdk';
import type {
  Directory,
  DirectoryEntry,
  DirectoryFilter,
  DirectoryUser,
  ExpectedRevision,
} from '#shared/tickets/directory';

/** A page of a group's members resumes after a member's address. */
const MemberPositionSchema = /* @__PURE__ */ positionSchema(() => z.string());

/**
 * An entry as read. Entries written before tier groups existed have neither `groups` nor
 * `active`: they read as active, in the groups named after their tiers (`tier1`…`tier3`, the
 * groups every desk had then), in UTC, at revision 0 if they never had one.
 */
const directoryUserOf = (item: Item): DirectoryUser => {
  const entry = entityOf<DirectoryEntry & { revision?: number }>(item);
  return {
    ...entry,
    groups: entry.groups ?? (entry.role === 'agent' ? entry.tiers.map((tier) => `tier${tier}`) : []),
    timeZone: entry.timeZone ?? 'UTC',
    active: entry.active ?? true,
    revision: entry.revision ?? 0,
  };
};

/** The membership partitions a directory entry is copied into (see `keys.ts`). */
const membershipsOf = (user: DirectoryUser): string[] => [
  PEOPLE_PARTITION,
  rolePartition(user.role),
  statePartition(user.active),
  ...(user.role === 'agent'
    ? [...user.tiers.map(tierMemberPartition), ...user.groups.map(groupMemberPartition)]
    : []),
];

/** The narrowest partition for a filter; the other filters are applied on it. */
const partitionFor = ({ group, role, active }: DirectoryFilter): string =>
  group !== undefined
    ? groupMemberPartition(group)
    : role !== undefined
      ? rolePartition(role)
      : active !== undefined
        ? statePartition(active)
        : PEOPLE_PARTITION;

const filterFor = (filter: DirectoryFilter, partition: string) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const terms: string[] = [];
  if (filter.role !== undefined && partition !== rolePartition(filter.role)) {
    terms.push('#role = :role');
    names['#role'] = 'role';
    values[':role'] = filter.role;
  }
  if (filter.active !== undefined && partition !== statePartition(filter.active)) {
    // Old entries have no `active`: they are active.
    terms.push(filter.active ? '(#active = :true OR attribute_not_exists(#active))' : '#active = :false');
    names['#active'] = 'active';
    values[filter.active ? ':true' : ':false'] = filter.active;
  }
  return terms.length === 0
    ? {}
    : {
        FilterExpression: terms.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      };
};

/**
 * The people directory in the single table: one entry per person, copied into membership
 * partitions (everyone, per role, per state, per tier and tier group of an agent), so "the agents
 * of group tier2" or "the active admins" is one Query on the table itself, with no index and no Scan.
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
   * The entry and its memberships in one transaction, conditional on the revision the
   * memberships to drop were computed from: two admins changing one person cannot leave a
   * membership behind. With `expected`, a lost race is the caller's 412, not retried.
   */
  async putUser(entry: DirectoryEntry, expected?: ExpectedRevision): Promise<DirectoryUser> {
    const deadline = retryDeadline(this.retryBudgetMs);
    for (let attempt = 0; ; attempt++) {
      const { Item: before } = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: userKey(entry.email), ConsistentRead: true }),
      );
      const previous = before ? directoryUserOf(before) : undefined;
      assertExpected(entry.email, previous, expected);
      const user = directoryUserOf({ ...entry, revision: (previous?.revision ?? 0) + 1 });
      const memberships = membershipsOf(user);
      const dropped = previous
        ? membershipsOf(previous).filter((partition) => !memberships.includes(partition))
        : [];
      const condition = !before
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : before.revision === undefined
          ? {
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#revision)',
              ExpressionAttributeNames: { '#revision': 'revision' },
            }
          : {
              ConditionExpression: '#revision = :seen',
              ExpressionAttributeNames: { '#revision': 'revision' },
              ExpressionAttributeValues: { ':seen': before.revision },
            };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...userKey(user.email), entity: DIRECTORY_ENTITY.user, ...user },
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
        return user;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        if (expected !== undefined) throw changedMeanwhile(entry.email);
        if (!(await backoffUntil(deadline, attempt))) {
          throw new ContentionError(`The directory entry of ${entry.email} is changing too fast; try again.`);
        }
      }
    }
  }

  async listUsers(filter: DirectoryFilter, page: PageRequest): Promise<Page<DirectoryUser>> {
    const partition = partitionFor(filter);
    const { ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = filterFor(filter, partition);
    const found = await queryPage(
      this.db,
      this.tableName,
      {
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk', ...ExpressionAttributeNames },
        ExpressionAttributeValues: { ':pk': partition, ...ExpressionAttributeValues },
        ...rest,
      },
      {
        partition,
        position: MemberPositionSchema,
        startKey: (email) => memberKey(partition, email) as unknown as Item,
        positionOf: memberPosition,
      },
      page,
    );
    return { ...found, items: found.items.map(directoryUserOf) };
  }

  tierMembers(tier: Tier): Promise<DirectoryUser[]> {
    return this.membersOf(tierMemberPartition(tier));
  }

  groupMembers(group: string): Promise<DirectoryUser[]> {
    return this.membersOf(groupMemberPartition(group));
  }

  supervisors(): Promise<DirectoryUser[]> {
    return this.membersOf(SUPERVISOR_MEMBER_PARTITION);
  }

  async activeAdmins(): Promise<DirectoryUser[]> {
    const admins = await this.membersOf(rolePartition('admin'));
    return admins.filter((admin) => admin.active);
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

const changedMeanwhile = (email: string) =>
  new PreconditionFailedError(
    `The directory entry of ${email} changed since it was read; fetch it again (its ETag) and retry.`,
  );

const assertExpected = (email: string, previous: DirectoryUser | undefined, expected?: ExpectedRevision) => {
  if (expected === undefined) return;
  if (expected === null ? previous !== undefined : previous?.revision !== expected) {
    throw changedMeanwhile(email);
  }
};
