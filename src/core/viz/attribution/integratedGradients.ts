/**
 * Integrated Gradients (Sundararajan et al., "Axiomatic Attribution for Deep Networks", 2017):
 * pixel i's attribution is (x_i - b_i) times the gradient of the class logit averaged along the
 * straight path from a baseline b (here a black image: Fashion-MNIST's background) to the input x.
 * Its completeness axiom says the attributions sum to logit(x) - logit(b).
 *
 * The path integral is a sum over intervals of the path, each with the gradient at its midpoint.
 * A ReLU network's logit is piecewise linear along the path and changes fastest near the black
 * baseline, so equal intervals need hundreds of steps to get within 1 % (measured: 5-40 % off
 * with 32, 3-8 % with 128). Instead the sum is refined where it is wrong: the logit at the ends
 * of each interval says exactly how much that interval must contribute, and the intervals that
 * miss most are halved until the total is within `tolerance` or `maxSteps` gradients are spent.
 * The result is still a Riemann sum of the same integral, only on a finer grid where it matters;
 * the remaining gap is reported, so a user sees whether the map can be trusted. Isomorphic.
 */
import {IMAGE_PIXELS} from "../../data/fashionMnist.js";
import {batchGradients, batchLogits, classCount} from "./batch.js";
import {positiveImportance, type Attribution, type AttributionFunction} from "./types.js";

export interface IntegratedGradientsOptions {
  /** Equal intervals to start from (default 16). */
  steps?: number;
  /** Largest number of gradients to compute, refinements included (default 128). */
  maxSteps?: number;
  /** Relative completeness error to refine down to (default 0.01). */
  tolerance?: number;
  /** Baseline image (default all black). */
  baseline?: Float32Array;
}

/** The completeness check: attributions sum against the score difference they should add up to. */
export interface Completeness {
  /** Sum of the attributions. */
  sum: number;
  /** logit(input) - logit(baseline) of the class. */
  expected: number;
  inputLogit: number;
  baselineLogit: number;
  /** |sum - expected| / max(|expected|, 1e-6). */
  relativeError: number;
  /** Gradients computed (points on the path). */
  steps: number;
}

export interface IntegratedGradients extends Attribution {
  completeness: Completeness;
}

/** Whether `a` is Integrated Gradients' result, with its completeness check. */
export function hasCompleteness(a: Attribution): a is IntegratedGradients {
  return "completeness" in a;
}

/** One interval [a, b] of the path: the logit at its ends and (x - b) ⊙ gradient at its midpoint. */
interface Interval {
  a: number;
  b: number;
  fa: number;
  fb: number;
  /** (x - baseline) times the gradient at the midpoint, per pixel. */
  weighted: Float32Array;
  /** This interval's share of the sum: (b - a) times the sum of `weighted`. */
  estimate: number;
}

export const integratedGradients: AttributionFunction<IntegratedGradientsOptions, IntegratedGradients> = (
  model,
  input,
  classIndex,
  options = {}
) => {
  const steps = options.steps ?? 16;
  const maxSteps = Math.max(options.maxSteps ?? 128, steps);
  const tolerance = options.tolerance ?? 0.01;
  const baseline = options.baseline ?? new Float32Array(IMAGE_PIXELS);
  const classes = classCount(model);
  const delta = input.map((v, p) => v - baseline[p]);
  const pointsAt = (alphas: number[]): Float32Array => {
    const images = new Float32Array(alphas.length * IMAGE_PIXELS);
    alphas.forEach((alpha, k) => {
      for (let p = 0; p < IMAGE_PIXELS; p++) images[k * IMAGE_PIXELS + p] = baseline[p] + alpha * delta[p];
    });
    return images;
  };
  const logitsAt = (alphas: number[]): number[] => {
    const logits = batchLogits(model, pointsAt(alphas), alphas.length, classes);
    return alphas.map((_, k) => logits[k * classes + classIndex]);
  };
  const weightedAt = (alphas: number[]): Float32Array[] => {
    const grads = batchGradients(model, pointsAt(alphas), alphas.length, classIndex);
    return alphas.map((_, k) => delta.map((d, p) => d * grads[k * IMAGE_PIXELS + p]));
  };
  const interval = (a: number, b: number, fa: number, fb: number, weighted: Float32Array): Interval => {
    let sum = 0;
    for (const v of weighted) sum += v;
    return {a, b, fa, fb, weighted, estimate: (b - a) * sum};
  };
  const error = (i: Interval) => Math.abs(i.estimate - (i.fb - i.fa));

  const ends = Array.from({length: steps + 1}, (_, k) => k / steps);
  const f = logitsAt(ends);
  const mids = weightedAt(ends.slice(0, steps).map((a) => a + 0.5 / steps));
  let intervals = mids.map((w, k) => interval(ends[k], ends[k + 1], f[k], f[k + 1], w));
  const expected = f[steps] - f[0];
  const scale = Math.max(Math.abs(expected), 1e-6);
  const totalError = () => Math.abs(intervals.reduce((s, i) => s + i.estimate, 0) - expected) / scale;
  let spent = steps;
  while (totalError() > tolerance && spent + 2 <= maxSteps) {
    // Halve the worst intervals, at most 8 a round (16 gradients in one batch).
    const worst = [...intervals].sort((p, q) => error(q) - error(p)).slice(0, Math.min(8, (maxSteps - spent) >> 1));
    const centres = worst.map((i) => (i.a + i.b) / 2);
    const fc = logitsAt(centres);
    const halves = weightedAt(worst.flatMap((i, k) => [(i.a + centres[k]) / 2, (centres[k] + i.b) / 2]));
    const split = new Set(worst);
    intervals = intervals.filter((i) => !split.has(i));
    worst.forEach((i, k) => {
      intervals.push(interval(i.a, centres[k], i.fa, fc[k], halves[2 * k]));
      intervals.push(interval(centres[k], i.b, fc[k], i.fb, halves[2 * k + 1]));
    });
    spent += 2 * worst.length;
  }
  const values = new Float32Array(IMAGE_PIXELS);
  for (const i of intervals) for (let p = 0; p < IMAGE_PIXELS; p++) values[p] += (i.b - i.a) * i.weighted[p];
  let sum = 0;
  for (const v of values) sum += v;
  const completeness: Completeness = {
    sum,
    expected,
    inputLogit: f[steps],
    baselineLogit: f[0],
    relativeError: Math.abs(sum - expected) / scale,
    steps: spent
  };
  return {method: "integrated-gradients", classIndex, values, importance: positiveImportance(values), completeness};
};
