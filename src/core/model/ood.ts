/**
 * A simple, documented out-of-distribution signal: an input is flagged as unlike Fashion-MNIST
 * when the network is unsure (maximum softmax probability below a threshold, Hendrycks & Gimpel
 * 2017) or when its 64-d embedding lies further from the predicted class's centroid than
 * `percentile` of that class's own training images (a nearest-class-mean distance test).
 * The statistics are computed on training images and stored in the model's metadata.json.
 * The flag never changes the predicted class. Isomorphic.
 */
export interface OodStats {
  /** Softmax probability below which an input is flagged (default 0.5). */
  minConfidence: number;
  /** Per-class centroid of the embeddings of correctly classified training images [classes][dims]. */
  centroids: number[][];
  /** Per-class distance threshold (the `percentile` of training distances to the centroid). */
  maxDistance: number[];
  /** Percentile used for `maxDistance` (e.g. 99). */
  percentile: number;
  /** Number of training images the statistics were computed from. */
  samples: number;
}

export interface OodFlag {
  ood: boolean;
  reason?: string;
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Flags an input from its probabilities and embedding; without stats only confidence is used. */
export function detectOod(
  probabilities: ArrayLike<number>,
  embedding: ArrayLike<number> | undefined,
  predicted: number,
  stats?: OodStats
): OodFlag {
  const minConfidence = stats?.minConfidence ?? 0.5;
  const score = probabilities[predicted];
  if (score < minConfidence) {
    return {ood: true, reason: `low confidence (${score.toFixed(2)} < ${minConfidence})`};
  }
  if (stats && embedding && stats.centroids[predicted] && embedding.length === stats.centroids[predicted].length) {
    const d = distance(embedding, stats.centroids[predicted]);
    if (d > stats.maxDistance[predicted]) {
      return {
        ood: true,
        reason: `embedding far from the class centroid (${d.toFixed(2)} > ${stats.maxDistance[predicted].toFixed(2)})`
      };
    }
  }
  return {ood: false};
}

/**
 * Computes the statistics from training embeddings [n][dims], labels and predictions.
 */
export function computeOodStats(
  embeddings: Float32Array,
  dims: number,
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
  percentile = 99,
  minConfidence = 0.5
): OodStats {
  const n = labels.length;
  const sums = Array.from({length: classes}, () => new Float64Array(dims));
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < n; i++) {
    if (labels[i] !== predicted[i]) continue;
    const c = labels[i];
    counts[c]++;
    for (let k = 0; k < dims; k++) sums[c][k] += embeddings[i * dims + k];
  }
  const centroids = sums.map((s, c) => Array.from(s, (v) => (counts[c] > 0 ? v / counts[c] : 0)));
  const distances: number[][] = Array.from({length: classes}, () => []);
  for (let i = 0; i < n; i++) {
    if (labels[i] !== predicted[i]) continue;
    distances[labels[i]].push(distance(embeddings.subarray(i * dims, (i + 1) * dims), centroids[labels[i]]));
  }
  const maxDistance = distances.map((ds) => {
    if (ds.length === 0) return Infinity;
    ds.sort((a, b) => a - b);
    return ds[Math.min(ds.length - 1, Math.floor((percentile / 100) * ds.length))];
  });
  return {minConfidence, centroids, maxDistance, percentile, samples: n};
}
