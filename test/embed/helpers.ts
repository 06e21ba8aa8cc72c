/** Synthetic point sets for the projection tests (seeded). Not a test file itself. */
import {gaussian} from "../../src/core/embed/tsne.js";
import type {Points} from "../../src/core/embed/points.js";
import {createRandom} from "../../src/core/random.js";

/** `clusters` Gaussian blobs of `perCluster` points in `dim` dimensions, centres `spread` apart on average. */
export function blobs(
  clusters: number,
  perCluster: number,
  dim: number,
  seed = 1,
  spread = 10
): {points: Points; labels: Uint8Array} {
  const random = createRandom(seed);
  const centres = Array.from({length: clusters}, () => Array.from({length: dim}, () => spread * gaussian(random)));
  const n = clusters * perCluster;
  const data = new Float64Array(n * dim);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    // Interleave the clusters so that order carries no information.
    const c = i % clusters;
    labels[i] = c;
    for (let d = 0; d < dim; d++) data[i * dim + d] = centres[c][d] + gaussian(random);
  }
  return {points: {data, count: n, dim}, labels};
}

/** Fraction of points whose nearest other point (in `p`) has the same label. */
export function nearestNeighbourAgreement(p: Points, labels: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < p.count; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < p.count; j++) {
      if (j === i) continue;
      let s = 0;
      for (let d = 0; d < p.dim; d++) s += (p.data[i * p.dim + d] - p.data[j * p.dim + d]) ** 2;
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    if (labels[best] === labels[i]) same++;
  }
  return same / p.count;
}
