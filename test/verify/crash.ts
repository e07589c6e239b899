import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevIdentity, loadDevKey, signDevToken } from '#infra/local/dev-key';
import { PROJECT_ROOT } from '#infra/local/lambda';
import { Failures, type VerifyPromise } from './promise.ts';

/**
 * Crash and restart: the local stack with `--persist`, killed with SIGKILL (its whole process
 * group, DynamoDB Local's JVM too, as a power cut would) in the middle of a load of ticket
 * creations, then started again on the same folder. Every ticket answered 201 must exist, with
 * exactly one `created` event — except at most the very last acknowledged write, which DynamoDB
 * Local itself can lose to SIGKILL (measured and reported) — and no number may be given twice.
 */

const CLIENTS = 8;
const LOAD_MS = 3_000;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

interface Running {
  child: ChildProcess;
  api: string;
}

const start = async (dir: string): Promise<Running> => {
  const [api, dynamo, smtp, ses, sfn] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'infra/local/start.ts',
      '--port',
      String(api),
      '--dynamo-port',
      String(dynamo),
      '--smtp-port',
      String(smtp),
      '--ses-port',
      String(ses),
      '--sfn-port',
      String(sfn),
      '--persist',
      dir,
      '--no-seed',
      '--log-level',
      'SILENT',
    ],
    // A clean environment, as from a shell: this process runs a local stack of its own, whose
    // settings (table, endpoints, the local Lambda runtime's) must not leak into the child.
    {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready in/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`the local stack exited (${code}) before it was ready:\n${output.slice(-2000)}`)),
    );
  });
  return { child, api: `http://127.0.0.1:${api}` };
};

/** SIGKILL to the whole process group: the stack and the JVM it started, with no chance to flush. */
const kill = async ({ child }: Running) => {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-(child.pid as number), 'SIGKILL');
  await exited;
};

const stop = async ({ child }: Running) => {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-(child.pid as number), 'SIGTERM');
  await exited;
};

export const crash: VerifyPromise = {
  name: 'crash-restart',
  async run() {
    const failures = new Failures();
    const dir = mkdtempSync(join(tmpdir(), 'tierdesk-crash-'));
    const key = await loadDevKey();
    const requester: DevIdentity = { email: `crash-${Date.now()}@example.com`, role: 'requester' };
    const auth = async (who: DevIdentity) => ({ authorization: `Bearer ${await signDevToken(key, who)}` });
    try {
      const first = await start(dir);
      const acknowledged: { number: number; at: number }[] = [];
      let errors = 0;
      let stopLoad = false;
      const headers = { ...(await auth(requester)), 'content-type': 'application/json' };
      const client = async (id: number) => {
        for (let i = 0; !stopLoad; i++) {
          try {
            const response = await fetch(`${first.api}/tickets`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ subject: `Crash ${id}.${i}`, description: 'Load before a power cut.' }),
            });
            if (response.status === 201) {
              const { number } = (await response.json()) as { number: number };
              acknowledged.push({ number, at: performance.now() });
            } else errors++;
          } catch {
            // The connection died with the process: what was not acknowledged does not count.
            return;
          }
        }
      };
      const load = Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
      await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
      await kill(first);
      stopLoad = true;
      await load;

      const second = await start(dir);
      try {
        const numbers = acknowledged.map((ticket) => ticket.number);
        if (new Set(numbers).size !== numbers.length) failures.add('a ticket number was given twice');
        // Read back as their requester: authorization follows the directory, and this bare stack
        // (no demo people) has no admin in it — the requester sees their tickets whole.
        const readerHeaders = await auth(requester);
        const lost: number[] = [];
        let createdTwice = 0;
        for (const { number } of acknowledged) {
          const ticket = await fetch(`${second.api}/tickets/${number}`, { headers: readerHeaders });
          if (ticket.status === 404) {
            lost.push(number);
            continue;
          }
          const timeline = (await (
            await fetch(`${second.api}/tickets/${number}/timeline?limit=100`, { headers: readerHeaders })
          ).json()) as { items: { type: string }[] };
          const created = timeline.items.filter((event) => event.type === 'created').length;
          if (created !== 1) createdTwice++;
        }
        if (createdTwice > 0) failures.add(`${createdTwice} tickets without exactly one created event`);
        // Only the newest acknowledged writes may be gone (DynamoDB Local's own limit), at most one.
        const newest = [...acknowledged]
          .sort((a, b) => b.at - a.at)
          .slice(0, CLIENTS)
          .map((t) => t.number);
        const lostOlder = lost.filter((number) => !newest.includes(number));
        if (lost.length > 1 || lostOlder.length > 0)
          failures.add(
            `${lost.length} acknowledged tickets lost (#${lost.join(', #')}), ${lostOlder.length} of them not among the last writes`,
          );
        return {
          figures: `${acknowledged.length} tickets acknowledged by ${CLIENTS} clients in ${LOAD_MS / 1000} s before SIGKILL (${errors} refused), after restart ${acknowledged.length - lost.length} present with one created event each, ${lost.length} lost, numbers unique`,
          ...failures.report(),
        };
      } finally {
        await stop(second);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
