/**
 * The one definition of Tierdesk's single table. The CDK data construct, the local stack and the
 * integration tests all build the table from this object, so AWS, laptop and CI cannot drift.
 *
 * Generic key attributes (`pk`/`sk`, `gsiNpk`/`gsiNsk`) are overloaded by entity; which entity
 * writes what is decided in `keys.ts` and nowhere else.
 */

export interface IndexDefinition {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /** What the access pattern is, for people reading the table design. */
  serves: string;
  /**
   * The attributes an index row carries besides the keys (the table's and its own): every
   * attribute when absent. A narrow projection costs an index write only when a key or one of
   * these attributes changes, and one write unit per row of up to 1 KB.
   */
  include?: readonly string[];
}

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; idempotency records expire through it. */
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  indexes: {
    byPerson: {
      indexName: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      serves: 'tickets a person requested or watches, newest first',
    },
    tierQueue: {
      indexName: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      serves: 'unresolved tickets of a tier, by next due time (sparse)',
    },
    tierStatusQueue: {
      indexName: 'gsi3',
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      serves: 'unresolved tickets of a tier in one status, by next due time (sparse)',
    },
    byAssignee: {
      indexName: 'gsi4',
      partitionKey: 'gsi4pk',
      sortKey: 'gsi4sk',
      serves: 'unresolved tickets assigned to an agent, by next due time (sparse)',
    },
    finder: {
      indexName: 'gsi5',
      partitionKey: 'gsi5pk',
      sortKey: 'gsi5sk',
      serves: 'every ticket, newest first, for finding tickets by status, tier, priority and creation date',
      // What a search filters on; the rows of a page are read from the tickets themselves.
      include: ['status', 'tier', 'priority'],
    },
  },
} as const satisfies {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  stream: string;
  indexes: Record<string, IndexDefinition>;
};

export type IndexName = keyof typeof TABLE.indexes;

/** Every string key attribute of the table and its indexes (all keys are strings). */
export const keyAttributes = (): string[] => [
  TABLE.partitionKey,
  TABLE.sortKey,
  ...Object.values(TABLE.indexes).flatMap((index) => [index.partitionKey, index.sortKey]),
];

/** An index's projection, as CreateTable and CloudFormation spell it. */
const projectionOf = (index: IndexDefinition) =>
  index.include
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] }
    : { ProjectionType: 'ALL' as const };

/**
 * The CreateTable request for DynamoDB Local. Shaped like the SDK input, without importing the
 * SDK, so this module stays loadable from CDK code too.
 */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: keyAttributes().map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
  KeySchema: [
    { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: Object.values(TABLE.indexes).map((index) => ({
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: projectionOf(index),
  })),
  StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.stream },
});
