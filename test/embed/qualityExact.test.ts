/**
 * The fast quality measures (quality.ts with qualityKernels.ts, and the worker pool of
 * qualityPool.ts) against the brute-force code they replaced, kept verbatim below: on the 64-d
 * embeddings of the first 2,000 test images from the shipped model they must give the very same
 * numbers (toBe, not toBeCloseTo), also where coordinates tie, on any number of threads.
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";

import {pca} from "../../src/core/embed/pca.js";
import type {Points} from "../../src/core/embed/points.js";
import {knnAccuracy, trustworthiness, type QualityOptions} from "../../src/core/embed/quality.js";
import {qualityReference} from "../../src/core/embed/qualityReference.js";
import {createRandom, permutation} from "../../src/core/random.js";
import {qualityPool} from "../../src/node/embed/qualityPool.js";

// ---- The brute-force measures as they were before the fast search (quality.ts at 3cb4e22). ----

function sampleIndices(n: number, options: QualityOptions): Int32Array {
  const m = Math.min(options.sample ?? 1000, n);
  if (m === n) return Int32Array.from({length: n}, (_, i) => i);
  return permutation(n, options.random ?? createRandom(42))
    .slice(0, m)
    .sort();
}

function distancesFrom(p: Points, i: number, out: Float64Array): Float64Array {
  const {data, dim, count} = p;
  const oi = i * dim;
  for (let j = 0; j < count; j++) {
    const oj = j * dim;
    let s = 0;
    for (let d = 0; d < dim; d++) {
      const t = data[oi + d] - data[oj + d];
      s += t * t;
    }
    out[j] = s;
  }
  out[i] = Infinity;
  return out;
}

function kSmallest(dist: Float64Array, k: number): Int32Array {
  const best = new Int32Array(k).fill(-1);
  const bestD = new Float64Array(k).fill(Infinity);
  for (let j = 0; j < dist.length; j++) {
    const d = dist[j];
    if (d >= bestD[k - 1]) continue;
    let t = k - 1;
    while (t > 0 && bestD[t - 1] > d) {
      bestD[t] = bestD[t - 1];
      best[t] = best[t - 1];
      t--;
    }
    bestD[t] = d;
    best[t] = j;
  }
  return best;
}

function oldTrustworthiness(high: Points, low: Points, options: QualityOptions = {}): number {
  const k = options.k ?? 10;
  const n = high.count;
  const queries = sampleIndices(n, options);
  const dh = new Float64Array(n);
  const dl = new Float64Array(n);
  let penalty = 0;
  for (const i of queries) {
    distancesFrom(high, i, dh);
    distancesFrom(low, i, dl);
    const highNearest = new Set(kSmallest(dh, k));
    for (const j of kSmallest(dl, k)) {
      if (highNearest.has(j)) continue;
      let rank = 1;
      const dij = dh[j];
      for (let m = 0; m < n; m++) if (dh[m] < dij) rank++;
      penalty += rank - k;
    }
  }
  return 1 - (2 / (queries.length * k * (2 * n - 3 * k - 1))) * penalty;
}

function oldKnnAccuracy(p: Points, labels: ArrayLike<number>, options: QualityOptions = {}): number {
  const k = options.k ?? 10;
  const queries = sampleIndices(p.count, options);
  const dist = new Float64Array(p.count);
  const votes = new Map<number, number>();
  let correct = 0;
  for (const i of queries) {
    distancesFrom(p, i, dist);
    votes.clear();
    const nearest = kSmallest(dist, k);
    nearest.forEach((j, rank) => {
      votes.set(labels[j], (votes.get(labels[j]) ?? 0) + 1 + (k - rank) / (k * k * 4));
    });
    let best = -1;
    let bestVotes = -Infinity;
    for (const [label, v] of votes) {
      if (v > bestVotes) {
        best = label;
        bestVotes = v;
      }
    }
    if (best === labels[i]) correct++;
  }
  return correct / queries.length;
}

// ---- The comparisons. ----

const COUNT = 2000;
const haveModel = haveRealModel("qualityExact.test.ts");

let x: Points;
let labels: Uint8Array;
/** Layouts of x: PCA in 2-D and 3-D, PCA with noise (many false neighbours), PCA on a coarse grid (many ties). */
let layouts: Record<string, Points>;

const map = (p: Points, f: (v: number, t: number) => number): Points => ({...p, data: p.data.map(f)});

describe.skipIf(!haveModel)(`quality measures of ${COUNT} real embeddings`, () => {
  beforeAll(async () => {
    const real = await realEmbeddings(COUNT);
    // Every 50th image twice, so that the original space has exact ties too.
    const rows = Array.from({length: COUNT}, (_, i) => (i % 50 === 49 ? i - 1 : i));
    const dim = real.points.dim;
    const data = new Float32Array(COUNT * dim);
    rows.forEach((r, i) => data.set(real.points.data.subarray(r * dim, (r + 1) * dim), i * dim));
    x = {data, count: COUNT, dim};
    labels = Uint8Array.from(rows, (r) => real.labels[r]);
    const random = createRandom(11);
    const pca2 = pca(x, {components: 2}).projected;
    layouts = {
      pca2,
      pca3: pca(x, {components: 3}).projected,
      noisy: map(pca2, (v) => v + 3 * (random() - 0.5)),
      grid: map(pca2, (v) => Math.round(v * 2) / 2)
    };
  }, 120_000);

  it("has the tie cases it means to test", () => {
    const grid = layouts.grid.data;
    const distinct = new Set(Array.from({length: COUNT}, (_, i) => `${grid[2 * i]},${grid[2 * i + 1]}`));
    expect(distinct.size).toBeLessThan(COUNT / 4);
    expect(x.data.subarray(48 * x.dim, 49 * x.dim)).toEqual(x.data.subarray(49 * x.dim, 50 * x.dim));
  });

  it("gives the brute-force trustworthiness bit for bit, from the points or a prepared reference", () => {
    const reference = qualityReference(x);
    expect(reference).toBeDefined();
    for (const [name, low] of Object.entries(layouts)) {
      for (const [k, sample, seed] of [
        [10, 1000, 1],
        [5, COUNT, 2],
        [25, 300, 3]
      ]) {
        const options = () => ({k, sample, random: createRandom(seed)});
        const old = oldTrustworthiness(x, low, options());
        expect(trustworthiness(x, low, options()), `${name}, k = ${k}`).toBe(old);
        expect(trustworthiness(reference as Points, low, options()), `${name}, k = ${k}`).toBe(old);
      }
    }
  });

  it("gives the brute-force kNN accuracy bit for bit, in the layouts and in 64-d", () => {
    for (const [name, p] of Object.entries({...layouts, x, reference: qualityReference(x) as Points})) {
      for (const k of [1, 10, 30]) {
        const options = () => ({k, sample: 1500, random: createRandom(k)});
        expect(knnAccuracy(p, labels, options()), `${name}, k = ${k}`).toBe(oldKnnAccuracy(p, labels, options()));
      }
    }
  });

  it("gives the same numbers on worker threads as on this thread", async () => {
    const reference = qualityReference(x) as Points;
    // Three threads: the chunks of queries do not split evenly between them.
    const pool = qualityPool(3);
    for (const [name, low] of Object.entries(layouts)) {
      const options = () => ({k: 10, sample: 1000, random: createRandom(5)});
      expect(await pool.trustworthiness(reference, low, options()), name).toBe(trustworthiness(x, low, options()));
      expect(await pool.knnAccuracy(low, labels, options()), name).toBe(knnAccuracy(low, labels, options()));
    }
    const options = () => ({k: 10, sample: 2000, random: createRandom(6)});
    expect(await pool.knnAccuracy(reference, labels, options())).toBe(knnAccuracy(x, labels, options()));
  });

  it("falls back to brute force, with the same numbers, where a layout has a non-finite coordinate", () => {
    const broken = map(layouts.pca2, (v, t) => (t === 7 ? NaN : v));
    const options = () => ({k: 10, sample: 500, random: createRandom(9)});
    expect(trustworthiness(x, broken, options())).toBe(oldTrustworthiness(x, broken, options()));
    expect(knnAccuracy(broken, labels, options())).toBe(oldKnnAccuracy(broken, labels, options()));
  });
});
