import { isDeepStrictEqual } from 'node:util';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ConfigStore } from '#shared/config/config-store';
import { validateCalendar } from '#shared/domain/calendar';
import { ConflictError } from '#shared/domain/errors';
import type { Calendar, ServicePolicy, VendorContract } from '#shared/domain/service-levels';
import type { RoutingRule, TierGroup } from '#shared/domain/ticket';
import { CONFIG_ENTITY, type Entity } from '#shared/store/entities';
import { isConditionalCheckFailed } from '#shared/store/errors';
import { entityOf } from '#shared/store/items';
import {
  type ConfigKind,
  configKey,
  configPartition,
  type Key,
  policyCurrentKey,
  policyVersionKey,
} from '#shared/store/keys';

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

  async putCalendar(calendar: Calendar): Promise<void> {
    // The production write path checks what tests always did: zone, spans, holidays, some work.
    validateCalendar(calendar);
    return this.put(configKey('calendar', calendar.id), CONFIG_ENTITY.calendar, calendar);
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
    validateCalendar(policy.calendar);
    const key = policyVersionKey(policy.id, policy.version);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...key, entity: CONFIG_ENTITY.policy, ...policy },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
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
          ExpressionAttributeValues: { ':version': policy.version, ':entity': CONFIG_ENTITY.currentPolicy },
        }),
      );
    } catch (error) {
      // A newer version is already current: this one is stored for the record only.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  getVendor(vendorId: string) {
    return this.get<VendorContract>(configKey('vendor', vendorId));
  }

  listVendors() {
    return this.list<VendorContract>('vendor');
  }

  async putVendor(vendor: VendorContract): Promise<void> {
    validateCalendar(vendor.calendar);
    return this.put(configKey('vendor', vendor.vendorId), CONFIG_ENTITY.vendor, vendor);
  }

  getGroup(id: string) {
    return this.get<TierGroup>(configKey('group', id));
  }

  listGroups() {
    return this.list<TierGroup>('group');
  }

  putGroup(group: TierGroup) {
    return this.put(configKey('group', group.id), CONFIG_ENTITY.group, group);
  }

  routingRules() {
    return this.list<RoutingRule>('routing');
  }

  putRoutingRule(rule: RoutingRule) {
    return this.put(configKey('routing', rule.categoryPrefix), CONFIG_ENTITY.routingRule, rule);
  }

  private async get<T>(key: Key, consistent = false): Promise<T | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: consistent }),
    );
    return Item ? entityOf<T>(Item) : undefined;
  }

  private async put(key: Key, entity: Entity, value: object): Promise<void> {
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
