/**
 * A set of points as one flat row-major array: the exchange format of the projection modules
 * (typed arrays travel to and from a Web Worker without copying). Isomorphic.
 */
import {UserError} from "../errors.js";

/** `count` points of `dim` coordinates, row-major: point i is `data[i * dim .. (i + 1) * dim)`. */
export interface Points {
  data: Float32Array | Float64Array;
  count: number;
  dim: number;
}

/** Wraps a flat array as {@link Points}, checking that its length is a multiple of `dim`. */
export function points(data: Float32Array | Float64Array, dim: number): Points {
  if (!Number.isInteger(dim) || dim < 1 || data.length % dim !== 0) {
    throw new UserError(`points: ${data.length} values do not make rows of ${dim}`);
  }
  return {data, count: data.length / dim, dim};
}

/** Converts row arrays (umap-js' format) to {@link Points}. */
export function pointsFromRows(rows: ArrayLike<number>[], dim = rows[0]?.length ?? 0): Points {
  const data = new Float64Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new UserError(`points: row ${i} has ${row.length} values, expected ${dim}`);
    for (let d = 0; d < dim; d++) data[i * dim + d] = row[d];
  });
  return {data, count: rows.length, dim};
}

/** Converts {@link Points} to row arrays (umap-js' format). */
export function toRows(p: Points): number[][] {
  const rows: number[][] = new Array(p.count);
  for (let i = 0; i < p.count; i++) rows[i] = Array.from(p.data.subarray(i * p.dim, (i + 1) * p.dim));
  return rows;
}

/** The first `dims` columns of `p`, as a new Float64Array-backed set. */
export function firstColumns(p: Points, dims: number): Points {
  const data = new Float64Array(p.count * dims);
  for (let i = 0; i < p.count; i++) for (let d = 0; d < dims; d++) data[i * dims + d] = p.data[i * p.dim + d];
  return {data, count: p.count, dim: dims};
}
