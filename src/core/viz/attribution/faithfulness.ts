/**
 * Faithfulness of a map (Petsiuk et al., "RISE", 2018): the deletion curve blacks out pixels in
 * the map's order, most important first, and follows the class probability; the insertion curve
 * starts from a black image and puts the pixels back in the same order. A map the network agrees
 * with makes the probability fall fast on deletion (small area under the curve) and rise fast on
 * insertion (large area). Black is Fashion-MNIST's background, so a deleted pixel reads as
 * "nothing there". Both curves run in one batch. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS} from "../../data/fashionMnist.js";
import {permutation, createRandom} from "../../random.js";
import {classProbabilities} from "./batch.js";

export interface Curve {
  /** Fraction of the pixels removed (deletion) or inserted (insertion) at each point, 0 to 1. */
  fractions: Float32Array;
  /** Class probability at each point. */
  probabilities: Float32Array;
  /** Area under the curve over fractions 0..1 (trapezoids). */
  area: number;
}

export interface Faithfulness {
  deletion: Curve;
  insertion: Curve;
}

/** Pixel indices by decreasing importance (ties in index order, so the order is deterministic). */
export function pixelOrder(importance: Float32Array): Int32Array {
  const order = Int32Array.from(importance.keys());
  return order.sort((a, b) => importance[b] - importance[a] || a - b);
}

/** A seeded random order of the pixels: the reference a useful map must beat. */
export function randomPixelOrder(seed = 1): Int32Array {
  return permutation(IMAGE_PIXELS, createRandom(seed));
}

/** Trapezoid area under (xs, ys). */
export function areaUnder(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  let area = 0;
  for (let i = 1; i < xs.length; i++) area += ((xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1])) / 2;
  return area;
}

/**
 * Deletion and insertion curves of `classIndex` for pixels taken in `order`, at `steps` + 1 points
 * (default 28: one image row's worth of pixels per step).
 */
export function faithfulness(
  model: tf.LayersModel,
  input: Float32Array,
  order: Int32Array,
  classIndex: number,
  steps = 28
): Faithfulness {
  const points = steps + 1;
  const fractions = new Float32Array(points);
  const images = new Float32Array(2 * points * IMAGE_PIXELS);
  const deleted = Float32Array.from(input);
  const inserted = new Float32Array(IMAGE_PIXELS);
  let done = 0;
  for (let s = 0; s < points; s++) {
    const upTo = Math.round((s * IMAGE_PIXELS) / steps);
    for (; done < upTo; done++) {
      deleted[order[done]] = 0;
      inserted[order[done]] = input[order[done]];
    }
    fractions[s] = upTo / IMAGE_PIXELS;
    images.set(deleted, s * IMAGE_PIXELS);
    images.set(inserted, (points + s) * IMAGE_PIXELS);
  }
  const probs = classProbabilities(model, images, 2 * points, classIndex);
  const curve = (probabilities: Float32Array): Curve => ({
    fractions,
    probabilities,
    area: areaUnder(fractions, probabilities)
  });
  return {deletion: curve(probs.slice(0, points)), insertion: curve(probs.slice(points))};
}
