import { isDeepStrictEqual } from 'node:util';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConfigStore } from '#shared/config/config-store';
import { ConflictError } from '#shared/domain/errors';
import type { Calendar, ServicePolicy, VendorContract } from '#shared/domain/service-levels';
import type { RoutingRule, TierGroup } from '#shared/domain/ticket';
import {
  type ConfigKind,
  configKey,
  configPartition,
  type Key,
  policyCurrentKey,
  policyVersionKey,
} from '#shared/store/keys';

type Item = Record<string, unknown>;

/** The entity without its storage attributes (config items carry no index keys). */
const entityOf = <T>(item: Item): T => {
  const { pk: _pk, sk: _sk, entity: _entity, ...entity } = item;
  return entity as T;
};

/** The desk's configuration in the single table: one partition per kind, policies by version. */
export class DynamoConfigStore implements ConfigStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  getCalendar(id: string) {
    return this.get<Calendar>(configKey('calendar', id));
  }

  listCalendars() {
    return this.list<Calendar>('calendar');
  }

  putCalendar(calendar: Calendar) {
    return this.put(configKey('calendar', calendar.id), 'calendar', calendar);
  }

  async getPolicy(id: string, version?: number): Promise<ServicePolicy | undefined> {
    const wanted = version ?? (await this.get<{ version: number }>(policyCurrentKey(id)))?.version;
    return wanted === undefined ? undefined : this.get<ServicePolicy>(policyVersionKey(id, wanted));
  }

  /**
   * Two conditional writes rather than one transaction, so that publishing an older version
   * than the current one still stores it: the version first (never overwritten), then the
   * pointer (only forward). A replay after a failure between the two completes the second.
   */
  async publishPolicy(policy: ServicePolicy): Promise<void> {
    const key = policyVersionKey(policy.id, policy.version);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: 'policy', ...policy },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const stored = await this.get<ServicePolicy>(key, true);
      if (!isDeepStrictEqual(stored, policy)) {
        throw new ConflictError(
          `Policy ${policy.id} version ${policy.version} is already published and versions never change; publish version ${policy.version + 1}.`,
        );
      }
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: policyCurrentKey(policy.id),
          UpdateExpression: 'SET #version = :version, entity = :entity',
          ConditionExpression: 'attribute_not_exists(pk) OR #version < :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': policy.version, ':entity': 'policy_current' },
        }),
      );
    } catch (error) {
      // A newer version is already current: this one is stored for the record only.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  getVendor(vendorId: string) {
    return this.get<VendorContract>(configKey('vendor', vendorId));
  }

  listVendors() {
    return this.list<VendorContract>('vendor');
  }

  putVendor(vendor: VendorContract) {
    return this.put(configKey('vendor', vendor.vendorId), 'vendor', vendor);
  }

  getGroup(id: string) {
    return this.get<TierGroup>(configKey('group', id));
  }

  listGroups() {
    return this.list<TierGroup>('group');
  }

  putGroup(group: TierGroup) {
    return this.put(configKey('group', group.id), 'group', group);
  }

  routingRules() {
    return this.list<RoutingRule>('routing');
  }

  putRoutingRule(rule: RoutingRule) {
    return this.put(configKey('routing', rule.categoryPrefix), 'routing_rule', rule);
  }

  private async get<T>(key: Key, consistent = false): Promise<T | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }),
    );
    return Item ? entityOf<T>(Item) : undefined;
  }

  private async put(key: Key, entity: string, value: object): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...key, entity, ...value } }));
  }

  private async list<T>(kind: ConfigKind): Promise<T[]> {
    const items: T[] = [];
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': configPartition(kind) },
      },
    );
    for await (const { Items = [] } of pages) items.push(...Items.map((item) => entityOf<T>(item)));
    return items;
  }
}
