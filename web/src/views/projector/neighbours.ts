/** The k nearest test images to a selection in the 64-D embedding (brute force: 10,000 rows is a few ms). */
import {centroid} from "./customProjection.js";

export interface Neighbour {
  index: number;
  distance: number;
}

/**
 * The `k` rows nearest (Euclidean) to the selected row, or to the centroid of several; rows of
 * the selection itself are left out. Nearest first; ties by lower index.
 */
export function nearestToSelection(
  embeddings: Float32Array,
  dim: number,
  selection: readonly number[],
  k: number
): Neighbour[] {
  if (selection.length === 0 || k < 1) return [];
  const count = embeddings.length / dim;
  const centre = centroid(embeddings, dim, selection);
  const chosen = new Set(selection);
  const best: Neighbour[] = [];
  for (let i = 0; i < count; i++) {
    if (chosen.has(i)) continue;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const t = embeddings[i * dim + d] - centre[d];
      s += t * t;
    }
    if (best.length === k && s >= best[k - 1].distance) continue;
    // Insertion into the short sorted list (k is small).
    let at = best.length;
    while (at > 0 && best[at - 1].distance > s) at--;
    best.splice(at, 0, {index: i, distance: s});
    if (best.length > k) best.pop();
  }
  return best.map((n) => ({index: n.index, distance: Math.sqrt(n.distance)}));
}
