/**
 * Numbers that say how faithful a low-dimensional layout is:
 * - trustworthiness (Venna & Kaski 2001; as scikit-learn's `trustworthiness`): 1 minus a penalty
 *   for the layout's k nearest neighbours that are not among the original k nearest, weighted by
 *   how far down the original ranking they are; 1 is perfect. Computed for a seeded sample of
 *   query points against all points, normalised as if the sample were the whole set.
 * - kNN accuracy: leave-one-out k-nearest-neighbour classification of each (sampled) point from
 *   the labels of its neighbours in the layout; compare with the same number in the original space.
 * Isomorphic.
 */
import {UserError} from "../errors.js";
import {createRandom, permutation, type Random} from "../random.js";
import type {Points} from "./points.js";

/** Options shared by the quality measures. */
export interface QualityOptions {
  /** Neighbourhood size (default 10). */
  k?: number;
  /** Number of query points, drawn without replacement (default 1,000; all points if fewer). */
  sample?: number;
  /** Source of randomness for the sample (default: seeded with 42). */
  random?: Random;
}

function sampleIndices(n: number, options: QualityOptions): Int32Array {
  const m = Math.min(options.sample ?? 1000, n);
  if (m === n) return Int32Array.from({length: n}, (_, i) => i);
  return permutation(n, options.random ?? createRandom(42))
    .slice(0, m)
    .sort();
}

function distancesFrom(p: Points, i: number, out: Float64Array): Float64Array {
  const {data, dim, count} = p;
  const oi = i * dim;
  for (let j = 0; j < count; j++) {
    const oj = j * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const t = data[oi + d] - data[oj + d];
      s += t * t;
    }
    out[j] = s;
  }
  out[i] = Infinity;
  return out;
}

/** Indices of the k smallest values of `dist` (ties: lower index first), nearest first. */
function kSmallest(dist: Float64Array, k: number): Int32Array {
  const best = new Int32Array(k).fill(-1);
  const bestD = new Float64Array(k).fill(Infinity);
  for (let j = 0; j < dist.length; j++) {
    const d = dist[j];
    if (d >= bestD[k - 1]) continue;
    let t = k - 1;
    while (t > 0 && bestD[t - 1] > d) {
      bestD[t] = bestD[t - 1];
      best[t] = best[t - 1];
      t--;
    }
    bestD[t] = d;
    best[t] = j;
  }
  return best;
}

function checkPair(high: Points, low: Points, k: number): void {
  if (high.count !== low.count)
    throw new UserError(`quality: ${high.count} original points but ${low.count} in the layout`);
  if (!Number.isInteger(k) || k < 1 || 3 * k + 1 >= 2 * high.count) {
    throw new UserError(`quality: k = ${k} is too large for ${high.count} points`);
  }
}

/** Trustworthiness of `low` as a layout of `high`, in [0, 1] (1: no false neighbours). */
export function trustworthiness(high: Points, low: Points, options: QualityOptions = {}): number {
  const k = options.k ?? 10;
  checkPair(high, low, k);
  const n = high.count;
  const queries = sampleIndices(n, options);
  const dh = new Float64Array(n);
  const dl = new Float64Array(n);
  let penalty = 0;
  for (const i of queries) {
    distancesFrom(high, i, dh);
    distancesFrom(low, i, dl);
    const highNearest = new Set(kSmallest(dh, k));
    for (const j of kSmallest(dl, k)) {
      if (highNearest.has(j)) continue;
      // Rank of j among i's original neighbours (1 = nearest); ties rank j first.
      let rank = 1;
      const dij = dh[j];
      for (let m = 0; m < n; m++) if (dh[m] < dij) rank++;
      penalty += rank - k;
    }
  }
  return 1 - (2 / (queries.length * k * (2 * n - 3 * k - 1))) * penalty;
}

/**
 * Leave-one-out kNN classification accuracy of `labels` from positions `p`: majority vote of the
 * k nearest other points, ties broken in favour of the class whose voters are nearer.
 */
export function knnAccuracy(p: Points, labels: ArrayLike<number>, options: QualityOptions = {}): number {
  const k = options.k ?? 10;
  if (labels.length !== p.count) throw new UserError(`kNN accuracy: ${labels.length} labels for ${p.count} points`);
  if (!Number.isInteger(k) || k < 1 || k >= p.count) throw new UserError(`kNN accuracy: k = ${k} is out of range`);
  const queries = sampleIndices(p.count, options);
  const dist = new Float64Array(p.count);
  const votes = new Map<number, number>();
  let correct = 0;
  for (const i of queries) {
    distancesFrom(p, i, dist);
    votes.clear();
    const nearest = kSmallest(dist, k);
    nearest.forEach((j, rank) => {
      // One vote each, plus a tiny bonus for nearness that only matters in a tie.
      votes.set(labels[j], (votes.get(labels[j]) ?? 0) + 1 + (k - rank) / (k * k * 4));
    });
    let best = -1;
    let bestVotes = -Infinity;
    for (const [label, v] of votes) {
      if (v > bestVotes) {
        best = label;
        bestVotes = v;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct / queries.length;
}
