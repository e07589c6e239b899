import { optionalEnv } from '#shared/runtime/env';
import { loadOnce } from '#shared/runtime/lazy';
import { type AttachmentFiles, uploadKey } from './attachments.ts';
import { TICKET_VARIABLES } from './config.ts';

/**
 * Where the functions that take or serve attachment files keep them, from the environment (none
 * where the stack sets no bucket: such a desk takes no files). A module of its own, so that the
 * ticket functions that handle no files do not bundle the S3 adapter; and where a function does,
 * it loads with the first file it handles: most comments and console requests carry none.
 */
export const attachmentFilesFromEnv = (env: NodeJS.ProcessEnv = process.env): AttachmentFiles | undefined => {
  const bucket = optionalEnv(TICKET_VARIABLES.attachmentBucket, env);
  if (!bucket) return undefined;
  const s3 = loadOnce(async () => {
    const [{ S3AttachmentFiles }, { s3BucketFromEnv }] = await Promise.all([
      import('./adapters/s3/attachment-files.ts'),
      import('#shared/runtime/s3-bucket'),
    ]);
    return new S3AttachmentFiles(s3BucketFromEnv(bucket, env));
  });
  return {
    uploadKey: (ticket, id) => uploadKey(ticket, id),
    uploadForm: async (key, conditions) => (await s3()).uploadForm(key, conditions),
    inspect: async (key) => (await s3()).inspect(key),
    downloadUrl: async (key, response) => (await s3()).downloadUrl(key, response),
  };
};
