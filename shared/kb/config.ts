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

/**
 * What one anonymous source (an address, API Gateway's `sourceIp`) may ask of the knowledge base
 * without signing in, per window. API Gateway's stage throttling is one bucket for every caller,
 * so one busy address could starve everybody else; these limits are per address, counted in the
 * table (`RequestWindows`), so they hold across every container and on the local stack alike.
 * Past a limit the answer is 429 with Retry-After (the end of the window). Signed-in callers use
 * the `/kb/search`, `/kb/suggest` and `/kb/deflections` routes and are not counted here.
 */
export const ANONYMOUS_LIMITS = {
  /**
   * `GET /kb/public/search` and `POST /kb/public/suggest` together: a person typing a request
   * with suggestions as they type (debounced) stays well below; an office behind one address too.
   */
  reads: { requests: 120, windowSeconds: 60 },
  /** `POST /kb/public/deflections`: "this solved it" from the public article pages. */
  deflections: { requests: 20, windowSeconds: 3_600 },
} as const;

export type AnonymousBucket = keyof typeof ANONYMOUS_LIMITS;

/**
 * The console's public address (`https://…`): links in mail open its pages (an article, a
 * ticket), never the API's JSON. Optional: without it mail links fall back to the API's pages.
 */
export const CONSOLE_URL_VARIABLE = 'TIERDESK_CONSOLE_URL';

export const consoleUrlFromEnv = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  optionalEnv(CONSOLE_URL_VARIABLE, env)?.replace(/\/$/, '');
