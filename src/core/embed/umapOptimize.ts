/**
 * UMAP's layout optimisation (McInnes, Healy & Melville 2018, arXiv:1802.03426, section 3.2) in
 * flat typed arrays: per epoch, every edge due by its weight pulls its two ends together, and each
 * pull brings 5 negative samples that push the head away from random points; gradients clipped
 * at 4, learning rate falling linearly from 1 to 0. The same schedule and constants as umap-js
 * (and umap-learn), whose array-of-arrays loop was 3–4x slower than uwot. The random source is
 * read in a fixed order, so the same seed gives the same bytes. Isomorphic.
 */
import type {Random} from "../random.js";
import type {FuzzyGraph} from "./umapGraph.js";

const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;

/** The curve 1 / (1 + a d^(2b)) that best fits the membership of `minDist` and `spread` (umap-learn's find_ab_params). */
export function fitAB(spread: number, minDist: number): {a: number; b: number} {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = 0; t < 300; t++) {
    const x = (t * 3 * spread) / 299;
    xs.push(x);
    ys.push(x < minDist ? 1 : Math.exp(-(x - minDist) / spread));
  }
  // Levenberg-Marquardt on two parameters (closed-form 2x2 solve), from a = b = 1.
  let a = 1;
  let b = 1;
  let lambda = 1e-3;
  const cost = (a_: number, b_: number) => xs.reduce((s, x, t) => s + (1 / (1 + a_ * x ** (2 * b_)) - ys[t]) ** 2, 0);
  let current = cost(a, b);
  for (let iter = 0; iter < 200; iter++) {
    let jaa = 0;
    let jab = 0;
    let jbb = 0;
    let ga = 0;
    let gb = 0;
    for (let t = 0; t < xs.length; t++) {
      const x = xs[t];
      if (x === 0) continue;
      const p = x ** (2 * b);
      const f = 1 / (1 + a * p);
      const r = f - ys[t];
      const da = -p * f * f;
      const db = -a * p * 2 * Math.log(x) * f * f;
      jaa += da * da;
      jab += da * db;
      jbb += db * db;
      ga += da * r;
      gb += db * r;
    }
    const m00 = jaa * (1 + lambda);
    const m11 = jbb * (1 + lambda);
    const det = m00 * m11 - jab * jab;
    const stepA = -(m11 * ga - jab * gb) / det;
    const stepB = -(m00 * gb - jab * ga) / det;
    const next = cost(a + stepA, b + stepB);
    if (next < current) {
      a += stepA;
      b += stepB;
      lambda /= 10;
      if (current - next < 1e-12) break;
      current = next;
    } else lambda *= 10;
  }
  return {a, b};
}

/** Everything one epoch needs; `embedding` ([n, dim]) is updated in place. */
export interface UmapOptimizer {
  n: number;
  dim: number;
  nEpochs: number;
  embedding: Float64Array;
  head: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  nextSample: Float64Array;
  nextNegative: Float64Array;
  a: number;
  b: number;
  random: Random;
}

/** Prunes edges too weak to be sampled in `nEpochs`, schedules the rest and draws the initial layout in [-10, 10). */
export function createOptimizer(
  graph: FuzzyGraph,
  n: number,
  dim: number,
  nEpochs: number,
  ab: {a: number; b: number},
  random: Random
): UmapOptimizer {
  let max = 0;
  for (const w of graph.weight) if (w > max) max = w;
  const keep: number[] = [];
  for (let e = 0; e < graph.weight.length; e++) if (graph.weight[e] >= max / nEpochs) keep.push(e);
  const head = Int32Array.from(keep, (e) => graph.head[e]);
  const tail = Int32Array.from(keep, (e) => graph.tail[e]);
  const epochsPerSample = Float64Array.from(keep, (e) => max / graph.weight[e]);
  const embedding = new Float64Array(n * dim);
  for (let t = 0; t < embedding.length; t++) embedding[t] = random() * 20 - 10;
  return {
    n,
    dim,
    nEpochs,
    embedding,
    head,
    tail,
    epochsPerSample,
    nextSample: epochsPerSample.slice(),
    nextNegative: epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE),
    a: ab.a,
    b: ab.b,
    random
  };
}

const clip = (v: number) => (v > CLIP ? CLIP : v < -CLIP ? -CLIP : v);

/** Runs epoch `epoch` (0-based). */
export function optimizeEpoch(o: UmapOptimizer, epoch: number): void {
  const {n, dim, embedding: y, head, tail, epochsPerSample, nextSample, nextNegative, a, b, random} = o;
  const alpha = 1 - epoch / o.nEpochs;
  const twoAB = 2 * a * b;
  const twoB = 2 * b;
  for (let e = 0; e < head.length; e++) {
    if (nextSample[e] > epoch) continue;
    const oj = head[e] * dim;
    const ok = tail[e] * dim;
    let d2 = 0;
    for (let d = 0; d < dim; d++) d2 += (y[oj + d] - y[ok + d]) ** 2;
    // d2^(b-1) from the one power d2^b; exp(b log x) is ~35% faster than Math.pow in V8 here.
    const pb = d2 > 0 ? Math.exp(b * Math.log(d2)) : 0;
    const pull = d2 > 0 ? (-twoAB * pb) / d2 / (a * pb + 1) : 0;
    for (let d = 0; d < dim; d++) {
      const g = clip(pull * (y[oj + d] - y[ok + d])) * alpha;
      y[oj + d] += g;
      y[ok + d] -= g;
    }
    nextSample[e] += epochsPerSample[e];
    const perNegative = epochsPerSample[e] / NEGATIVE_SAMPLE_RATE;
    const negatives = Math.floor((epoch - nextNegative[e]) / perNegative);
    for (let p = 0; p < negatives; p++) {
      const or = Math.floor(random() * n) * dim;
      let s2 = 0;
      for (let d = 0; d < dim; d++) s2 += (y[oj + d] - y[or + d]) ** 2;
      if (s2 > 0) {
        const push = twoB / ((0.001 + s2) * (a * Math.exp(b * Math.log(s2)) + 1));
        for (let d = 0; d < dim; d++) y[oj + d] += clip(push * (y[oj + d] - y[or + d])) * alpha;
      } else if (or !== oj) {
        for (let d = 0; d < dim; d++) y[oj + d] += CLIP * alpha;
      }
    }
    nextNegative[e] += negatives * perNegative;
  }
}
