/**
 * The custom projection of the seed's README: the x axis is the direction between the centroids
 * of two sets of points in the 64-D embedding (e.g. Sneaker → Ankle boot); the y axis is either a
 * second such direction (made orthogonal to x) or the leading principal direction of what x
 * leaves unexplained. Isomorphic.
 */
import {pca} from "../../../../src/core/embed/pca.js";

/** Mean of the rows `indices` of a row-major [count, dim] array. */
export function centroid(embeddings: Float32Array, dim: number, indices: readonly number[]): Float64Array {
  const c = new Float64Array(dim);
  for (const i of indices) for (let d = 0; d < dim; d++) c[d] += embeddings[i * dim + d];
  for (let d = 0; d < dim; d++) c[d] /= Math.max(indices.length, 1);
  return c;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

/** Unit vector from centroid(a) to centroid(b); throws when they coincide. */
export function centroidDirection(
  embeddings: Float32Array,
  dim: number,
  a: readonly number[],
  b: readonly number[]
): Float64Array {
  if (a.length === 0 || b.length === 0) throw new Error("each query must match at least one image");
  const ca = centroid(embeddings, dim, a);
  const cb = centroid(embeddings, dim, b);
  const u = cb.map((v, d) => v - ca[d]);
  const n = norm(u);
  if (!(n > 1e-12)) throw new Error("the two queries have the same centroid; pick different ones");
  return u.map((v) => v / n);
}

function dot(embeddings: Float32Array, i: number, dim: number, v: Float64Array): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += embeddings[i * dim + d] * v[d];
  return s;
}

export interface CustomAxes {
  /** Flat [count, 2] coordinates: x along the first direction, y along the second. */
  layout: Float64Array;
  /** Share of the total variance that each axis shows. */
  varianceShown: [number, number];
}

/** Projects every row on the x direction and on `y` (orthogonalised), or on the residual's first principal axis. */
export function customAxes(embeddings: Float32Array, dim: number, x: Float64Array, y?: Float64Array): CustomAxes {
  const count = embeddings.length / dim;
  const layout = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) layout[i * 2] = dot(embeddings, i, dim, x);
  if (y) {
    const along = y.reduce((s, v, d) => s + v * x[d], 0);
    const v = y.map((value, d) => value - along * x[d]);
    const n = norm(v);
    if (!(n > 1e-9)) throw new Error("the y queries point along the x axis; pick another pair");
    for (let d = 0; d < dim; d++) v[d] /= n;
    for (let i = 0; i < count; i++) layout[i * 2 + 1] = dot(embeddings, i, dim, v);
  } else {
    const residual = new Float64Array(embeddings.length);
    for (let i = 0; i < count; i++) {
      const t = layout[i * 2];
      for (let d = 0; d < dim; d++) residual[i * dim + d] = embeddings[i * dim + d] - t * x[d];
    }
    const p = pca({data: residual, count, dim}, {components: 1});
    for (let i = 0; i < count; i++) layout[i * 2 + 1] = p.projected.data[i];
  }
  return {
    layout,
    varianceShown: [variance(layout, 0), variance(layout, 1)].map((v) => v / totalVariance(embeddings, dim)) as [
      number,
      number
    ]
  };
}

function variance(layout: Float64Array, column: number): number {
  const n = layout.length / 2;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += layout[i * 2 + column];
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (layout[i * 2 + column] - mean) ** 2;
  return s / (n - 1);
}

function totalVariance(embeddings: Float32Array, dim: number): number {
  const n = embeddings.length / dim;
  let total = 0;
  for (let d = 0; d < dim; d++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += embeddings[i * dim + d];
    mean /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (embeddings[i * dim + d] - mean) ** 2;
    total += s / (n - 1);
  }
  return total;
}
