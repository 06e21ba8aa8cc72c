/**
 * In-memory dataset helpers: normalisation, splits and batches. Isomorphic.
 */
import {IMAGE_PIXELS, type FashionMnistSplit} from "./fashionMnist.js";
import {permutation, createRandom} from "../random.js";

/** Normalised examples: `xs` holds `count * 784` floats in [0, 1], `ys` the labels. */
export interface Examples {
  xs: Float32Array;
  ys: Uint8Array;
  count: number;
}

/** Scales pixel bytes to [0, 1] (the seed's `x / 255`). */
export function normalise(split: FashionMnistSplit): Examples {
  const xs = new Float32Array(split.count * IMAGE_PIXELS);
  for (let i = 0; i < xs.length; i++) xs[i] = split.images[i] / 255;
  return {xs, ys: split.labels.slice(0, split.count), count: split.count};
}

/** Copies the examples at `indices` into a new set. */
export function take(examples: Examples, indices: ArrayLike<number>): Examples {
  const n = indices.length;
  const xs = new Float32Array(n * IMAGE_PIXELS);
  const ys = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = indices[i];
    xs.set(examples.xs.subarray(j * IMAGE_PIXELS, (j + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
    ys[i] = examples.ys[j];
  }
  return {xs, ys, count: n};
}

/**
 * Splits off a validation set: a fixed, seeded random `fraction` of the examples (the seed is
 * independent of the training seed so every run validates on the same images).
 */
export function splitValidation(
  examples: Examples,
  fraction: number,
  seed = 20170825
): {train: Examples; validation: Examples; validationIndices: Int32Array} {
  const order = permutation(examples.count, createRandom(seed));
  const nVal = Math.round(examples.count * fraction);
  const validationIndices = order.slice(0, nVal).sort();
  const trainIndices = order.slice(nVal).sort();
  return {train: take(examples, trainIndices), validation: take(examples, validationIndices), validationIndices};
}
