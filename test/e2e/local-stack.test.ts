import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The local stack itself, as a tester meets it after `npm start`: its controllable clock over
 * HTTP.
 */

let stack: TestStack;
const failures: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ onError: (error, where) => failures.push(`${where}: ${String(error)}`) });
});
afterAll(async () => {
  await stack?.stop();
  expect(failures).toEqual([]);
});

type ClockAnswer = { now: string; mode: string };

const postClock = (body: unknown) => stack.api<ClockAnswer>('/_local/clock', { method: 'POST', body });

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
