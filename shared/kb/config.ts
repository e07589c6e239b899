import { optionalEnv, requiredEnv } from '#shared/runtime/env';
/**
 * Where the knowledge base's search index lives: one serialized object in a bucket, built by the
 * stream processor when articles change and loaded once per container by whoever searches
 * (refreshed when it changes). The stack (or the local stack) sets `TIERDESK_KB_BUCKET`.
 */

export const KB_VARIABLES = { bucket: 'TIERDESK_KB_BUCKET' } as const;

/** Everything the knowledge base keeps in its bucket is under this prefix. */
export const KB_PREFIX = 'kb/';
export const KB_INDEX_KEY = `${KB_PREFIX}index.json.gz`;

export const kbBucketFromEnv = (env: NodeJS.ProcessEnv = process.env): string =>
  requiredEnv(KB_VARIABLES.bucket, env);

/** The KB bucket where a function may do without it (the stream processor rebuilds the index only then). */
export const kbBucketIfSet = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  optionalEnv(KB_VARIABLES.bucket, env);

/**
 * The API's public address (`https://…/`), for links to articles in mail. Optional: without it
 * a suggestion is listed by title only.
 */
export const PUBLIC_API_URL_VARIABLE = 'TIERDESK_PUBLIC_API_URL';

/** The API's public address without a trailing slash, when the stack names it. */
export const publicApiUrlFromEnv = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  optionalEnv(PUBLIC_API_URL_VARIABLE, env)?.replace(/\/$/, '');
