import { describe, expect, it } from 'vitest';
import { bucketOf, mergeCounts, quantile, SKETCH_RELATIVE_ACCURACY } from '#shared/reports/sketch';

/** A small deterministic generator (mulberry32), so the distributions are the same on every run. */
const generator = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const sketchOf = (values: readonly number[]) => {
  const counts = new Map<number | 'zero', number>();
  for (const value of values) {
    const bucket = bucketOf(value);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
};

const exact = (values: readonly number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] as number;

const random = generator(42);
const DISTRIBUTIONS: [string, number[]][] = [
  ['uniform 1 ms – 1 h', Array.from({ length: 5_000 }, () => 1 + random() * 3_600_000)],
  // Business durations are heavy-tailed: most answers in minutes, a few after days.
  ['exponential, mean 2 h', Array.from({ length: 5_000 }, () => -Math.log(1 - random()) * 7_200_000)],
  [
    'log-normal around 30 min',
    Array.from({ length: 5_000 }, () =>
      Math.exp(14.4 + 1.5 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
    ),
  ],
  ['a few values, with zeros', [0, 0, 0.5, 1, 2, 3, 60_000, 60_000, 86_400_000]],
];
const QUANTILES = [0, 0.1, 0.5, 0.9, 0.99, 1];

describe('Module: sketch (DDSketch)', () => {
  describe.each(DISTRIBUTIONS)('on %s', (_name, values) => {
    it.each(QUANTILES)('estimates the %s-quantile within the stated relative accuracy', (q) => {
      // Act
      const estimate = quantile(sketchOf(values), q) as number;

      // Assess
      const truth = exact(values, q);
      const allowed = truth < 1 ? 0 : SKETCH_RELATIVE_ACCURACY * truth;
      expect(Math.abs(estimate - (truth < 1 ? 0 : truth))).toBeLessThanOrEqual(allowed + 1e-9);
    });
  });

  it('merges into exactly the sketch of the union, in any grouping', () => {
    // Prepare: three days' durations
    const days = [0, 1, 2].map((day) => {
      const next = generator(day + 7);
      return Array.from({ length: 700 + 300 * day }, () => next() * 10 ** (2 + 5 * next()));
    });

    // Act
    const merged = new Map<number | 'zero', number>();
    for (const day of days) mergeCounts(merged, sketchOf(day));
    const otherOrder = new Map<number | 'zero', number>();
    for (const day of [...days].reverse()) mergeCounts(otherOrder, sketchOf(day));

    // Assess
    const union = sketchOf(days.flat());
    expect(merged).toEqual(union);
    expect(otherOrder).toEqual(union);
    for (const q of QUANTILES) expect(quantile(merged, q)).toBe(quantile(union, q));
  });

  it('has no quantile when empty, and answers 0 for sub-millisecond values', () => {
    expect(quantile(new Map(), 0.5)).toBeUndefined();
    expect(quantile(sketchOf([0, 0.2, 0.9]), 0.9)).toBe(0);
  });
});
