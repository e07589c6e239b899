import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KB_PREFIX, KB_VARIABLES } from '#shared/kb/config';
import type { LambdaFunction } from './lambda-function.ts';
import { PrivateBucket } from './private-bucket.ts';

/** Days a replaced or deleted index stays restorable (see docs/knowledge-base-on-aws.md). */
export const KB_NONCURRENT_VERSION_DAYS = 3;

/**
 * Memory for every function that loads the search index. Lambda gives CPU in proportion to
 * memory, one full vCPU at 1,769 MB, and loading the index (JSON.parse plus MiniSearch's
 * loadJSON, single-threaded) is CPU-bound: ~0.5 s on one core at 5,000 articles, about three
 * times that at the default 512 MB, paid on every cold start of a search function.
 */
export const KB_INDEX_MEMORY_MB = 1769;

/**
 * The knowledge base's storage on AWS: a bucket holding the search index (`KB_INDEX_KEY`, under
 * `KB_PREFIX`), built by the stream processor whenever an article changes and loaded by the
 * functions that search. The articles themselves live in the table; the index is derived from
 * them and can be rebuilt at any time, so the bucket holds nothing the table does not.
 */
export class KnowledgeBase extends Construct {
  readonly key: Key;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // A key of its own, like the mail bucket's: the index carries internal and draft articles'
    // text, and access to it can be audited and revoked through the key.
    const storage = new PrivateBucket(this, 'KbStorage', {
      purpose: 'the Tierdesk knowledge-base search index',
      // Every cold start of every searching function reads the index: a bucket key spares a KMS
      // call per read. Per-object CloudTrail entries matter less for data derived from the table.
      bucketKeyEnabled: true,
      // Versioned: a bad build overwrites the index; the previous version stays restorable for a
      // few days (copy it over the current one) while the cause is fixed.
      lifecycleRules: [
        {
          id: 'expire-replaced-index',
          prefix: KB_PREFIX,
          // Every article change writes a new index (~4 MiB gzipped at 5,000 articles): old
          // versions would otherwise pile up at the pace of editing.
          noncurrentVersionExpiration: Duration.days(KB_NONCURRENT_VERSION_DAYS),
        },
      ],
      noAccessLogReason:
        'Only the functions that search (read) and the stream processor (write) can reach this bucket, each ' +
        'confined to kb/ by policy, and it holds an index derived from the table.',
    });
    this.key = storage.key;
    this.bucket = storage.bucket;
  }

  /**
   * For a function that loads the index: read `kb/*`, list the bucket, decrypt with the key, and
   * the bucket's name in `TIERDESK_KB_BUCKET`. Listing lets a missing index (no article published
   * yet) answer 404 NoSuchKey rather than 403, so the reader can tell "empty" from "forbidden".
   */
  grantReadIndex(fn: LambdaFunction): void {
    this.grantObjects(fn, ['s3:GetObject']);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    this.key.grant(fn.role, 'kms:Decrypt');
    fn.fn.addEnvironment(KB_VARIABLES.bucket, this.bucket.bucketName);
  }

  /**
   * For the function that builds the index: everything a reader has, since a build looks at the
   * current object first (its ETag and build time: the write is conditional, so an older build
   * never replaces a newer one), plus writing `kb/*`. GenerateDataKey encrypts a new object;
   * Decrypt is also what S3 needs should an upload go in parts. No delete: nothing removes the index.
   */
  grantWriteIndex(fn: LambdaFunction): void {
    this.grantReadIndex(fn);
    this.grantObjects(fn, ['s3:PutObject']);
    this.key.grant(fn.role, 'kms:GenerateDataKey');
  }

  /** Object actions under `kb/`, and nothing else of the bucket. */
  private grantObjects(fn: LambdaFunction, actions: string[]): void {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({ actions, resources: [this.bucket.arnForObjects(`${KB_PREFIX}*`)] }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/${KB_PREFIX}*]`,
      reason: `Index objects are named by the knowledge base; the wildcard covers only the ${KB_PREFIX} prefix of the KB bucket.`,
    });
  }
}
