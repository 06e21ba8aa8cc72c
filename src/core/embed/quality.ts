/**
 * Numbers that say how faithful a low-dimensional layout is:
 * - trustworthiness (Venna & Kaski 2001; as scikit-learn's `trustworthiness`): 1 minus a penalty
 *   for the layout's k nearest neighbours that are not among the original k nearest, weighted by
 *   how far down the original ranking they are; 1 is perfect. Computed for a seeded sample of
 *   query points against all points, normalised as if the sample were the whole set.
 * - kNN accuracy: leave-one-out k-nearest-neighbour classification of each (sampled) point from
 *   the labels of its neighbours in the layout; compare with the same number in the original space.
 * Both search with qualityKernels.ts, which gives the brute-force answers bit for bit (brute force
 * itself, qualityBrute.ts, where coordinates are not finite). src/node/embed/qualityPool.ts runs
 * the same kernels on worker threads. Isomorphic.
 */
import type {Points} from "./points.js";
import {bruteKnnHits, bruteTrustPenalty} from "./qualityBrute.js";
import {knnHits, searchOf, sortPoints, trustPenaltySum, type SortedPoints} from "./qualityKernels.js";
import {qualityReference, safeCoordinates, type QualityReference} from "./qualityReference.js";
import {UserError} from "../errors.js";
import {createRandom, permutation, type Random} from "../random.js";

/** Options shared by the quality measures. */
export interface QualityOptions {
  /** Neighbourhood size (default 10). */
  k?: number;
  /** Number of query points, drawn without replacement (default 1,000; all points if fewer). */
  sample?: number;
  /** Source of randomness for the sample (default: seeded with 42). */
  random?: Random;
}

/** The sorted query points. */
export function sampleIndices(n: number, options: QualityOptions): Int32Array {
  const m = Math.min(options.sample ?? 1000, n);
  if (m === n) return Int32Array.from({length: n}, (_, i) => i);
  return permutation(n, options.random ?? createRandom(42))
    .slice(0, m)
    .sort();
}

function checkPair(high: Points, low: Points, k: number): void {
  if (high.count !== low.count)
    throw new UserError(`quality: ${high.count} original points but ${low.count} in the layout`);
  if (!Number.isInteger(k) || k < 1 || 3 * k + 1 >= 2 * high.count) {
    throw new UserError(`quality: k = ${k} is too large for ${high.count} points`);
  }
}

function checkLabels(p: Points, labels: ArrayLike<number>, k: number): void {
  if (labels.length !== p.count) throw new UserError(`kNN accuracy: ${labels.length} labels for ${p.count} points`);
  if (!Number.isInteger(k) || k < 1 || k >= p.count) throw new UserError(`kNN accuracy: k = ${k} is out of range`);
}

const float64 = (p: Points): Float64Array => (p.data instanceof Float64Array ? p.data : Float64Array.from(p.data));

const isReference = (p: Points): p is QualityReference => "projected" in p;

/** `p` prepared for the exact searches: a reference in the original space, sorted points in a layout. */
function searchable(p: Points): QualityReference | SortedPoints | undefined {
  if (isReference(p)) return p;
  if (!safeCoordinates(p.data)) return undefined;
  return p.dim <= 3 ? sortPoints(float64(p), p.count, p.dim) : qualityReference(p);
}

/** A trustworthiness measurement ready for the kernels; `brute` when the coordinates need brute force. */
export type TrustJob =
  | {kind: "kernels"; high: QualityReference; low: SortedPoints; queries: Int32Array; k: number}
  | {kind: "brute"; queries: Int32Array; k: number};

export function trustJob(high: Points, low: Points, options: QualityOptions = {}): TrustJob {
  const k = options.k ?? 10;
  checkPair(high, low, k);
  const queries = sampleIndices(high.count, options);
  const ref = isReference(high) ? high : qualityReference(high);
  if (!ref || !safeCoordinates(low.data)) return {kind: "brute", queries, k};
  return {kind: "kernels", high: ref, low: sortPoints(float64(low), low.count, low.dim), queries, k};
}

/** Trustworthiness from the summed penalty of `queries` (integers, so any summing order gives these bits). */
export function trustFromPenalty(penalty: number, queries: number, k: number, n: number): number {
  return 1 - (2 / (queries * k * (2 * n - 3 * k - 1))) * penalty;
}

/**
 * Trustworthiness of `low` as a layout of `high`, in [0, 1] (1: no false neighbours). `high` may
 * be a {@link QualityReference}, prepared once for several layouts of the same points.
 */
export function trustworthiness(high: Points, low: Points, options: QualityOptions = {}): number {
  return runTrustJob(trustJob(high, low, options), high, low);
}

/** Runs a {@link trustJob} of `high` and `low` on this thread. */
export function runTrustJob(job: TrustJob, high: Points, low: Points): number {
  const {queries, k} = job;
  const penalty =
    job.kind === "brute"
      ? bruteTrustPenalty(high, low, queries, k)
      : trustPenaltySum(job.high, job.low, queries, 0, queries.length, k);
  return trustFromPenalty(penalty, queries.length, k, high.count);
}

/** A kNN accuracy measurement ready for the kernels; `brute` when the coordinates need brute force. */
export type KnnJob =
  | {kind: "kernels"; points: QualityReference | SortedPoints; queries: Int32Array; k: number}
  | {kind: "brute"; queries: Int32Array; k: number};

export function knnJob(p: Points, labels: ArrayLike<number>, options: QualityOptions = {}): KnnJob {
  const k = options.k ?? 10;
  checkLabels(p, labels, k);
  const queries = sampleIndices(p.count, options);
  const points = searchable(p);
  return points ? {kind: "kernels", points, queries, k} : {kind: "brute", queries, k};
}

/**
 * Leave-one-out kNN classification accuracy of `labels` from positions `p` (which may be a
 * {@link QualityReference}): majority vote of the k nearest other points, ties broken in favour of
 * the class whose voters are nearer.
 */
export function knnAccuracy(p: Points, labels: ArrayLike<number>, options: QualityOptions = {}): number {
  return runKnnJob(knnJob(p, labels, options), p, labels);
}

/** Runs a {@link knnJob} of `p` and `labels` on this thread. */
export function runKnnJob(job: KnnJob, p: Points, labels: ArrayLike<number>): number {
  const {queries, k} = job;
  const hits =
    job.kind === "brute"
      ? bruteKnnHits(p, labels, queries, k)
      : knnHits(searchOf(job.points, k), labels, queries, 0, queries.length, k);
  return hits / queries.length;
}

/**
 * The two measures as computeProjections (projections.ts) calls them: this thread's functions
 * above by default, or src/node/embed/qualityPool.ts's worker threads, which give the same numbers.
 */
export interface QualityMeasures {
  trustworthiness(high: Points, low: Points, options: QualityOptions): Promise<number> | number;
  knnAccuracy(p: Points, labels: ArrayLike<number>, options: QualityOptions): Promise<number> | number;
}

export const localQuality: QualityMeasures = {trustworthiness, knnAccuracy};
