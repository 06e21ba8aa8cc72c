/**
 * The quality measures of quality.ts by brute force: every query measured against every point in
 * full, one scan per rank. quality.ts falls back to these when coordinates are not finite (or so
 * large that squared distances could overflow), where its faster search is not known to agree.
 * Isomorphic.
 */
import type {Points} from "./points.js";
import {votedLabel} from "./qualityKernels.js";

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

/** Sum over `queries` of the trustworthiness penalties (see quality.ts). */
export function bruteTrustPenalty(high: Points, low: Points, queries: Int32Array, k: number): number {
  const n = high.count;
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
  return penalty;
}

/** How many of `queries` the vote of their k nearest classifies right (see quality.ts). */
export function bruteKnnHits(p: Points, labels: ArrayLike<number>, queries: Int32Array, k: number): number {
  const dist = new Float64Array(p.count);
  const votes = new Map<number, number>();
  let correct = 0;
  for (const i of queries) {
    distancesFrom(p, i, dist);
    if (votedLabel(kSmallest(dist, k), labels, votes) === labels[i]) correct++;
  }
  return correct;
}
