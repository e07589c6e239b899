import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import { documentClient, tableNameFromEnv } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { DynamoMailStore } from './adapters/dynamodb.ts';
import { S3AttachmentStore, S3RawMailStore } from './adapters/s3.ts';
import { mailBucketFromEnv, mailConfigFromEnv } from './config.ts';
import type { ReceiveDeps } from './receive.ts';

/** What the function runs on, wired from the environment (the stack or the local stack sets it). */
export const receiveDepsFromEnv = (): ReceiveDeps => {
  const tickets = ticketDepsFromEnv();
  const bucket = s3BucketFromEnv(mailBucketFromEnv());
  const { supportAddresses, dailyAutomaticMailCap } = mailConfigFromEnv();
  return {
    raw: new S3RawMailStore(bucket, tickets.clock),
    intake: {
      tickets,
      mail: new DynamoMailStore(documentClient(), tableNameFromEnv(), tickets.clock),
      config: { supportAddresses, dailyAutomaticMailCap },
      attachments: new S3AttachmentStore(bucket),
    },
  };
};
