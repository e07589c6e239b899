import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '#infra/local/lambda';

/** What a run of the binary printed and how it ended. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = resolve(PROJECT_ROOT, 'cli/bin.mjs');

/**
 * `tierdesk`, the real binary (`cli/bin.mjs`, what `npx tierdesk` runs), with this Node, against
 * `apiUrl`, signed in through the config dir `home` (unless `env` says otherwise).
 */
export const runTierdesk = (
  args: string[],
  options: { apiUrl: string; home: string; input?: string; env?: NodeJS.ProcessEnv },
): Promise<Run> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        TIERDESK_API_URL: options.apiUrl,
        TIERDESK_CONFIG_DIR: options.home,
        TIERDESK_TOKEN: '',
        ...options.env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
