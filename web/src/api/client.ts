import { type FieldIssue, ProblemError } from './problem.ts';

/**
 * The console's one way to the HTTP API: bearer token from the auth adapter, JSON in and out,
 * problem+json turned into {@link ProblemError}, ETags surfaced for `If-Match`, 503 and network
 * failures of safe requests retried with backoff, and the desk's clock read from every answer.
 */

export interface ApiAnswer<T> {
  data: T;
  /** The ETag, when the resource has versions. */
  etag?: string;
  status: number;
  headers: Headers;
}

export interface RequestOptions {
  ifMatch?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Send without a token (public knowledge-base pages). */
  anonymous?: boolean;
}

type TokenSource = () => Promise<string | undefined>;

let baseUrl = '';
let tokenSource: TokenSource = async () => undefined;
let onUnauthorized: () => void = () => {};
/** Server time minus browser time, from the last answer's `tierdesk-now`. */
let clockOffsetMs = 0;

export const configureApi = (options: {
  url: string;
  token: TokenSource;
  onUnauthorized: () => void;
}): void => {
  baseUrl = options.url.replace(/\/$/, '');
  tokenSource = options.token;
  onUnauthorized = options.onUnauthorized;
};

/** What time the desk's clock says now: the last answer's time, moved on by the browser's clock since. */
export const serverNow = (): number => Date.now() + clockOffsetMs;

const RETRY_DELAYS_MS = [300, 1_000, 3_000];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const problemOf = async (response: Response): Promise<ProblemError> => {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a gateway page): the status says enough.
  }
  const { title, detail, errors, message, ...extra } = body;
  return new ProblemError(
    response.status,
    String(title ?? message ?? response.statusText ?? `HTTP ${response.status}`),
    typeof detail === 'string' ? detail : undefined,
    Array.isArray(errors) ? (errors as FieldIssue[]) : [],
    extra,
  );
};

const request = async <T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<ApiAnswer<T>> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  if (!options.anonymous) {
    const token = await tokenSource();
    if (token) headers.authorization = `Bearer ${token}`;
  }
  // Reads, and writes made retry-safe by an idempotency key or If-Match, are retried on a 503.
  const retriable = method === 'GET' || Boolean(options.idempotencyKey || options.ifMatch);
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (retriable && attempt < RETRY_DELAYS_MS.length) {
        await sleep(RETRY_DELAYS_MS[attempt] ?? 0);
        continue;
      }
      throw new ProblemError(0, 'The desk cannot be reached', (error as Error).message);
    }
    const now = response.headers.get('tierdesk-now');
    if (now) clockOffsetMs = Date.parse(now) - Date.now();
    if (response.status === 503 && retriable && attempt < RETRY_DELAYS_MS.length) {
      await sleep(RETRY_DELAYS_MS[attempt] ?? 0);
      continue;
    }
    if (response.status === 401) onUnauthorized();
    if (!response.ok) throw await problemOf(response);
    const text = response.status === 204 ? '' : await response.text();
    return {
      data: (text ? JSON.parse(text) : undefined) as T,
      etag: response.headers.get('etag') ?? undefined,
      status: response.status,
      headers: response.headers,
    };
  }
};

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

/** A query string from the defined values of an object. */
export const query = (params: Record<string, string | number | boolean | undefined | null>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};
