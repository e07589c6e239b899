import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type IndexDefinition, TABLE } from '#shared/store/table';

/**
 * The single table, generated from `TABLE` so that AWS, DynamoDB Local and the tests share one
 * key design. Encrypted with a customer-managed key so that access to ticket data can be audited
 * and revoked through the key, independently of IAM on the table.
 *
 * `Table` rather than `TableV2`: a global table cannot render its customer-managed key in an
 * environment-agnostic stack, and this stack must synthesize without an account or region.
 */
export class Data extends Construct {
  readonly table: Table;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.key = new Key(this, 'TableKey', {
      description: 'Encrypts the Tierdesk table',
      enableKeyRotation: true,
    });

    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: stringKey(TABLE.partitionKey),
      sortKey: stringKey(TABLE.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      stream: StreamViewType[TABLE.stream],
    });
    for (const index of Object.values(TABLE.indexes) as IndexDefinition[]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        ...(index.include && {
          projectionType: ProjectionType.INCLUDE,
          nonKeyAttributes: [...index.include],
        }),
      });
    }
  }
}
