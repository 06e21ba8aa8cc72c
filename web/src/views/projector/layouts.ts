/** Point positions for the scatter: the export's precomputed layouts, centred and scaled to the unit ball. */
import type {ProjectionsFile} from "../../../../src/core/formats/projections.js";

export type PrecomputedMethod = "pca" | "tsne" | "umap";
export type Method = PrecomputedMethod | "custom";
export type Dim = 2 | 3;

export const METHOD_NAMES: Record<Method, string> = {pca: "PCA", tsne: "t-SNE", umap: "UMAP", custom: "Custom"};
export const PRECOMPUTED: readonly PrecomputedMethod[] = ["pca", "tsne", "umap"];

/** Whether projections.json holds `method` in `dim` dimensions for every point. */
export function hasLayout(file: ProjectionsFile, method: PrecomputedMethod, dim: Dim): boolean {
  const rows = file.projections[method]?.[dim === 2 ? "2d" : "3d"];
  return Array.isArray(rows) && rows.length === file.count;
}

/**
 * Rows of `dim` numbers (or a flat array) as xyz triples (z = 0 in 2-D), centred on the bounding
 * box and scaled so the farthest point is at distance 1: every layout then fits the same camera.
 */
export function normaliseLayout(
  source: ArrayLike<number>[] | ArrayLike<number>,
  dim: Dim,
  count: number
): Float32Array {
  const out = new Float32Array(count * 3);
  const flat = !Array.isArray(source);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dim; d++) {
      out[i * 3 + d] = flat ? (source as ArrayLike<number>)[i * dim + d] : (source as ArrayLike<number>[])[i][d];
    }
  }
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < 3; d++) {
      const v = out[i * 3 + d];
      if (v < lo[d]) lo[d] = v;
      if (v > hi[d]) hi[d] = v;
    }
  }
  const centre = lo.map((l, d) => (count > 0 ? (l + hi[d]) / 2 : 0));
  let radius = 0;
  for (let i = 0; i < count; i++) {
    let r = 0;
    for (let d = 0; d < 3; d++) {
      const v = out[i * 3 + d] - centre[d];
      out[i * 3 + d] = v;
      r += v * v;
    }
    radius = Math.max(radius, r);
  }
  const scale = radius > 0 ? 1 / Math.sqrt(radius) : 1;
  for (let i = 0; i < out.length; i++) out[i] *= scale;
  return out;
}

/** A precomputed layout, normalised. */
export function precomputedLayout(file: ProjectionsFile, method: PrecomputedMethod, dim: Dim): Float32Array {
  const rows = file.projections[method]?.[dim === 2 ? "2d" : "3d"];
  if (!rows) throw new Error(`projections.json has no ${dim}-D ${METHOD_NAMES[method]}`);
  return normaliseLayout(rows, dim, file.count);
}

/** A short fingerprint of positions (tests compare it to see that the layout changed). */
export function layoutChecksum(positions: Float32Array): string {
  let s = 0;
  for (let i = 0; i < positions.length; i++) s += positions[i] * ((i % 7) + 1);
  return s.toFixed(4);
}
