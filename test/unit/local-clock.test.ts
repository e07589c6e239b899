import { afterEach, describe, expect, it } from 'vitest';
import { LocalClock } from '#infra/local/clock';
import { CLOCK_VARIABLES, clockFromEnv } from '#shared/runtime/clock';

/**
 * The local stack's controllable clock, and the time the handlers read through the environment
 * it publishes (they run in the same process).
 */

const DAY = 24 * 3_600_000;

afterEach(() => {
  delete process.env[CLOCK_VARIABLES.offset];
  delete process.env[CLOCK_VARIABLES.frozenAt];
});

/** Asserts `read()` is wall time: between the wall clock just before and just after reading it. */
const expectWallTime = (read: () => Date) => {
  const before = Date.now();
  const now = read().getTime();
  expect(now).toBeGreaterThanOrEqual(before);
  expect(now).toBeLessThanOrEqual(Date.now());
};

describe('Class: LocalClock', () => {
  describe('Method: realTime', () => {
    it('returns to wall time after the clock was moved a day ahead, for the handlers too', () => {
      const clock = new LocalClock();
      clock.advance(DAY);
      expect(clock.mode).toBe('controlled');

      clock.realTime();

      expect(clock.mode).toBe('real time');
      expectWallTime(() => clock.now());
      expectWallTime(() => clockFromEnv().now());
    });

    it('returns to wall time from a clock that started at a given instant', () => {
      const clock = new LocalClock(new Date('2026-11-27T15:00:00Z'));

      clock.realTime();

      expectWallTime(() => clock.now());
    });

    it('runs on in real time from where the clock stands when asked to go on from here', () => {
      const clock = new LocalClock();
      clock.advance(DAY);
      const here = clock.now().getTime();

      clock.realTime({ fromHere: true });

      const now = clock.now().getTime();
      expect(now).toBeGreaterThanOrEqual(here);
      // It runs: a day ahead of wall time, not standing still.
      expect(now - Date.now()).toBeGreaterThan(DAY - 1_000);
      expect(clockFromEnv().now().getTime()).toBeGreaterThanOrEqual(now);
    });

    it('leaves a wall-time offset behind when asked for wall time again', () => {
      const clock = new LocalClock();
      clock.advance(DAY);
      clock.realTime({ fromHere: true });

      clock.realTime();

      expectWallTime(() => clock.now());
    });
  });
});
