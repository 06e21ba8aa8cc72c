/**
 * Histograms in TensorBoard's default bucket scheme (TensorFlow's `core/lib/histogram/histogram.cc`,
 * used by the TF1 summary ops and read natively by TensorBoard's histogram and distribution
 * dashboards): positive edges start at 1e-12 and grow by a factor of 1.1 up to 1e20, closed by
 * DBL_MAX; the negative edges mirror them, and 0 separates the two. A value v falls into the first
 * bucket whose limit is greater than v. As TensorFlow does, runs of empty buckets are merged into
 * one entry whose limit is that of the run's last bucket. Isomorphic.
 */
import type {HistogramProto} from "./schema.js";

function defaultBucketLimits(): Float64Array {
  const positive: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
  positive.push(Number.MAX_VALUE);
  const limits = new Float64Array(2 * positive.length + 1);
  positive.forEach((v, i) => {
    limits[positive.length - 1 - i] = -v;
    limits[positive.length + 1 + i] = v;
  });
  return limits; // limits[positive.length] is 0
}

/** Bucket limits, ascending: -DBL_MAX, …, -1e-12, 0, 1e-12, …, DBL_MAX (1551 edges). */
export const DEFAULT_BUCKET_LIMITS: Float64Array = defaultBucketLimits();

/** Index of the first limit strictly greater than `v` (the last bucket when there is none). */
function bucketIndex(limits: Float64Array, v: number): number {
  let lo = 0;
  let hi = limits.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (limits[mid] > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Summarises `values` as a {@link HistogramProto} over `limits` (default: TensorBoard's).
 * Non-finite values are ignored. An empty input gives an all-zero histogram with one empty bucket.
 */
export function histogram(values: ArrayLike<number>, limits: Float64Array = DEFAULT_BUCKET_LIMITS): HistogramProto {
  const counts = new Float64Array(limits.length);
  let min = Infinity;
  let max = -Infinity;
  let num = 0;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[bucketIndex(limits, v)]++;
    if (v < min) min = v;
    if (v > max) max = v;
    num++;
    sum += v;
    sumSquares += v * v;
  }
  const bucketLimit: number[] = [];
  const bucket: number[] = [];
  for (let i = 0; i < counts.length;) {
    let j = i;
    // Merge a run of empty buckets into one entry ending at the run's last limit.
    if (counts[i] === 0) while (j + 1 < counts.length && counts[j + 1] === 0) j++;
    bucketLimit.push(limits[j]);
    bucket.push(counts[j]);
    i = j + 1;
  }
  if (num === 0) return {min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit, bucket};
  return {min, max, num, sum, sumSquares, bucketLimit, bucket};
}
