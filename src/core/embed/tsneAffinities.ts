/**
 * The parts of t-SNE (tsne.ts) that run once per fit: the symmetric input similarities P from
 * the exact nearest neighbours, and the initial layout. Isomorphic.
 */
import type {Random} from "../random.js";
import {edgesByRow, type Neighbors} from "./knn.js";
import {pca} from "./pca.js";
import type {Points} from "./points.js";

/** Symmetric P in CSR form: row i's columns are cols[rowStart[i] .. rowStart[i + 1]). */
export interface SparseP {
  rowStart: Int32Array<ArrayBuffer>;
  cols: Int32Array<ArrayBuffer>;
  values: Float64Array<ArrayBuffer>;
}

/** Conditional similarities from the kNN (binary search on the Gaussian precision), symmetrised, in CSR form. */
export function symmetricP(neighbors: Neighbors, perplexity: number): SparseP {
  const n = neighbors.count;
  const k = neighbors.k;
  const conditional = new Float64Array(n * k);
  const target = Math.log(perplexity);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    const d0 = neighbors.distances[base] ** 2;
    let beta = 1;
    let lo = -Infinity;
    let hi = Infinity;
    for (let iter = 0; iter < 200; iter++) {
      let sum = 0;
      let weighted = 0;
      for (let t = 0; t < k; t++) {
        const d2 = neighbors.distances[base + t] ** 2 - d0;
        const v = Math.exp(-beta * d2);
        row[t] = v;
        sum += v;
        weighted += d2 * v;
      }
      // Entropy of the row (shifted distances: the shift cancels in the normalisation).
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      const diff = entropy - target;
      if (Math.abs(diff) < 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    let sum = 0;
    for (let t = 0; t < k; t++) sum += row[t];
    for (let t = 0; t < k; t++) conditional[base + t] = row[t] / sum;
  }
  // Symmetrise: P = (P_cond + P_cond^T) / 2n, merged per row in column order.
  const {start, cols: rawCols, values: rawVals} = edgesByRow(neighbors, conditional);
  const rowStart = new Int32Array(n + 1);
  const cols = new Int32Array(start[n]);
  const values = new Float64Array(start[n]);
  let out = 0;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    rowStart[i] = out;
    order.length = 0;
    for (let e = start[i]; e < start[i + 1]; e++) order.push(e);
    order.sort((a, b) => rawCols[a] - rawCols[b]);
    for (const e of order) {
      if (out > rowStart[i] && cols[out - 1] === rawCols[e]) values[out - 1] += rawVals[e];
      else {
        cols[out] = rawCols[e];
        values[out++] = rawVals[e];
      }
    }
  }
  rowStart[n] = out;
  for (let e = 0; e < out; e++) values[e] /= 2 * n;
  return {rowStart, cols: cols.slice(0, out), values: values.slice(0, out)};
}

/** PCA (scaled to a standard deviation of 1e-4) or Gaussian initial layout, [n, dim]. */
export function initialLayout(
  x: Points,
  dim: 2 | 3,
  init: "pca" | "random",
  random: Random
): Float64Array<ArrayBuffer> {
  const n = x.count;
  const y = new Float64Array(n * dim);
  if (init === "random" || x.dim < dim) {
    for (let t = 0; t < y.length; t++) y[t] = 1e-4 * gaussian(random);
    return y;
  }
  const projected = pca(x, {components: dim}).projected.data;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += projected[i * dim];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (projected[i * dim] - mean) ** 2;
  const std = Math.sqrt(variance / n) || 1;
  for (let t = 0; t < y.length; t++) y[t] = (projected[t] / std) * 1e-4;
  return y;
}

/** A standard normal deviate (Box-Muller) from a uniform source. */
export function gaussian(random: Random): number {
  let u = 0;
  while (u === 0) u = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
