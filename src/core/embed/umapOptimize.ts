/**
 * UMAP's layout optimisation (McInnes, Healy & Melville 2018, arXiv:1802.03426, section 3.2) in
 * batch mode, so that it can run on several threads and still give the same bytes: each epoch
 * first computes every point's move from the positions at the start of the epoch (its due edges
 * pull it towards their tails, each with 5 negative samples pushing it away from random points;
 * gradients clipped at 4 per sample), then moves all points at once with Adam (learning rate
 * falling linearly from 1 to 0). The edges are grouped by head and only the head moves: the graph
 * is symmetric, so the edge j -> i moves j, and the pull counts twice, as the serial SGD of umap-js
 * (and umap-learn) moves both ends of each of the two directions. uwot's `batch = TRUE` is the same
 * idea; Adam's β1 0.5, β2 0.9 were picked by measuring the 10,000 test images (trustworthiness
 * 0.990, 10-NN accuracy 92.5 % against the serial SGD's 0.991 and 93.1 %, docs/performance.md).
 * The negative samples come from a counter-based generator keyed by (seed, epoch, point), so any
 * split of the points between threads reads the same numbers. Isomorphic; the native addon
 * runs the same epochs on its threads (src/node/embed/umapNative.ts).
 */
import type {Random} from "../random.js";
import type {FuzzyGraph} from "./umapGraph.js";

const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;
const BETA1 = 0.5;
const BETA2 = 0.9;
const EPSILON = 1e-7;

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

/** Everything the epochs need; `embedding` ([n, dim]) is updated in place. */
export interface UmapOptimizer {
  n: number;
  dim: number;
  nEpochs: number;
  embedding: Float64Array;
  /** Edges grouped by head: point i's edges are rowStart[i] .. rowStart[i + 1] - 1. */
  rowStart: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  nextSample: Float64Array;
  nextNegative: Float64Array;
  a: number;
  b: number;
  /** Key of the negative samples' generator (a 32-bit integer). */
  seed: number;
  /** Each point's move in the current epoch, then Adam's two moments ([n, dim] each). */
  gradient: Float64Array;
  moment1: Float64Array;
  moment2: Float64Array;
}

/** Runs whole epochs elsewhere (the native addon's threads); `epoch` returns false where it cannot. */
export interface UmapRunner {
  epoch(o: UmapOptimizer, epoch: number): boolean;
  close(): void;
}

/**
 * Prunes edges too weak to be sampled in `nEpochs`, schedules the rest, and starts from `initial`
 * ([n, dim], scaled so that its largest coordinate is ±10, plus a jitter of 1e-4 so that no two
 * points coincide) or, without it, from a random layout in [-10, 10); then draws the generator's
 * key from `random`. The graph's edges must be grouped by head (as fuzzyGraph gives them).
 */
export function createOptimizer(
  graph: FuzzyGraph,
  n: number,
  dim: number,
  nEpochs: number,
  ab: {a: number; b: number},
  random: Random,
  initial?: ArrayLike<number>
): UmapOptimizer {
  let max = 0;
  for (const w of graph.weight) if (w > max) max = w;
  const keep: number[] = [];
  for (let e = 0; e < graph.weight.length; e++) if (graph.weight[e] >= max / nEpochs) keep.push(e);
  const rowStart = new Int32Array(n + 1);
  for (let t = 0; t < keep.length; t++) {
    const h = graph.head[keep[t]];
    if (t > 0 && h < graph.head[keep[t - 1]]) throw new Error("UMAP: the graph's edges are not grouped by head");
    rowStart[h + 1]++;
  }
  for (let i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
  const epochsPerSample = Float64Array.from(keep, (e) => max / graph.weight[e]);
  const embedding = new Float64Array(n * dim);
  let largest = 0;
  if (initial) for (let t = 0; t < initial.length; t++) largest = Math.max(largest, Math.abs(initial[t]));
  for (let t = 0; t < embedding.length; t++) {
    embedding[t] = initial && largest > 0 ? (initial[t] / largest) * 10 + (random() - 0.5) * 1e-4 : random() * 20 - 10;
  }
  return {
    n,
    dim,
    nEpochs,
    embedding,
    rowStart,
    tail: Int32Array.from(keep, (e) => graph.tail[e]),
    epochsPerSample,
    nextSample: epochsPerSample.slice(),
    nextNegative: epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE),
    a: ab.a,
    b: ab.b,
    seed: Math.floor(random() * 4294967296),
    gradient: new Float64Array(n * dim),
    moment1: new Float64Array(n * dim),
    moment2: new Float64Array(n * dim)
  };
}

const clip = (v: number) => (v > CLIP ? CLIP : v < -CLIP ? -CLIP : v);

/** A 32-bit integer hash (Chris Wellons' "lowbias32" constants), to key each point's generator. */
export function hash32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The state of point `row`'s generator in `epoch` (mulberry32 steps from it, as in random.ts). */
export const rowKey = (seed: number, epoch: number, row: number): number =>
  hash32(hash32((seed + Math.imul(epoch, 0x9e3779b9)) >>> 0) ^ row);

/** The moves of points `from` .. `to` - 1 in `epoch`, into `o.gradient`; reads the positions only. */
export function umapGradients(o: UmapOptimizer, epoch: number, from: number, to: number): void {
  const {n, dim, embedding: y, rowStart, tail, epochsPerSample, nextSample, nextNegative, a, b, gradient} = o;
  const twoAB = 2 * a * b;
  const twoB = 2 * b;
  gradient.fill(0, from * dim, to * dim);
  for (let i = from; i < to; i++) {
    let state = rowKey(o.seed, epoch, i);
    const oi = i * dim;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      if (nextSample[e] > epoch) continue;
      const oj = tail[e] * dim;
      let d2 = 0;
      for (let d = 0; d < dim; d++) d2 += (y[oi + d] - y[oj + d]) ** 2;
      // d2^(b-1) from the one power d2^b; exp(b log x) is ~35% faster than Math.pow in V8 here.
      const pb = d2 > 0 ? Math.exp(b * Math.log(d2)) : 0;
      const pull = d2 > 0 ? (-twoAB * pb) / d2 / (a * pb + 1) : 0;
      for (let d = 0; d < dim; d++) gradient[oi + d] += 2 * clip(pull * (y[oi + d] - y[oj + d]));
      nextSample[e] += epochsPerSample[e];
      const perNegative = epochsPerSample[e] / NEGATIVE_SAMPLE_RATE;
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative);
      for (let p = 0; p < negatives; p++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = Math.imul(state ^ (state >>> 15), state | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        // Exact below 2^21 points: the product stays under 2^53.
        const or = Math.floor((((t ^ (t >>> 14)) >>> 0) * n) / 4294967296) * dim;
        let s2 = 0;
        for (let d = 0; d < dim; d++) s2 += (y[oi + d] - y[or + d]) ** 2;
        if (s2 > 0) {
          const push = twoB / ((0.001 + s2) * (a * Math.exp(b * Math.log(s2)) + 1));
          for (let d = 0; d < dim; d++) gradient[oi + d] += clip(push * (y[oi + d] - y[or + d]));
        } else if (or !== oi) {
          // Another point at the same place: push the full clip along every axis.
          for (let d = 0; d < dim; d++) gradient[oi + d] += CLIP;
        }
      }
      nextNegative[e] += negatives * perNegative;
    }
  }
}

/** Adam's learning rate and bias corrections in `epoch` (given to the native epochs too). */
export function adamFactors(o: UmapOptimizer, epoch: number): {alpha: number; c1: number; c2: number} {
  return {alpha: 1 - epoch / o.nEpochs, c1: 1 - BETA1 ** (epoch + 1), c2: 1 - BETA2 ** (epoch + 1)};
}

/** Moves every point by Adam from `o.gradient` (after {@link umapGradients} of all points). */
export function umapAdamStep(o: UmapOptimizer, epoch: number): void {
  const {embedding: y, gradient: g, moment1: m, moment2: v} = o;
  const {alpha, c1, c2} = adamFactors(o, epoch);
  for (let t = 0; t < y.length; t++) {
    m[t] = BETA1 * m[t] + (1 - BETA1) * g[t];
    v[t] = BETA2 * v[t] + (1 - BETA2) * g[t] * g[t];
    y[t] += (alpha * (m[t] / c1)) / (Math.sqrt(v[t] / c2) + EPSILON);
  }
}

/** Runs epoch `epoch` (0-based): on `runner` where it can, else here. */
export function optimizeEpoch(o: UmapOptimizer, epoch: number, runner?: UmapRunner): void {
  if (runner?.epoch(o, epoch)) return;
  umapGradients(o, epoch, 0, o.n);
  umapAdamStep(o, epoch);
}
