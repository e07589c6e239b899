/**
 * Where the knowledge base's search index lives: one serialized object in a bucket, built by the
 * stream processor when articles change and loaded once per container by whoever searches
 * (refreshed when it changes). The stack (or the local stack) sets `TIERDESK_KB_BUCKET`.
 */

export const KB_VARIABLES = { bucket: 'TIERDESK_KB_BUCKET' } as const;

/** Everything the knowledge base keeps in its bucket is under this prefix. */
export const KB_PREFIX = 'kb/';
export const KB_INDEX_KEY = `${KB_PREFIX}index.json.gz`;

export const kbBucketFromEnv = (env: NodeJS.ProcessEnv = process.env): string => {
  const bucket = env[KB_VARIABLES.bucket];
  if (!bucket)
    throw new Error(`${KB_VARIABLES.bucket} is not set: the stack (or the local stack) provides it.`);
  return bucket;
};

/**
 * The API's public address (`https://…/`), for links to articles in mail. Optional: without it
 * a suggestion is listed by title only.
 */
export const PUBLIC_API_URL_VARIABLE = 'TIERDESK_PUBLIC_API_URL';
