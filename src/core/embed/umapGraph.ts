/**
 * The fuzzy graph of UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426, section 3), from exact
 * nearest neighbours, in typed arrays: per point the distance to its nearest neighbour (rho) and
 * the scale (sigma) that makes its memberships sum to log2(k); memberships exp(-(d - rho) / sigma),
 * symmetrised by the fuzzy union w + w' - w w'. The same steps and constants as umap-js, whose
 * Map-keyed sparse matrices made this the slower half of a layout. Isomorphic.
 */
import {edgesByRow, type Neighbors} from "./knn.js";

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

/** Edges of the symmetric graph, each pair once per direction, row-major (i ascending, then j). */
export interface FuzzyGraph {
  head: Int32Array;
  tail: Int32Array;
  weight: Float64Array;
}

/** rho and sigma per point; `nb` excludes the point itself, `k` counts it (as umap-js does). */
function smoothDistances(nb: Neighbors, k: number): {rho: Float64Array; sigma: Float64Array} {
  const n = nb.count;
  const m = nb.k;
  const target = Math.log2(k);
  const rho = new Float64Array(n);
  const sigma = new Float64Array(n);
  let meanAll = 0;
  for (let t = 0; t < n * m; t++) meanAll += nb.distances[t];
  // umap-js averages rows that include the self distance 0.
  meanAll /= n * (m + 1);
  for (let i = 0; i < n; i++) {
    const row = nb.distances.subarray(i * m, (i + 1) * m);
    let first = 0;
    for (const d of row)
      if (d > 0) {
        first = d;
        break;
      }
    rho[i] = first;
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let iter = 0; iter < 64; iter++) {
      let psum = 0;
      for (const d of row) psum += d - first > 0 ? Math.exp(-(d - first) / mid) : 1;
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let mean = 0;
    for (const d of row) mean += d;
    mean /= m + 1;
    sigma[i] = Math.max(mid, MIN_K_DIST_SCALE * (first > 0 ? mean : meanAll));
  }
  return {rho, sigma};
}

/** The symmetrised fuzzy graph of `nb` (self excluded) for UMAP with `k` neighbours (self included). */
export function fuzzyGraph(nb: Neighbors, k: number): FuzzyGraph {
  const n = nb.count;
  const m = nb.k;
  const {rho, sigma} = smoothDistances(nb, k);
  // Directed memberships w(i -> j), then both directions grouped by row.
  const memberships = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < m; t++) {
      const d = nb.distances[i * m + t] - rho[i];
      memberships[i * m + t] = d <= 0 ? 1 : Math.exp(-d / sigma[i]);
    }
  }
  // Each entry records w(i -> j) as "forward" (positive) or w(j -> i) as "backward" (stored negated, -w - 1).
  const {start: count, cols, values: vals} = edgesByRow(nb, memberships, (w) => -w - 1);
  const head: number[] = [];
  const tail: number[] = [];
  const weight: number[] = [];
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    order.length = 0;
    for (let e = count[i]; e < count[i + 1]; e++) order.push(e);
    order.sort((a, b) => cols[a] - cols[b] || vals[b] - vals[a]);
    for (let s = 0; s < order.length;) {
      const j = cols[order[s]];
      let forward = 0;
      let backward = 0;
      for (; s < order.length && cols[order[s]] === j; s++) {
        const v = vals[order[s]];
        if (v >= 0) forward = v;
        else backward = -v - 1;
      }
      const w = forward + backward - forward * backward;
      if (w > 0) {
        head.push(i);
        tail.push(j);
        weight.push(w);
      }
    }
  }
  return {head: Int32Array.from(head), tail: Int32Array.from(tail), weight: Float64Array.from(weight)};
}
