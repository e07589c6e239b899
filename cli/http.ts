import { CliError } from './errors.ts';

/**
 * The CLI's one way to the desk: its HTTP API, with the caller's token. Problems
 * (`application/problem+json`) become a {@link CliError} that says what to do.
 */

export interface Reply<T> {
  status: number;
  etag?: string;
  body: T;
}

interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  users?: string[];
  message?: string;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses the command handles itself instead of failing (a 404 that means "not there yet"). */
  accept?: number[];
}

/** `body.calendars[0].timeZone` → `calendars[0].timeZone`: the field as the file or the flag names it. */
const fieldName = (field: string): string => field.replace(/^body\.?/, '') || 'body';

const advice: Record<number, string> = {
  401: 'the API refused the token: run tierdesk login again',
  403: 'tierdesk whoami shows who the API takes you for',
  412: 'it changed since it was read: run the command again to see it as it is now',
  429: 'too many requests: wait a moment and try again',
  503: 'the desk is busy: try again in a moment',
};

const problemError = (status: number, problem: Problem): CliError => {
  const what = problem.title ?? problem.message ?? `HTTP ${status}`;
  const parts = [`${what} (${status})`, problem.detail, advice[status]].filter(Boolean) as string[];
  // `…its survey.: tierdesk whoami …` reads badly: a sentence's full stop gives way to the colon.
  const line = parts.map((part, index) => (index < parts.length - 1 ? part.replace(/\.$/, '') : part));
  const details = [
    ...(problem.errors ?? []).map((issue) => `${fieldName(issue.field)}: ${issue.message}`),
    ...(problem.users?.length ? [`still used by: ${problem.users.join(', ')}`] : []),
  ];
  return new CliError(line.join(': '), details);
};

export class Api {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  async call<T>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Cannot reach the API at ${this.url} (${cause?.code ?? cause?.message ?? (error as Error).message}): start the local stack (npm start), or pass --api <url> / set TIERDESK_API_URL to the stack's ApiUrl output.`,
      );
    }
    const text = await response.text();
    let body: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new CliError(`The API at ${this.url} answered ${response.status} with malformed JSON.`);
      }
    }
    if (response.ok || options.accept?.includes(response.status)) {
      return { status: response.status, etag: response.headers.get('etag') ?? undefined, body: body as T };
    }
    throw problemError(response.status, typeof body === 'object' && body !== null ? (body as Problem) : {});
  }
}

/** `?tier=1&limit=20` from the options that are set (nothing when none is). */
export const queryOf = (params: Record<string, string | number | undefined>): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
};

/** The version an ETag names (`"7"` → 7). */
export const versionOf = (etag: string | undefined): number | undefined => {
  const match = etag?.match(/^"?(\d+)"?$/);
  return match ? Number(match[1]) : undefined;
};
