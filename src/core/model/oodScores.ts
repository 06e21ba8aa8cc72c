/**
 * Out-of-distribution scores on the network's penultimate features (the 64-d global-average-pooled
 * embedding) and its logits; higher means less like the training data. bench/ood.ts compares them:
 * - knn: distance from the L2-normalised embedding to its k-th nearest normalised training embedding
 *   (Sun et al. 2022, "Out-of-distribution detection with deep nearest neighbors");
 * - mahalanobis: smallest Mahalanobis distance² to a class mean, with one shared covariance (Lee et al. 2018);
 * - energy: −logsumexp(logits) (Liu et al. 2020); maxLogit: −max logit; maxSoftmax: −max probability
 *   (Hendrycks & Gimpel 2017);
 * - centroid: the project's first rule as a score, max(distance to the predicted class's centroid /
 *   its p99 training distance, minConfidence / max probability): above 1 is flagged.
 * Fitting takes the features of training images. Isomorphic (kNN runs as TF.js matrix products).
 */
import * as tf from "@tensorflow/tfjs";
import {inverse, Matrix} from "ml-matrix";

import type {OodMethod, OodStats} from "../formats/oodStats.js";
import {createRandom, permutation} from "../random.js";

/** The features of `count` inputs, row-major. */
export interface FeatureSet {
  count: number;
  dims: number;
  classes: number;
  embeddings: Float32Array;
  logits: Float32Array;
  probabilities: Float32Array;
}

/** What {@link fitOodStatistics} computes: everything but the chosen rule and its measurements. */
export type FittedStats = Omit<OodStats, "method" | "threshold" | "mirror" | "falseAlarmRate" | "auroc">;

export interface FitOptions {
  /** Training embeddings kept for kNN (default 10,000, or all when fewer). */
  bankSize?: number;
  k?: number;
  seed?: number;
  /** Percentile of the centroid rule (default 99) and its confidence floor (default 0.5). */
  percentile?: number;
  minConfidence?: number;
}

function argmax(values: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (values[start + i] > values[start + best]) best = i;
  return best;
}

function distance(a: Float32Array, aStart: number, b: Float32Array, bStart: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[aStart + i] - b[bStart + i]) ** 2;
  return Math.sqrt(s);
}

/** Rows scaled to unit length (a zero row stays zero). */
export function l2Normalise(rows: Float32Array, dims: number): Float32Array {
  const out = new Float32Array(rows.length);
  for (let r = 0; r < rows.length / dims; r++) {
    let s = 0;
    for (let i = 0; i < dims; i++) s += rows[r * dims + i] ** 2;
    const scale = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < dims; i++) out[r * dims + i] = rows[r * dims + i] * scale;
  }
  return out;
}

/** Class means, shared covariance's inverse, the kNN bank and the centroid rule's thresholds. */
export function fitOodStatistics(train: FeatureSet, labels: ArrayLike<number>, options: FitOptions = {}): FittedStats {
  const {count: n, dims, classes} = train;
  const x = train.embeddings;
  const sums = new Float64Array(classes * dims);
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    counts[labels[i]]++;
    for (let d = 0; d < dims; d++) sums[labels[i] * dims + d] += x[i * dims + d];
  }
  const means = Float32Array.from(sums, (s, j) => s / Math.max(1, counts[Math.floor(j / dims)]));
  // Within-class covariance, accumulated as a dims × dims matrix product of the centred rows.
  const centred = new Matrix(n, dims);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dims; d++) centred.set(i, d, x[i * dims + d] - means[labels[i] * dims + d]);
  }
  const cov = centred.transpose().mmul(centred).div(Math.max(1, n));
  // A small ridge keeps the inverse finite when some features are dead (always 0 after ReLU).
  const ridge = 1e-6 * Math.max(1e-12, cov.trace() / dims);
  for (let d = 0; d < dims; d++) cov.set(d, d, cov.get(d, d) + ridge);
  const precision = Float32Array.from(inverse(cov).to1DArray());

  const bankSize = Math.min(n, options.bankSize ?? 10_000);
  const order = permutation(n, createRandom(options.seed ?? 16));
  const picked = new Float32Array(bankSize * dims);
  for (let j = 0; j < bankSize; j++) picked.set(x.subarray(order[j] * dims, (order[j] + 1) * dims), j * dims);
  const bank = l2Normalise(picked, dims);

  const {centroids, maxDistance} = fitCentroids(train, labels, options.percentile ?? 99);
  return {
    k: Math.min(options.k ?? 5, bankSize),
    dims,
    classes,
    samples: n,
    minConfidence: options.minConfidence ?? 0.5,
    means,
    precision,
    bank,
    centroids,
    maxDistance
  };
}

/** The first rule's statistics: centroids of correctly classified images and their p-th distance. */
function fitCentroids(train: FeatureSet, labels: ArrayLike<number>, percentile: number) {
  const {count: n, dims, classes} = train;
  const correct = (i: number) => argmax(train.probabilities, i * classes, classes) === labels[i];
  const sums = new Float64Array(classes * dims);
  const counts = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    if (!correct(i)) continue;
    counts[labels[i]]++;
    for (let d = 0; d < dims; d++) sums[labels[i] * dims + d] += train.embeddings[i * dims + d];
  }
  const centroids = Float32Array.from(sums, (s, j) => s / Math.max(1, counts[Math.floor(j / dims)]));
  const distances: number[][] = Array.from({length: classes}, () => []);
  for (let i = 0; i < n; i++) {
    if (correct(i)) distances[labels[i]].push(distance(train.embeddings, i * dims, centroids, labels[i] * dims, dims));
  }
  const maxDistance = Float32Array.from(distances, (ds) => {
    if (ds.length === 0) return Infinity;
    ds.sort((a, b) => a - b);
    return ds[Math.min(ds.length - 1, Math.floor((percentile / 100) * ds.length))];
  });
  return {centroids, maxDistance};
}

/** The chosen score of every input in `set` (see the file comment); higher is less like the training data. */
export function oodScores(stats: FittedStats, method: OodMethod, set: FeatureSet): Float64Array {
  if (set.dims !== stats.dims || set.classes !== stats.classes) {
    throw new Error(`ood: features of ${set.dims}/${set.classes} for statistics of ${stats.dims}/${stats.classes}`);
  }
  if (method === "knn") return knnScores(stats, set);
  const {count, dims, classes} = set;
  const out = new Float64Array(count);
  const pf = new Float64Array(dims);
  // (f − μc)ᵀ P (f − μc) = fᵀPf − 2 μcᵀ(Pf) + μcᵀPμc: one dims² product per input, not one per class.
  const mPm = method === "mahalanobis" ? classQuadratics(stats) : new Float64Array(0);
  for (let i = 0; i < count; i++) {
    const z = i * classes;
    if (method === "maxSoftmax") out[i] = -set.probabilities[z + argmax(set.probabilities, z, classes)];
    else if (method === "maxLogit") out[i] = -set.logits[z + argmax(set.logits, z, classes)];
    else if (method === "energy") {
      const m = set.logits[z + argmax(set.logits, z, classes)];
      let s = 0;
      for (let c = 0; c < classes; c++) s += Math.exp(set.logits[z + c] - m);
      out[i] = -(m + Math.log(s));
    } else if (method === "mahalanobis") {
      const f = set.embeddings.subarray(i * dims, (i + 1) * dims);
      let fPf = 0;
      for (let a = 0; a < dims; a++) {
        let s = 0;
        for (let b = 0; b < dims; b++) s += stats.precision[a * dims + b] * f[b];
        pf[a] = s;
        fPf += f[a] * s;
      }
      let best = Infinity;
      for (let c = 0; c < classes; c++) {
        let cross = 0;
        for (let a = 0; a < dims; a++) cross += stats.means[c * dims + a] * pf[a];
        best = Math.min(best, fPf - 2 * cross + mPm[c]);
      }
      out[i] = Math.max(0, best);
    } else {
      const c = argmax(set.probabilities, z, classes);
      const d = distance(set.embeddings, i * dims, stats.centroids, c * dims, dims);
      out[i] = Math.max(d / stats.maxDistance[c], stats.minConfidence / Math.max(1e-12, set.probabilities[z + c]));
    }
  }
  return out;
}

/** μcᵀ P μc for every class. */
function classQuadratics(stats: FittedStats): Float64Array {
  const {dims, classes} = stats;
  return Float64Array.from({length: classes}, (_, c) => {
    let q = 0;
    for (let a = 0; a < dims; a++) {
      let s = 0;
      for (let b = 0; b < dims; b++) s += stats.precision[a * dims + b] * stats.means[c * dims + b];
      q += stats.means[c * dims + a] * s;
    }
    return q;
  });
}

/** Distance to the k-th nearest bank embedding, both L2-normalised: √(2 − 2·cosine). */
function knnScores(stats: FittedStats, set: FeatureSet): Float64Array {
  const {dims} = stats;
  const bankSize = stats.bank.length / dims;
  const k = Math.min(stats.k, bankSize);
  const queries = l2Normalise(set.embeddings, dims);
  const out = new Float64Array(set.count);
  const bank = tf.tensor2d(stats.bank, [bankSize, dims]);
  try {
    const batch = 512;
    for (let start = 0; start < set.count; start += batch) {
      const n = Math.min(batch, set.count - start);
      const sims = tf.tidy(() =>
        tf.matMul(tf.tensor2d(queries.subarray(start * dims, (start + n) * dims), [n, dims]), bank, false, true)
      );
      const values = sims.dataSync();
      sims.dispose();
      // The k largest similarities of each row, kept sorted in a small array (tf.topk is slower here).
      const top = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        top.fill(-Infinity);
        const row = i * bankSize;
        for (let j = 0; j < bankSize; j++) {
          const v = values[row + j];
          if (v <= top[k - 1]) continue;
          let t = k - 1;
          for (; t > 0 && top[t - 1] < v; t--) top[t] = top[t - 1];
          top[t] = v;
        }
        out[start + i] = Math.sqrt(Math.max(0, 2 - 2 * top[k - 1]));
      }
    }
  } finally {
    bank.dispose();
  }
  return out;
}
