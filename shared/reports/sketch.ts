/**
 * DDSketch (Masson, Rim, Lee: "DDSketch: a fast and fully-mergeable quantile sketch with
 * relative-error guarantees", VLDB 2019), the logarithmic-bucket variant: a value v ≥ 1 falls in
 * bucket ⌈log_γ v⌉ with γ = (1 + α) / (1 − α), and a bucket i stands for 2γ^i / (γ + 1), which is
 * within a relative α of every value in it. Sketches merge by adding bucket counts, so the
 * counts kept per day × tier × group × priority × channel add up to p50/p90 over any range.
 *
 * Durations are business milliseconds; values below 1 ms (an answer in the same millisecond) go
 * to the zero bucket, which stands for 0.
 */

/** The relative accuracy α: every quantile is within 1 % of the exact value of its rank. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);

/** The bucket of a value; `zero` for values below 1. */
export const bucketOf = (value: number): number | 'zero' =>
  value < 1 ? 'zero' : Math.max(0, Math.ceil(Math.log(value) / LOG_GAMMA));

const bucketValue = (bucket: number): number => (2 * GAMMA ** bucket) / (GAMMA + 1);

/** Bucket counts; the key `zero` counts values below 1. */
export type SketchCounts = ReadonlyMap<number | 'zero', number>;

export const mergeCounts = (into: Map<number | 'zero', number>, from: SketchCounts): void => {
  for (const [bucket, count] of from) into.set(bucket, (into.get(bucket) ?? 0) + count);
};

/**
 * The q-quantile (0 ≤ q ≤ 1): the value of rank ⌊q (n − 1)⌋ (from 0) in sorted order, within α;
 * undefined for an empty sketch.
 */
export const quantile = (counts: SketchCounts, q: number): number | undefined => {
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  if (total === 0) return undefined;
  const rank = Math.floor(q * (total - 1));
  let seen = counts.get('zero') ?? 0;
  if (rank < seen) return 0;
  const buckets = [...counts.entries()]
    .filter((entry): entry is [number, number] => entry[0] !== 'zero' && entry[1] > 0)
    .sort((a, b) => a[0] - b[0]);
  for (const [bucket, count] of buckets) {
    seen += count;
    if (rank < seen) return bucketValue(bucket);
  }
  const last = buckets.at(-1);
  return last ? bucketValue(last[0]) : 0;
};
