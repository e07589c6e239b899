import { optionalEnv } from '#shared/runtime/env';
import { s3ClientFromEnv } from '#shared/runtime/s3-client';
import { S3AttachmentFiles } from './adapters/s3/attachment-files.ts';
import type { AttachmentFiles } from './attachments.ts';
import { TICKET_VARIABLES } from './config.ts';

/**
 * Where the functions that take or serve attachment files keep them, from the environment (none
 * where the stack sets no bucket: such a desk takes no files). A module of its own, so that the
 * ticket functions that handle no files do not bundle the S3 client.
 */
export const attachmentFilesFromEnv = (env: NodeJS.ProcessEnv = process.env): AttachmentFiles | undefined => {
  const bucket = optionalEnv(TICKET_VARIABLES.attachmentBucket, env);
  return bucket ? new S3AttachmentFiles(s3ClientFromEnv(env), bucket) : undefined;
};
