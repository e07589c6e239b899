import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { startBanner } from '#infra/local/start-options';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The local stack itself, as a tester meets it after `npm start` with the demo data: how it
 * seeds, what it listens on, what its banner names, and its controllable clock over HTTP.
 */

let stack: TestStack;
const failures: string[] = [];
/** Writes of the knowledge base's search index (by the seed or the stream processor) while the stack started. */
let indexBuildsAtStart: number;

beforeAll(async () => {
  const saves = vi.spyOn(S3IndexStore.prototype, 'save');
  stack = await startTestStack({
    seed: true,
    onError: (error, where) => failures.push(`${where}: ${String(error)}`),
  });
  await stack.settle();
  // Read now: mocks' calls are cleared before each test.
  indexBuildsAtStart = saves.mock.calls.length;
});
afterAll(async () => {
  await stack?.stop();
  expect(failures).toEqual([]);
});

type ClockAnswer = { now: string; mode: string };

const postClock = (body: unknown) => stack.api<ClockAnswer>('/_local/clock', { method: 'POST', body });

describe('Local stack: the demo seed', () => {
  it('builds the search index once for all the demo articles, and finds them', async () => {
    expect(indexBuildsAtStart).toBe(1);
    const search = await stack.api<{ items: { id: string }[] }>('/kb/public/search?q=vpn+disconnects');
    expect(search.body.items.map((hit) => hit.id)).toContain('kb-vpn-connect');
    // More articles than one stream batch holds (25): one build is not one batch by chance.
    expect(DEMO_ARTICLES.length).toBeGreaterThan(25);
  });
});

/** A listening TCP socket, from the kernel's table (Linux `/proc/net/tcp` and `tcp6`). */
type Listener = { address: string; port: number; inode: string; family: 4 | 6 };

const LISTEN = '0A';

/** `0100007F` → `127.0.0.1` (little-endian); IPv6 as its 32 hex digits, `::1` and `::` named. */
const addressOf = (hex: string): string => {
  if (hex.length === 8)
    return (
      hex
        .match(/../g)
        ?.reverse()
        .map((byte) => Number.parseInt(byte, 16))
        .join('.') ?? hex
    );
  if (/^0{32}$/.test(hex)) return '::';
  if (hex === '00000000000000000000000001000000') return '::1';
  return hex;
};

const listeners = (): Listener[] =>
  ([4, 6] as const).flatMap((family) =>
    readFileSync(`/proc/net/tcp${family === 6 ? '6' : ''}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === LISTEN)
      .map((fields) => {
        const [hex = '', port = '0'] = (fields[1] ?? '').split(':');
        return { address: addressOf(hex), port: Number.parseInt(port, 16), inode: fields[9] ?? '', family };
      }),
  );

/** Inodes of this process's sockets: every service but DynamoDB Local runs in the test process. */
const ownSockets = (): Set<string> => {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = '';
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // closed while we looked
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  return inodes;
};

const portOf = (url: string): number => Number(new URL(url).port);

describe('Local stack: network exposure', () => {
  it('listens on 127.0.0.1 only, for every service it runs itself', () => {
    const own = ownSockets();
    const mine = listeners().filter((listener) => own.has(listener.inode));

    expect(mine.filter((listener) => listener.address !== '127.0.0.1')).toEqual([]);
    const ports = mine.map((listener) => listener.port);
    for (const url of [stack.apiUrl, stack.workflow.sfnEndpoint, stack.mail.sesUrl, stack.mail.s3Endpoint])
      expect(ports).toContain(portOf(url));
    expect(ports).toContain(stack.mail.smtpPort);
  });

  it('runs DynamoDB Local, which has no bind option, on IPv4 only', () => {
    const port = portOf(stack.dynamoEndpoint);
    const dynamo = listeners().filter((listener) => listener.port === port);

    expect(dynamo.map(({ address, family }) => ({ address, family }))).toEqual([
      { address: '0.0.0.0', family: 4 },
    ]);
  });
});

describe('Local stack: the banner', () => {
  it("names the Step Functions endpoint, which lists the demo tickets' executions as the AWS CLI asks", async () => {
    const banner = startBanner(stack, {}, '1.0');
    const endpoint = stack.workflow.sfnEndpoint;
    const arn = stack.workflow.stepFunctions.stateMachineArn;
    expect(banner).toContain(`aws stepfunctions list-executions --endpoint-url ${endpoint} `);
    expect(banner).toContain(`--state-machine-arn ${arn}`);
    expect(banner).not.toContain('already had data');

    // What the CLI sends with --no-sign-request: no credentials to speak of.
    const sfn = new SFNClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
    });
    try {
      const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
      expect(executions.map((execution) => execution.name)).toEqual(
        expect.arrayContaining((stack.seeded?.tickets ?? []).map((number) => `ticket-${number}-g0`)),
      );
    } finally {
      sfn.destroy();
    }
  });
});

describe('Local clock: POST /_local/clock', () => {
  it('returns to wall time on {"mode": "real time"} after the clock was moved ahead', async () => {
    expect((await postClock({ advance: 'PT3H' })).body.mode).toBe('controlled');

    const before = Date.now();
    const answer = await postClock({ mode: 'real time' });
    const after = Date.now();

    expect(answer.status).toBe(200);
    expect(answer.body.mode).toBe('real time');
    expect(Date.parse(answer.body.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(answer.body.now)).toBeLessThanOrEqual(after);
  });

  it('runs on from where it stands on {"mode": "real time", "from": "here"}', async () => {
    const moved = Date.parse((await postClock({ advance: 'PT3H' })).body.now);

    const answer = await postClock({ mode: 'real time', from: 'here' });

    expect(answer.body.mode).toBe('real time');
    expect(Date.parse(answer.body.now)).toBeGreaterThanOrEqual(moved);
    expect(Date.parse(answer.body.now) - Date.now()).toBeGreaterThan(2 * 3_600_000);
    expect((await postClock({ mode: 'real time', from: 'there' })).status).toBe(400);
    await postClock({ mode: 'real time' });
  });
});
