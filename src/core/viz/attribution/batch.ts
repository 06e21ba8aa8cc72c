/**
 * Batched network runs shared by the attribution methods: many variants of one 28×28 input
 * (noisy copies, interpolations, occluded or masked images, deletion steps) go through the network
 * in chunks, so memory stays bounded whatever the count. Isomorphic.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES} from "../../data/fashionMnist.js";
import {classScore, logitsFrom} from "../../model/logits.js";

/** Images per network run (about 30 MB of activations for the shipped model). */
export const CHUNK = 64;

/** `count` images stored one after another in `images` as a [count, 28, 28, 1] tensor. */
export function imageBatch(images: Float32Array, count: number): tf.Tensor4D {
  return tf.tensor4d(images, [count, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

/** Runs `fn` on chunks of at most {@link CHUNK} of the `count` images; returns the concatenated results. */
function chunked(
  images: Float32Array,
  count: number,
  perImage: number,
  fn: (x: tf.Tensor4D) => tf.Tensor
): Float32Array {
  const out = new Float32Array(count * perImage);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const part = images.subarray(start * IMAGE_PIXELS, (start + n) * IMAGE_PIXELS);
    const values = tf.tidy(() => fn(imageBatch(part, n)).dataSync());
    out.set(values, start * perImage);
  }
  return out;
}

/** The probability of `classIndex` for each of `count` images. */
export function classProbabilities(
  model: tf.LayersModel,
  images: Float32Array,
  count: number,
  classIndex: number
): Float32Array {
  return chunked(images, count, 1, (x) => tf.slice(tf.softmax(logitsFrom(model, x)), [0, classIndex], [-1, 1]));
}

/** All class logits, [count × classes] row-major, for `count` images. */
export function batchLogits(model: tf.LayersModel, images: Float32Array, count: number, classes: number): Float32Array {
  return chunked(images, count, classes, (x) => logitsFrom(model, x));
}

/**
 * The gradient of each image's class score (the logit of `classIndex`, minus that of `against`
 * when given) with respect to its pixels: [count × 784] row-major.
 */
export function batchGradients(
  model: tf.LayersModel,
  images: Float32Array,
  count: number,
  classIndex: number,
  against?: number
): Float32Array {
  const score = (x: tf.Tensor): tf.Scalar => classScore(logitsFrom(model, x), classIndex, against);
  return chunked(images, count, IMAGE_PIXELS, (x) => tf.grad(score)(x));
}

/** Number of classes the model scores (its output width). */
export function classCount(model: tf.LayersModel): number {
  return model.outputs[0].shape[1] ?? NUM_CLASSES;
}

/** `count` copies of `image` one after another. */
export function repeatImage(image: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count * IMAGE_PIXELS);
  for (let i = 0; i < count; i++) out.set(image, i * IMAGE_PIXELS);
  return out;
}
