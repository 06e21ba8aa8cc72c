/**
 * Exact k-nearest neighbours (Euclidean) of every point against all others, by blocked brute force
 * (knnBlocks.ts): at 64 dimensions this beats a vantage-point or k-d tree, and it is exact, so
 * t-SNE's input similarities and UMAP's graph do not depend on an approximation. The kernel keeps
 * {@link KNN_EXTRA} more candidates per row than asked for by the fast dot-product form, then this
 * file reranks them by the exact difference form (ties: lower index first). The work splits into
 * column blocks: here they run in order on one thread (the browser's path); src/node/embed/knnPool.ts
 * hands the same blocks to worker threads and merges their heaps with {@link finishKnn}, so both
 * paths give the same bytes. Isomorphic.
 */
import {UserError} from "../errors.js";
import {accumulateBlock, blockCount, blockPairs, createHeaps, squaredNorms, type KnnHeaps} from "./knnBlocks.js";
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
  /** Called after each block of work with (rows' worth done, total rows). */
  onProgress?: (done: number, total: number) => void;
}

/** Candidates kept beyond `k` for the exact rerank (the dot-product form is off by a few ulps). */
export const KNN_EXTRA = 2;

/** Checks `k` against the number of points (throws a {@link UserError}). */
export function checkK(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new UserError(`kNN: need 1 ≤ k < number of points; got k = ${k} for ${n} points`);
  }
}

/** The coordinates as Float64 (faster to read than Float32 in V8, and exact for the sums). */
export function asFloat64(p: Points): Float64Array {
  return p.data instanceof Float64Array ? p.data : Float64Array.from(p.data);
}

/** Exact kNN on this thread. Throws if `k` is not below the number of points. */
export function exactKnn(p: Points, k: number, options: KnnOptions = {}): Neighbors {
  const n = p.count;
  checkK(n, k);
  const x = asFloat64(p);
  const norms = squaredNorms(x, n, p.dim);
  const heaps = createHeaps(n, Math.min(n - 1, k + KNN_EXTRA));
  const blocks = blockCount(n);
  const total = (n * (n - 1)) / 2;
  let done = 0;
  for (let b = 0; b < blocks; b++) {
    accumulateBlock(heaps, x, norms, p.dim, b);
    done += blockPairs(n, b);
    options.onProgress?.(b === blocks - 1 ? n : Math.floor((n * done) / total), n);
  }
  return finishKnn(x, p.dim, k, [heaps]);
}

/** Exact squared distance by the difference form (four sums, as the reference loop always did). */
function exactSquared(x: Float64Array, dim: number, i: number, j: number): number {
  const oi = i * dim;
  const oj = j * dim;
  const dim4 = dim - (dim % 4);
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
  return s0 + s1 + s2 + s3;
}

/**
 * Merges candidate heaps that together saw every pair once (one per thread), keeps each row's
 * best `kk` by the fast distances (ties: lower index), reranks them by the exact distance and
 * returns the first `k`.
 */
export function finishKnn(x: Float64Array, dim: number, k: number, parts: readonly KnnHeaps[]): Neighbors {
  const n = parts[0].n;
  const kk = parts[0].kk;
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const candD: number[] = [];
  const candI: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    candD.length = 0;
    candI.length = 0;
    for (const h of parts) {
      for (let t = 0; t < h.size[i]; t++) {
        candD.push(h.heapD[i * kk + t]);
        candI.push(h.heapI[i * kk + t]);
      }
    }
    order.length = 0;
    for (let t = 0; t < candD.length; t++) order.push(t);
    if (parts.length > 1) {
      order.sort((a, b) => candD[a] - candD[b] || candI[a] - candI[b]);
      order.length = Math.min(order.length, kk);
    }
    const exact = order.map((t) => ({j: candI[t], d: exactSquared(x, dim, i, candI[t])}));
    exact.sort((a, b) => a.d - b.d || a.j - b.j);
    for (let t = 0; t < k; t++) {
      indices[i * k + t] = exact[t].j;
      distances[i * k + t] = Math.sqrt(exact[t].d);
    }
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

/** Every kNN edge entered in the rows of both its ends, grouped by row (what a symmetrisation merges). */
export interface EdgesByRow {
  /** Row i's entries are [start[i], start[i + 1]). */
  start: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/**
 * Edge i -> j (number e = i k + t) with value `values[e]` becomes (j, values[e]) in row i and
 * (i, backward(values[e])) in row j; within a row, entries stand in edge order.
 */
export function edgesByRow(
  neighbors: Neighbors,
  values: Float64Array,
  backward: (value: number) => number = (v) => v
): EdgesByRow {
  const {count: n, k, indices} = neighbors;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      start[i + 1]++;
      start[indices[i * k + t] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const fill = start.slice(0, n);
  const out: EdgesByRow = {start, cols: new Int32Array(start[n]), values: new Float64Array(start[n])};
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const v = values[i * k + t];
      out.cols[fill[i]] = j;
      out.values[fill[i]++] = v;
      out.cols[fill[j]] = i;
      out.values[fill[j]++] = backward(v);
    }
  }
  return out;
}
