/**
 * Exact principal component analysis: the covariance matrix of the centred data (d x d, 64 x 64
 * for our embeddings) is eigendecomposed with ml-matrix (Householder tridiagonalisation + QL,
 * from JAMA), and the data are projected on the leading eigenvectors. Unlike the TensorBoard
 * Projector's PCA, no sampling of points or dimensions. Eigenvectors have an arbitrary sign; we
 * fix it so that each component's largest-magnitude coefficient is positive, which makes the
 * output reproducible. Isomorphic.
 */
import {EigenvalueDecomposition, Matrix} from "ml-matrix";

import {UserError} from "../errors.js";
import type {Points} from "./points.js";

/** Options for {@link pca}. */
export interface PcaOptions {
  /** Number of components to project on (default 3, at most the data's dimension). */
  components?: number;
}

/** Result of {@link pca}. */
export interface PcaResult {
  /** [count, components] coordinates of the points on the principal axes. */
  projected: Points;
  /** [components, dim] unit principal axes, row-major, by decreasing variance. */
  axes: Float64Array;
  /** Per-dimension mean that was subtracted, [dim]. */
  mean: Float64Array;
  /** Variance along each of the returned axes (eigenvalues of the covariance, denominator n - 1). */
  explainedVariance: Float64Array;
  /** Fraction of the total variance along each returned axis. */
  explainedVarianceRatio: Float64Array;
  /** Total variance (trace of the covariance). */
  totalVariance: number;
}

/** Principal component analysis of `p` (at least 2 points). */
export function pca(p: Points, options: PcaOptions = {}): PcaResult {
  const {count: n, dim} = p;
  const k = options.components ?? Math.min(3, dim);
  if (n < 2) throw new UserError(`PCA needs at least 2 points; got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > dim) {
    throw new UserError(`PCA: components must be between 1 and ${dim}; got ${k}`);
  }
  const x = p.data;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d] += x[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= n;

  // Covariance (upper triangle accumulated, then mirrored).
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) row[d] = x[i * dim + d] - mean[d];
    for (let a = 0; a < dim; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      const base = a * dim;
      for (let b = a; b < dim; b++) cov[base + b] += ra * row[b];
    }
  }
  const covMatrix = new Matrix(dim, dim);
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = cov[a * dim + b] / (n - 1);
      covMatrix.set(a, b, v);
      covMatrix.set(b, a, v);
    }
  }
  const evd = new EigenvalueDecomposition(covMatrix, {assumeSymmetric: true});
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  let totalVariance = 0;
  for (let d = 0; d < dim; d++) totalVariance += covMatrix.get(d, d);

  const axes = new Float64Array(k * dim);
  const explainedVariance = new Float64Array(k);
  const explainedVarianceRatio = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const col = order[c];
    let biggest = 0;
    for (let d = 0; d < dim; d++) {
      const v = vectors.get(d, col);
      if (Math.abs(v) > Math.abs(biggest)) biggest = v;
    }
    const sign = biggest < 0 ? -1 : 1;
    for (let d = 0; d < dim; d++) axes[c * dim + d] = sign * vectors.get(d, col);
    explainedVariance[c] = Math.max(values[col], 0);
    explainedVarianceRatio[c] = totalVariance > 0 ? explainedVariance[c] / totalVariance : 0;
  }

  const projected = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) row[d] = x[i * dim + d] - mean[d];
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += row[d] * axes[c * dim + d];
      projected[i * k + c] = s;
    }
  }
  return {
    projected: {data: projected, count: n, dim: k},
    axes,
    mean,
    explainedVariance,
    explainedVarianceRatio,
    totalVariance
  };
}
