import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { startBanner } from '#infra/local/start-options';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The local stack itself, as a tester meets it after `npm start` with the demo data: how it
 * seeds, what its banner names, and its controllable clock over HTTP.
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
