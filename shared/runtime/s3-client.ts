import { S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 client of the mail bucket, created once per container. The endpoint comes from the SDK's
 * own configuration (`AWS_ENDPOINT_URL_S3` locally), like the DynamoDB client's. A local S3
 * (s3rver) serves buckets by path, not by host name: `TIERDESK_S3_FORCE_PATH_STYLE=true` says so.
 */

const S3_FORCE_PATH_STYLE_VARIABLE = 'TIERDESK_S3_FORCE_PATH_STYLE';

export const s3ClientFromEnv = (env: NodeJS.ProcessEnv = process.env): S3Client =>
  new S3Client({ forcePathStyle: env[S3_FORCE_PATH_STYLE_VARIABLE] === 'true' });
