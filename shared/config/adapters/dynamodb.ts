import { BUILT_IN_DESK } from '#shared/config/built-in';
import type { ConfigCommit, ConfigRecord, ConfigStore, StoredConfig } from '#shared/config/config-store';
import type { ConfigKind, DeskConfig } from '#shared/config/desk';
import { VersionMismatchError } from '#shared/domain/errors';
import * as z from '#shared/runtime/zod';
import { positionSchema } from '#shared/store/cursor';
import { CONFIG_ENTITY } from '#shared/store/entities';
import { isConditionFailure } from '#shared/store/errors';
import { entityOf, type Item } from '#shared/store/items';
import {
  CONFIG_CURRENT_KEY,
  CONFIG_PARTITIONS,
  CONFIG_POINTER_KEY,
  configVersionKey,
  configVersionOf,
} from '#shared/store/keys';
import { type PageRequest, queryPage } from '#shared/store/query-page';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '#shared/store/sdk';

const BUILT_IN_STORED: StoredConfig = {
  version: 0,
  document: BUILT_IN_DESK,
  policyVersions: {},
  revisions: {},
};

const VersionSchema = /* @__PURE__ */ z.built(() => z.int().check(z.gte(1)));
const VersionPositionSchema = /* @__PURE__ */ positionSchema(() => VersionSchema);

/**
 * The configuration in the single table: the current document in one item, every version of it
 * beside, and the change records twice — all kinds in one partition, each kind in its own — so the
 * audit log pages by version with one Query whichever way it is filtered.
 */
export class DynamoConfigStore implements ConfigStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async current({ consistent = false } = {}): Promise<StoredConfig> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: CONFIG_CURRENT_KEY, ConsistentRead: consistent }),
    );
    return Item ? storedOf(Item) : BUILT_IN_STORED;
  }

  async currentVersion(): Promise<number | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: CONFIG_POINTER_KEY }),
    );
    return Item ? VersionSchema.parse(Item.version) : undefined;
  }

  async version(version: number): Promise<StoredConfig | undefined> {
    if (version === 0) return BUILT_IN_STORED;
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: configVersionKey(CONFIG_PARTITIONS.versions, version),
      }),
    );
    return Item ? storedOf(Item) : undefined;
  }

  async records(kind: ConfigKind | undefined, page: PageRequest) {
    const partition = kind ? CONFIG_PARTITIONS.audit(kind) : CONFIG_PARTITIONS.history;
    const { items, nextCursor } = await queryPage(
      this.db,
      this.tableName,
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
      },
      {
        partition,
        position: VersionPositionSchema,
        startKey: (version) => ({ ...configVersionKey(partition, version) }),
        positionOf: configVersionOf,
      },
      page,
    );
    return { items: items.map((item) => entityOf<ConfigRecord>(item)), ...(nextCursor && { nextCursor }) };
  }

  async commit({ expected, document, policyVersions, revisions, record }: ConfigCommit): Promise<number> {
    const version = expected + 1;
    const stored = { version, document, policyVersions, revisions, at: record.at, by: record.by };
    const full: ConfigRecord = { version, ...record };
    const kinds = [...new Set(record.changes.map((change) => change.kind))];
    const put = (key: { pk: string; sk: string }, entity: string, value: object, condition?: object) => ({
      Put: { TableName: this.tableName, Item: { ...key, entity, ...value }, ...condition },
    });
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            put(CONFIG_CURRENT_KEY, CONFIG_ENTITY.current, stored, {
              ConditionExpression: expected === 0 ? 'attribute_not_exists(pk)' : '#version = :expected',
              ...(expected !== 0 && {
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expected },
              }),
            }),
            // Unconditional: the current document's condition above decides the whole change.
            put(CONFIG_POINTER_KEY, CONFIG_ENTITY.pointer, { version }),
            put(configVersionKey(CONFIG_PARTITIONS.versions, version), CONFIG_ENTITY.version, stored, {
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
            put(configVersionKey(CONFIG_PARTITIONS.history, version), CONFIG_ENTITY.record, full),
            ...kinds.map((kind) =>
              put(configVersionKey(CONFIG_PARTITIONS.audit(kind), version), CONFIG_ENTITY.record, {
                ...full,
                changes: record.changes.filter((change) => change.kind === kind),
              }),
            ),
          ],
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const { version: actual } = await this.current({ consistent: true });
      throw new VersionMismatchError(expected, actual, 'The configuration');
    }
    return version;
  }
}

const storedOf = (item: Item): StoredConfig => {
  const { version, document, policyVersions, revisions, at, by } = entityOf<StoredConfig>(item);
  return {
    version,
    document: document as DeskConfig,
    policyVersions: policyVersions ?? {},
    revisions: revisions ?? {},
    ...(at && { at }),
    ...(by && { by }),
  };
};
