/**
 * The per-query work of quality.ts, exact but without measuring every point in full:
 * - in a layout, the k nearest of a query walk outwards from it along the points sorted by their
 *   first coordinate and stop once that coordinate alone is farther than the k-th best (a squared
 *   distance is a sum of non-negative terms, so it never falls below its first term);
 * - in the original space (a {@link QualityReference}), each point is first bounded from below on
 *   the principal axes and then summed only until it is past everything that could still count:
 *   the k-th best and, for trustworthiness, the farthest of the layout's neighbours, whose ranks
 *   are counted in the same pass instead of one scan per neighbour.
 * Every distance that decides anything is summed in the same order as the brute-force definition
 * (dimension 0 first), floating-point addition of non-negative terms never decreases, and ties go
 * to the lower index, so neighbours, ranks and results are the brute-force ones bit for bit. Needs
 * safe coordinates (qualityReference.ts). Isomorphic.
 */
import {skipAbove, type QualityReference} from "./qualityReference.js";

/** Points with their order along the first coordinate. */
export interface SortedPoints {
  data: Float64Array;
  count: number;
  dim: number;
  /** Point indices by increasing first coordinate. */
  order: Int32Array;
  /** Position of each point in `order`. */
  pos: Int32Array;
}

export function sortPoints(data: Float64Array, count: number, dim: number): SortedPoints {
  const order = Int32Array.from({length: count}, (_, i) => i).sort((a, b) => data[a * dim] - data[b * dim]);
  const pos = new Int32Array(count);
  for (let t = 0; t < count; t++) pos[order[t]] = t;
  return {data, count, dim, order, pos};
}

/** Scratch space of one query's k nearest. */
export interface Nearest {
  index: Int32Array;
  dist: Float64Array;
}

export const nearestScratch = (k: number): Nearest => ({index: new Int32Array(k), dist: new Float64Array(k)});

/** Squared distance from i to j, summed as the brute-force definition does; stops early once past `bound`. */
function distance(data: Float64Array, dim: number, oi: number, j: number, bound: number): number {
  const oj = j * dim;
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const t = data[oi + d] - data[oj + d];
    s += t * t;
    if ((d & 7) === 7 && s > bound) return s;
  }
  return s;
}

/** Inserts j at squared distance dj if it is among the k smallest by (distance, index). */
function offer(near: Nearest, k: number, j: number, dj: number): void {
  const {index, dist} = near;
  if (!(dj < dist[k - 1] || (dj === dist[k - 1] && j < index[k - 1]))) return;
  let t = k - 1;
  while (t > 0 && (dist[t - 1] > dj || (dist[t - 1] === dj && index[t - 1] > j))) {
    dist[t] = dist[t - 1];
    index[t] = index[t - 1];
    t--;
  }
  dist[t] = dj;
  index[t] = j;
}

/**
 * The k nearest other points of point i, nearest first, ties to the lower index: what the
 * brute-force scan of every point finds.
 */
export function nearestOf(p: SortedPoints, i: number, k: number, near: Nearest): Nearest {
  const {data, dim, order, count} = p;
  near.index.fill(-1);
  near.dist.fill(Infinity);
  const oi = i * dim;
  const xi = data[oi];
  let lo = p.pos[i] - 1;
  let hi = p.pos[i] + 1;
  while (lo >= 0 || hi < count) {
    // One step on each side still open; a side closes once its first coordinate alone is too far.
    if (hi < count) {
      const j = order[hi];
      const t = xi - data[j * dim];
      if (t * t > near.dist[k - 1]) hi = count;
      else {
        offer(near, k, j, distance(data, dim, oi, j, near.dist[k - 1]));
        hi++;
      }
    }
    if (lo >= 0) {
      const j = order[lo];
      const t = xi - data[j * dim];
      if (t * t > near.dist[k - 1]) lo = -1;
      else {
        offer(near, k, j, distance(data, dim, oi, j, near.dist[k - 1]));
        lo--;
      }
    }
  }
  return near;
}

/**
 * Finds the k nearest other points of point i in `ref` (into `near`) and counts into below[q] the
 * points strictly nearer than thresholds[q] (ascending; may be empty).
 */
export function scanReference(
  ref: QualityReference,
  i: number,
  k: number,
  near: Nearest,
  thresholds: Float64Array,
  below: Int32Array
): Nearest {
  const {data, dim, count, projected, axes} = ref;
  const farthest = thresholds.length > 0 ? thresholds[thresholds.length - 1] : -Infinity;
  const {index, dist} = near;
  index.fill(-1);
  dist.fill(Infinity);
  let bound = Infinity;
  let skip = Infinity;
  const oi = i * dim;
  const pi = i * axes;
  for (let m = 0; m < count; m++) {
    if (m === i) continue;
    // A lower bound on the principal axes first: past `skip`, m is certainly at least `bound` away.
    const pm = m * axes;
    let r = 0;
    let c = 0;
    for (; c < axes; c++) {
      const t = projected[pi + c] - projected[pm + c];
      r += t * t;
      if (((c & 3) === 3 || c === axes - 1) && r > skip) break;
    }
    if (c < axes) continue;
    const om = m * dim;
    let s = 0;
    let d = 0;
    for (; d < dim; d++) {
      const t = data[oi + d] - data[om + d];
      s += t * t;
      if ((d & 7) === 7 && s >= bound) break;
    }
    if (d < dim) continue;
    // Scanned in index order, so "strictly nearer" keeps ties with the lower index, as offer() does.
    if (s < dist[k - 1]) {
      offer(near, k, m, s);
      bound = Math.max(farthest, dist[k - 1]);
      skip = skipAbove(ref, bound);
    }
    for (let q = thresholds.length - 1; q >= 0 && thresholds[q] > s; q--) below[q]++;
  }
  return near;
}

/**
 * Trustworthiness penalty of query i: the sum over the layout's k nearest `lowNearest` that are
 * not among i's k nearest in `ref` of (their rank in `ref`) - k, rank 1 the nearest and ties
 * ranking the neighbour first.
 */
export function trustPenalty(ref: QualityReference, i: number, lowNearest: Int32Array, near: Nearest): number {
  const k = lowNearest.length;
  const oi = i * ref.dim;
  const thresholds = Float64Array.from(lowNearest, (j) => distance(ref.data, ref.dim, oi, j, Infinity)).sort();
  const below = new Int32Array(k);
  const {index} = scanReference(ref, i, k, near, thresholds, below);
  let penalty = 0;
  for (const j of lowNearest) {
    if (index.includes(j)) continue;
    const dij = distance(ref.data, ref.dim, oi, j, Infinity);
    penalty += 1 + below[thresholds.indexOf(dij)] - k;
  }
  return penalty;
}

/** Sum of {@link trustPenalty} over queries[from, to), the layout's neighbours found with {@link nearestOf}. */
export function trustPenaltySum(
  ref: QualityReference,
  low: SortedPoints,
  queries: Int32Array,
  from: number,
  to: number,
  k: number
): number {
  const lowNear = nearestScratch(k);
  const highNear = nearestScratch(k);
  let penalty = 0;
  for (let q = from; q < to; q++) {
    const i = queries[q];
    penalty += trustPenalty(ref, i, nearestOf(low, i, k, lowNear).index, highNear);
  }
  return penalty;
}

/** The label of the majority of `nearest` (nearest first): one vote each plus a tiny bonus for nearness that only matters in a tie. */
export function votedLabel(nearest: Int32Array, labels: ArrayLike<number>, votes: Map<number, number>): number {
  const k = nearest.length;
  votes.clear();
  nearest.forEach((j, rank) => {
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
  return best;
}

/** How many of queries[from, to) {@link votedLabel} of their k nearest (found by `nearest`) classifies right. */
export function knnHits(
  nearest: (i: number, near: Nearest) => Nearest,
  labels: ArrayLike<number>,
  queries: Int32Array,
  from: number,
  to: number,
  k: number
): number {
  const near = nearestScratch(k);
  const votes = new Map<number, number>();
  let correct = 0;
  for (let q = from; q < to; q++) {
    const i = queries[q];
    if (votedLabel(nearest(i, near).index, labels, votes) === labels[i]) correct++;
  }
  return correct;
}

/** The search of {@link knnHits}: {@link scanReference} for a reference, {@link nearestOf} for sorted points. */
export function searchOf(p: QualityReference | SortedPoints, k: number): (i: number, near: Nearest) => Nearest {
  if ("projected" in p) {
    const none = new Float64Array(0);
    const below = new Int32Array(0);
    return (i, near) => scanReference(p, i, k, near, none, below);
  }
  return (i, near) => nearestOf(p, i, k, near);
}
