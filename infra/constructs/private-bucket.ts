import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CorsRule,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * A bucket only the stack's own functions (and a service it names) ever touch: its own rotating
 * KMS key, no public access, TLS only, bucket-owner objects, versioned (an overwrite or delete by
 * mistake leaves the previous version), kept when the stack goes, and a clean-up rule for stale
 * delete markers and unfinished uploads. The mail bucket and the knowledge-base bucket are two.
 */
export interface PrivateBucketProps {
  /** What the key encrypts, for the key's description. */
  purpose: string;
  /** Lifecycle rules of the data; the clean-up rule is added. */
  lifecycleRules: LifecycleRule[];
  /**
   * A bucket key spares a KMS call per object operation, at the cost of per-object key use in
   * CloudTrail: worth it where reads are frequent.
   */
  bucketKeyEnabled: boolean;
  /** Why the bucket needs no server access log (cdk-nag AwsSolutions-S1): who can reach it. */
  noAccessLogReason: string;
  /** Browser origins that may post presigned uploads (and fetch presigned downloads); none by default. */
  cors?: CorsRule[];
}

export class PrivateBucket extends Construct {
  readonly key: Key;
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', { description: `Encrypts ${props.purpose}`, enableKeyRotation: true });
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: props.bucketKeyEnabled,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.cors?.length ? { cors: props.cors } : {}),
      lifecycleRules: [
        ...props.lifecycleRules,
        {
          id: 'clean-up',
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        `${props.noAccessLogReason} The stack has no access-log bucket, and object-level auditing belongs ` +
        "to a CloudTrail trail with S3 data events, which is the account's to configure.",
    });
  }
}
