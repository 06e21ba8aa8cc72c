/**
 * The fast quality measures (quality.ts with qualityKernels.ts, and the worker pool of
 * qualityPool.ts) against the definitions, computed below the slow way (every point sorted by its
 * distance): on the 64-d embeddings of the first 2,000 test images from the shipped model they must
 * give the very same numbers (toBe, not toBeCloseTo), also where coordinates tie, on any number of
 * threads. Ties are part of the definition: nearer first, then the lower index; a neighbour's rank
 * counts only the points strictly nearer.
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";

import {pca} from "../../src/core/embed/pca.js";
import type {Points} from "../../src/core/embed/points.js";
import {
  knnAccuracy,
  sampleIndices,
  trustFromPenalty,
  trustworthiness,
  type QualityOptions
} from "../../src/core/embed/quality.js";
import {bruteKnnHits, bruteTrustPenalty} from "../../src/core/embed/qualityBrute.js";
import {votedLabel} from "../../src/core/embed/qualityKernels.js";
import {qualityReference} from "../../src/core/embed/qualityReference.js";
import {createRandom} from "../../src/core/random.js";
import {qualityPool} from "../../src/node/embed/qualityPool.js";

// ---- The definitions, the slow way. ----

const square = (t: number): number => t * t;

/** Squared distances from point i (its own: Infinity) and every point ordered by them. */
function byDistance(p: Points, i: number): {squared: Float64Array; order: Int32Array} {
  const {data, dim, count} = p;
  const squared = new Float64Array(count).fill(Infinity);
  for (let j = 0; j < count; j++) {
    if (j === i) continue;
    squared[j] = 0;
    for (let d = 0; d < dim; d++) squared[j] += square(data[i * dim + d] - data[j * dim + d]);
  }
  const order = Int32Array.from({length: count}, (_, j) => j).sort((a, b) => squared[a] - squared[b] || a - b);
  return {squared, order};
}

/** `compute` remembered per point set and point (the comparisons ask for the same points many times). */
function remembered<T>(compute: (p: Points, i: number) => T): (p: Points, i: number) => T {
  const cache = new WeakMap<Points, Map<number, T>>();
  return (p, i) => {
    const known = cache.get(p) ?? new Map<number, T>();
    cache.set(p, known);
    if (!known.has(i)) known.set(i, compute(p, i));
    return known.get(i) as T;
  };
}

/** The largest k the comparisons use. */
const MOST_K = 30;
/** Every distance from a point of the original space, for the ranks. */
const original = remembered(byDistance);
/** Only the MOST_K nearest of a point, for memory. */
const nearestFew = remembered((p, i) => byDistance(p, i).order.slice(0, MOST_K));

function kNearest(p: Points, i: number, k: number): Int32Array {
  if (k > MOST_K) throw new Error(`k = ${k}: raise MOST_K`);
  return nearestFew(p, i).subarray(0, k);
}

function definedTrustworthiness(high: Points, low: Points, options: QualityOptions = {}): number {
  const k = options.k ?? 10;
  const queries = sampleIndices(high.count, options);
  let penalty = 0;
  for (const i of queries) {
    const {squared, order} = original(high, i);
    const kept = new Set(order.subarray(0, k));
    for (const j of kNearest(low, i, k)) {
      if (!kept.has(j)) penalty += squared.filter((s) => s < squared[j]).length + 1 - k;
    }
  }
  return trustFromPenalty(penalty, queries.length, k, high.count);
}

function definedKnnAccuracy(p: Points, labels: ArrayLike<number>, options: QualityOptions = {}): number {
  const k = options.k ?? 10;
  const queries = Array.from(sampleIndices(p.count, options));
  const votes = new Map<number, number>();
  const hits = queries.filter((i) => votedLabel(kNearest(p, i, k), labels, votes) === labels[i]);
  return hits.length / queries.length;
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

  it("gives the defined trustworthiness bit for bit, from the points or a prepared reference", () => {
    const reference = qualityReference(x);
    expect(reference).toBeDefined();
    for (const [name, low] of Object.entries(layouts)) {
      for (const [k, sample, seed] of [
        [10, 1000, 1],
        [5, COUNT, 2],
        [25, 300, 3]
      ]) {
        const options = () => ({k, sample, random: createRandom(seed)});
        const defined = definedTrustworthiness(x, low, options());
        expect(trustworthiness(x, low, options()), `${name}, k = ${k}`).toBe(defined);
        expect(trustworthiness(reference as Points, low, options()), `${name}, k = ${k}`).toBe(defined);
      }
    }
  });

  it("gives the defined kNN accuracy bit for bit, in the layouts and in 64-d", () => {
    for (const [name, p] of Object.entries({...layouts, x, reference: qualityReference(x) as Points})) {
      for (const k of [1, 10, 30]) {
        const options = () => ({k, sample: 1500, random: createRandom(k)});
        expect(knnAccuracy(p, labels, options()), `${name}, k = ${k}`).toBe(definedKnnAccuracy(p, labels, options()));
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

  it("falls back to brute force where a layout has a non-finite coordinate", () => {
    const broken = map(layouts.pca2, (v, t) => (t === 7 ? NaN : v));
    const options = () => ({k: 10, sample: 500, random: createRandom(9)});
    const queries = sampleIndices(COUNT, options());
    const brute = trustFromPenalty(bruteTrustPenalty(x, broken, queries, 10), queries.length, 10, COUNT);
    expect(trustworthiness(x, broken, options())).toBe(brute);
    expect(knnAccuracy(broken, labels, options())).toBe(bruteKnnHits(broken, labels, queries, 10) / queries.length);
    // Brute force is the definition wherever the coordinates are finite.
    const finite = layouts.noisy;
    const penalty = bruteTrustPenalty(x, finite, queries, 10);
    expect(trustFromPenalty(penalty, queries.length, 10, COUNT)).toBe(definedTrustworthiness(x, finite, options()));
    expect(bruteKnnHits(finite, labels, queries, 10) / queries.length).toBe(
      definedKnnAccuracy(finite, labels, options())
    );
  });
});
