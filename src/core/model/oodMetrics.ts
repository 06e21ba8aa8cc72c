/**
 * How well a score separates in-distribution inputs (the test images) from the OOD set: AUROC
 * (the chance that a random OOD input scores higher than a random test image; ties count half)
 * and the detection rate at a fixed false-alarm rate. Isomorphic.
 */

/** AUROC of `outScores` against `inScores` (Mann–Whitney U over the ranks of the pooled scores). */
export function auroc(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  const nIn = inScores.length;
  const nOut = outScores.length;
  if (nIn === 0 || nOut === 0) return NaN;
  const pooled = [
    ...Array.from(inScores, (v) => ({v, out: false})),
    ...Array.from(outScores, (v) => ({v, out: true}))
  ].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  for (let i = 0; i < pooled.length;) {
    let j = i;
    while (j < pooled.length && pooled[j].v === pooled[i].v) j++;
    const rank = (i + j + 1) / 2; // mean of the 1-based ranks i+1 … j
    for (let t = i; t < j; t++) if (pooled[t].out) rankSum += rank;
    i = j;
  }
  return (rankSum - (nOut * (nOut + 1)) / 2) / (nIn * nOut);
}

/**
 * The smallest threshold that flags (score > threshold) at most `rate` of `inScores`: their
 * ⌈(1 − rate)·n⌉-th smallest value.
 */
export function thresholdAt(inScores: ArrayLike<number>, rate: number): number {
  const sorted = Float64Array.from(inScores).sort();
  if (sorted.length === 0) return Infinity;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((1 - rate) * sorted.length) - 1));
  return sorted[index];
}

/** Share of `scores` above `threshold`. */
export function flaggedRate(scores: ArrayLike<number>, threshold: number): number {
  if (scores.length === 0) return NaN;
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > threshold) n++;
  return n / scores.length;
}

/** Element-wise minimum of two score arrays (an input and its mirror image: familiar if either view is). */
export function minOfViews(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => Math.min(v, b[i]));
}
