/**
 * The original-space side of the quality measures, prepared once per data set and shared by every
 * layout measured against it: the points as Float64 and their coordinates on the leading principal
 * axes, whose distances bound the full distances from below. Those bounds only let a search skip
 * points that cannot matter; what it keeps is measured exactly as the brute-force definition does.
 *
 * Why the bound is safe although it is computed in floating point (u = 2^-53; γ_m ≈ m·u):
 * with U the axes, c ≥ σ_max(U)² (measured from UᵀU, so the axes need not be exactly orthonormal)
 * and y the computed projections, |x_i - x_m| ≥ |Uᵀ(x_i - x_m)| / √c and
 * |Uᵀ(x_i - x_m)| ≥ |y_i - y_m| - E, where E bounds the rounding of two projections
 * (2·√P·γ_{dim+2}·√c·max|x - mean|). The brute-force sum of squares is within γ_{dim+2} of the true
 * squared distance, and the bound's own sum within γ_{P+2}. {@link skipAbove} adds a relative 1e-10
 * and uses 4 E, far more than those roundings, and a bound on fewer axes is lower still.
 * Isomorphic.
 */
import {pca} from "./pca.js";
import type {Points} from "./points.js";

/** Coordinates at or above this size could overflow a squared distance; quality.ts then measures by brute force. */
export const SAFE_MAGNITUDE = 1e150;

/** Whether every coordinate is finite and below {@link SAFE_MAGNITUDE}. */
export function safeCoordinates(data: ArrayLike<number>): boolean {
  for (let t = 0; t < data.length; t++) if (!(Math.abs(data[t]) < SAFE_MAGNITUDE)) return false;
  return true;
}

/** Principal axes used for the bounds (fewer when the data have fewer dimensions). */
export const BOUND_AXES = 16;

/** The original points of a quality measurement, prepared for the searches of qualityKernels.ts. */
export interface QualityReference {
  data: Float64Array;
  count: number;
  dim: number;
  /** Coordinates on the leading principal axes, row-major, `axes` per point. */
  projected: Float64Array;
  axes: number;
  /** c above: at least the largest squared singular value of the axes. */
  stretch: number;
  /** 4 E above: the most that rounding can move a projected distance. */
  slack: number;
}

/** The reference of `p`, or undefined when its coordinates are not safe for the fast search. */
export function qualityReference(p: Points): QualityReference | undefined {
  if (!safeCoordinates(p.data)) return undefined;
  const {count, dim} = p;
  const data = p.data instanceof Float64Array ? p.data : Float64Array.from(p.data);
  const axes = Math.min(BOUND_AXES, dim);
  const result = pca({data, count, dim}, {components: axes});
  let offOrthonormal = 0;
  for (let a = 0; a < axes; a++) {
    for (let b = 0; b < axes; b++) {
      let g = 0;
      for (let d = 0; d < dim; d++) g += result.axes[a * dim + d] * result.axes[b * dim + d];
      offOrthonormal += (g - (a === b ? 1 : 0)) ** 2;
    }
  }
  const stretch = 1 + Math.sqrt(offOrthonormal) + 1e-12;
  let radius = 0;
  for (let i = 0; i < count; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (data[i * dim + d] - result.mean[d]) ** 2;
    radius = Math.max(radius, Math.sqrt(s));
  }
  const slack = 8 * Math.sqrt(axes) * (dim + 2) * 2 ** -53 * Math.sqrt(stretch) * radius;
  return {data, count, dim, projected: result.projected.data as Float64Array, axes, stretch, slack};
}

/**
 * A squared projected distance above which the full squared distance, summed as the brute-force
 * definition sums it, is certainly at least `bound` (Infinity for an infinite bound).
 */
export function skipAbove(ref: QualityReference, bound: number): number {
  return (Math.sqrt(bound * ref.stretch) * (1 + 1e-10) + ref.slack) ** 2 * (1 + 1e-10);
}
