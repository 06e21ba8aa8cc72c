/**
 * Exact k-nearest neighbours by brute force (Euclidean). On 10,000 points of 64 dimensions this
 * takes a few seconds, less than building and searching a vantage-point tree would save at this
 * dimension, and it is exact, so t-SNE's input similarities and UMAP's graph do not depend on an
 * approximation. Each pair is measured once and offered to both points' bounded max-heaps.
 * Isomorphic.
 */
import {UserError} from "../errors.js";
import type {Points} from "./points.js";

/** The `k` nearest other points of every point, nearest first. */
export interface Neighbors {
  count: number;
  k: number;
  /** [count, k] indices of the neighbours (never the point itself). */
  indices: Int32Array;
  /** [count, k] Euclidean distances, ascending per row (ties: lower index first). */
  distances: Float64Array;
}

/** Options for {@link exactKnn}. */
export interface KnnOptions {
  /** Called after each block of rows with (rows done, total rows). */
  onProgress?: (done: number, total: number) => void;
}

/** Exact kNN of every point against all others. Throws if `k` is not below the number of points. */
export function exactKnn(p: Points, k: number, options: KnnOptions = {}): Neighbors {
  const n = p.count;
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new UserError(`kNN: need 1 ≤ k < number of points; got k = ${k} for ${n} points`);
  }
  const dim = p.dim;
  // Float64 copy: faster to read than Float32 in V8 and exact for the sums below.
  const x = p.data instanceof Float64Array ? p.data : Float64Array.from(p.data);
  // Per-row max-heaps of squared distances (root = farthest kept neighbour).
  const heapD = new Float64Array(n * k);
  const heapI = new Int32Array(n * k);
  const size = new Int32Array(n);
  const offer = (row: number, d: number, j: number) => {
    const base = row * k;
    const s = size[row];
    if (s < k) {
      // Sift up.
      let c = s;
      size[row] = s + 1;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heapD[base + parent] >= d) break;
        heapD[base + c] = heapD[base + parent];
        heapI[base + c] = heapI[base + parent];
        c = parent;
      }
      heapD[base + c] = d;
      heapI[base + c] = j;
      return;
    }
    if (d >= heapD[base]) return;
    // Replace the root and sift down.
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= k) break;
      const r = l + 1;
      const m = r < k && heapD[base + r] > heapD[base + l] ? r : l;
      if (heapD[base + m] <= d) break;
      heapD[base + c] = heapD[base + m];
      heapI[base + c] = heapI[base + m];
      c = m;
    }
    heapD[base + c] = d;
    heapI[base + c] = j;
  };
  const block = Math.max(1, Math.floor(n / 50));
  const dim4 = dim - (dim % 4);
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dim;
      // Four independent sums let the CPU overlap the additions.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let d = 0; d < dim4; d += 4) {
        const a = x[oi + d] - x[oj + d];
        const b = x[oi + d + 1] - x[oj + d + 1];
        const c = x[oi + d + 2] - x[oj + d + 2];
        const e = x[oi + d + 3] - x[oj + d + 3];
        s0 += a * a;
        s1 += b * b;
        s2 += c * c;
        s3 += e * e;
      }
      for (let d = dim4; d < dim; d++) {
        const a = x[oi + d] - x[oj + d];
        s0 += a * a;
      }
      const s = s0 + s1 + s2 + s3;
      offer(i, s, j);
      offer(j, s, i);
    }
    if (options.onProgress && ((i + 1) % block === 0 || i === n - 1)) options.onProgress(i + 1, n);
  }
  // Sort each heap ascending by (distance, index) and take square roots.
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const order = Array.from({length: k}, (_, t) => t);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    order.sort((a, b) => heapD[base + a] - heapD[base + b] || heapI[base + a] - heapI[base + b]);
    for (let t = 0; t < k; t++) {
      indices[base + t] = heapI[base + order[t]];
      distances[base + t] = Math.sqrt(heapD[base + order[t]]);
    }
    for (let t = 0; t < k; t++) order[t] = t;
  }
  return {count: n, k, indices, distances};
}

/** The first `k` columns of `neighbors` (which must have at least `k`). */
export function truncateNeighbors(neighbors: Neighbors, k: number): Neighbors {
  if (k > neighbors.k) throw new UserError(`kNN: cannot take ${k} neighbours from a table of ${neighbors.k}`);
  if (k === neighbors.k) return neighbors;
  const indices = new Int32Array(neighbors.count * k);
  const distances = new Float64Array(neighbors.count * k);
  for (let i = 0; i < neighbors.count; i++) {
    indices.set(neighbors.indices.subarray(i * neighbors.k, i * neighbors.k + k), i * k);
    distances.set(neighbors.distances.subarray(i * neighbors.k, i * neighbors.k + k), i * k);
  }
  return {count: neighbors.count, k, indices, distances};
}
