import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { dirname, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/local/lambda';
import { freePort } from '#infra/local/ports';

/**
 * The two CLIs as a developer meets them: clear one-line failures with the right exit codes,
 * no stack traces for problems they can fix themselves.
 */

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TSX_CLI = resolve(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs');

/** Runs a CLI script with this Node and tsx (not whatever `node` is first on PATH). */
const run = (script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> =>
  new Promise((done) => {
    execFile(
      process.execPath,
      [TSX_CLI, script, ...args],
      { cwd: PROJECT_ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

describe('CLI: npm start', () => {
  let blocker: Server | undefined;

  afterEach(async () => {
    await new Promise((done) => (blocker ? blocker.close(done) : done(undefined)));
    blocker = undefined;
  });

  it('exits 1 with a message naming the port when the API port is busy', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((done) => blocker?.listen(port, '127.0.0.1', done));

    const result = await run('infra/local/start.ts', ['--port', String(port), '--dynamo-port', '0']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 1 with a message naming Java when java is not on PATH', async () => {
    const result = await run('infra/local/start.ts', ['--port', '0', '--dynamo-port', '0'], {
      ...process.env,
      PATH: dirname(process.execPath),
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Java 17/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 2 with the usage on an unknown flag', async () => {
    const result = await run('infra/local/start.ts', ['--prot', '3000']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: npm start');
  });
});

describe('CLI: npm run token', () => {
  it('prints a JWT on the last line of stdout', async () => {
    const result = await run('infra/local/token.ts', ['--sub', 'Alice@Example.com', '--role', 'requester']);

    expect(result.code).toBe(0);
    const token = result.stdout.trim().split('\n').at(-1) ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims).toMatchObject({
      sub: 'alice@example.com',
      email: 'alice@example.com',
      email_verified: true,
      'cognito:groups': ['requesters'],
      token_use: 'id',
      iss: 'tierdesk-local',
      aud: 'tierdesk-local',
    });
    expect(claims.exp - claims.iat).toBe(12 * 60 * 60);
  });

  it('gives an agent the groups of their tiers and honours --ttl', async () => {
    const result = await run('infra/local/token.ts', [
      '--sub',
      'omar@example.com',
      '--role',
      'agent',
      '--tiers',
      '3,2',
      '--ttl',
      '30m',
    ]);

    const token = result.stdout.trim().split('\n').at(-1) ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(claims['cognito:groups']).toEqual(['tier2', 'tier3']);
    expect(claims.exp - claims.iat).toBe(30 * 60);
  });

  it.each([
    ['an unknown role', ['--sub', 'a@example.com', '--role', 'wizard'], '--role must be one of'],
    ['an agent without tiers', ['--sub', 'a@example.com', '--role', 'agent'], '--tiers'],
    ['tiers for a requester', ['--sub', 'a@example.com', '--tiers', '1'], 'agents only'],
    ['no --sub', ['--role', 'admin'], '--sub must be an email'],
    ['a bad --ttl', ['--sub', 'a@example.com', '--ttl', 'soon'], '--ttl'],
    ['an unknown flag', ['--sub', 'a@example.com', '--admin'], 'Unknown option'],
  ])('exits 2 with the usage for %s', async (_, args, message) => {
    const result = await run('infra/local/token.ts', args);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Usage: npm run token');
    expect(result.stdout).toBe('');
  });
});
