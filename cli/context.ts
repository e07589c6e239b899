import type { Command } from 'commander';
import { resolveApiUrl, tokenFor } from './credentials.ts';
import { Api } from './http.ts';

/** What every command gets from the global options: the API (signed in) and the output mode. */
export interface Context {
  api: Api;
  json: boolean;
}

interface GlobalOptions {
  api?: string;
  json?: boolean;
}

export const globalOptions = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

export const connect = (command: Command): Context => {
  const options = globalOptions(command);
  const url = resolveApiUrl(options.api);
  return { api: new Api(url, tokenFor(url)), json: options.json === true };
};

/** Writes a line to stdout (results) — notes and hints go to stderr, so stdout stays pipeable. */
export const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

export const note = (text: string): void => {
  process.stderr.write(`${text}\n`);
};
