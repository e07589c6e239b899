import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './errors.ts';

/**
 * Where `tierdesk login` keeps its tokens: `~/.config/tierdesk/credentials.json` (or
 * `$XDG_CONFIG_HOME/tierdesk`, or `$TIERDESK_CONFIG_DIR`), readable by its owner only. One token
 * per API, so a laptop can be signed in to the local stack and a deployment at once; the API
 * signed in to last is the one used when none is named.
 */

/** The local stack's address when `npm start` runs with its default port. */
export const LOCAL_API = 'http://127.0.0.1:3000';

export interface Session {
  email: string;
  token: string;
  savedAt: string;
}

interface Credentials {
  current?: string;
  sessions: Record<string, Session>;
}

const configDir = (): string =>
  process.env.TIERDESK_CONFIG_DIR ??
  join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'tierdesk');

export const credentialsFile = (): string => join(configDir(), 'credentials.json');

const readCredentials = (): Credentials => {
  let text: string;
  try {
    text = readFileSync(credentialsFile(), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sessions: {} };
    throw new CliError(`Cannot read ${credentialsFile()}: ${(error as Error).message}.`);
  }
  try {
    const parsed = JSON.parse(text) as Credentials;
    return { current: parsed.current, sessions: parsed.sessions ?? {} };
  } catch {
    throw new CliError(`${credentialsFile()} is not valid JSON: delete it and run tierdesk login again.`);
  }
};

/** Keeps a token for the API, written whole (a temporary file renamed) and with mode 0600. */
export const saveSession = (api: string, session: Session): void => {
  const credentials = readCredentials();
  credentials.sessions[api] = session;
  credentials.current = api;
  mkdirSync(configDir(), { recursive: true, mode: 0o700 });
  const draft = `${credentialsFile()}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  renameSync(draft, credentialsFile());
};

const normalizeUrl = (url: string): string => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`"${url}" is not a URL: pass the API's base URL, e.g. --api ${LOCAL_API}.`, [], 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(
      `"${url}" is not an http(s) URL: pass the API's base URL, e.g. --api ${LOCAL_API}.`,
      [],
      2,
    );
  }
  return parsed.href.replace(/\/+$/, '');
};

/** The API to talk to: --api, else TIERDESK_API_URL, else the one signed in to last, else the local stack. */
export const resolveApiUrl = (flag: string | undefined): string =>
  normalizeUrl(flag ?? process.env.TIERDESK_API_URL ?? readCredentials().current ?? LOCAL_API);

/** The claims of a JWT, unverified: the API verifies it; the CLI only reads who and until when. */
export const claimsOf = (token: string): { email?: string; exp?: number } | undefined => {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};

/** The token for the API: TIERDESK_TOKEN, else the one `tierdesk login` saved for it. */
export const tokenFor = (api: string): string => {
  const token = process.env.TIERDESK_TOKEN?.trim() || readCredentials().sessions[api]?.token;
  if (!token) {
    throw new CliError(
      `Not signed in to ${api}: run tierdesk login (locally: tierdesk login --dev <email>), or set TIERDESK_TOKEN.`,
    );
  }
  const exp = claimsOf(token)?.exp;
  if (exp !== undefined && exp * 1000 <= Date.now()) {
    throw new CliError(
      `Your token for ${api} expired at ${new Date(exp * 1000).toISOString()}: run tierdesk login again.`,
    );
  }
  return token;
};
