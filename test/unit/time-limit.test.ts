import { describe, expect, it } from 'vitest';
import { runWithin } from '#shared/runtime/time-limit';

/** Synchronous work given a time limit (`#shared/runtime/time-limit`). */

describe('runWithin', () => {
  it('answers what the task returns, values and objects of this realm alike', () => {
    const made = new Map([['a', 1]]);
    expect(runWithin(1_000, () => 42)).toEqual({ value: 42 });
    const outcome = runWithin(1_000, () => made);
    expect('value' in outcome && outcome.value).toBe(made);
  });

  it('stops a task that runs past its limit, and serves the next call as before', () => {
    // Arrange
    let spins = 0;
    const started = performance.now();

    // Act
    const outcome = runWithin(100, () => {
      for (;;) spins++;
    });
    const took = performance.now() - started;

    // Assess
    expect(outcome).toEqual({ timedOut: true });
    expect(spins).toBeGreaterThan(0);
    expect(took).toBeGreaterThanOrEqual(100);
    expect(took).toBeLessThan(5_000);
    expect(runWithin(100, () => 'after')).toEqual({ value: 'after' });
  });

  it("passes on the task's own errors as they were thrown", () => {
    const thrown = new RangeError('out of range');
    expect(() =>
      runWithin(1_000, () => {
        throw thrown;
      }),
    ).toThrow(thrown);
  });

  it('passes on a thrown undefined or null as it was, not a TypeError of its own', () => {
    for (const thrown of [undefined, null]) {
      let caught: unknown = 'nothing';
      try {
        runWithin(1_000, () => {
          throw thrown;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(thrown);
    }
  });

  it('takes a fractional or zero limit as whole milliseconds, at least one', () => {
    expect(runWithin(2.5, () => 'fractional')).toEqual({ value: 'fractional' });
    expect(
      runWithin(0, () => {
        for (;;);
      }),
    ).toEqual({ timedOut: true });
  });
});
