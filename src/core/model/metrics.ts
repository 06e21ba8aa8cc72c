/** Loss and accuracy helpers shared by training and evaluation. */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES} from "../data/fashionMnist.js";
import type {Examples} from "../data/dataset.js";

const EPSILON = 1e-7; // Keras' backend epsilon, used to clip probabilities before the log

/** Sparse categorical cross-entropy of probabilities `probs` [n, 10] against integer `labels` [n]. */
export function sparseCategoricalCrossentropy(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, NUM_CLASSES);
    const logp = tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON));
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), 1)));
  });
}

/** Builds a [n, 28, 28, 1] tensor from examples [start, start + n). */
export function batchTensor(examples: Examples, start: number, n: number): tf.Tensor4D {
  return tf.tensor4d(examples.xs.subarray(start * IMAGE_PIXELS, (start + n) * IMAGE_PIXELS), [
    n,
    IMAGE_SIZE,
    IMAGE_SIZE,
    1
  ]);
}

/** Result of {@link predictAll}. */
export interface Predictions {
  /** [count, 10] probabilities, row-major. */
  probabilities: Float32Array;
  /** Mean cross-entropy over all examples. */
  loss: number;
  /** Fraction of correct arg-max predictions. */
  accuracy: number;
  /** Arg-max class per example. */
  predicted: Uint8Array;
}

/** Arg-max class of each row of `probabilities` ([count, classes], row-major). */
export function argMaxRows(probabilities: Float32Array, classes = NUM_CLASSES): Uint8Array {
  const count = probabilities.length / classes;
  const predicted = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[o + c] > probabilities[o + best]) best = c;
    predicted[i] = best;
  }
  return predicted;
}

/** Runs the model in inference mode over all examples, in batches. */
export async function predictAll(
  model: tf.LayersModel,
  examples: Examples,
  batchSize = 256,
  onBatch?: (done: number, total: number) => void
): Promise<Predictions> {
  const probabilities = new Float32Array(examples.count * NUM_CLASSES);
  let lossSum = 0;
  for (let start = 0; start < examples.count; start += batchSize) {
    const n = Math.min(batchSize, examples.count - start);
    const probs = tf.tidy(() => model.predict(batchTensor(examples, start, n), {batchSize: n}) as tf.Tensor2D);
    probabilities.set(await probs.data(), start * NUM_CLASSES);
    probs.dispose();
    onBatch?.(start + n, examples.count);
  }
  const predicted = argMaxRows(probabilities);
  let correct = 0;
  for (let i = 0; i < examples.count; i++) {
    if (predicted[i] === examples.ys[i]) correct++;
    const p = Math.min(Math.max(probabilities[i * NUM_CLASSES + examples.ys[i]], EPSILON), 1 - EPSILON);
    lossSum -= Math.log(p);
  }
  return {probabilities, loss: lossSum / examples.count, accuracy: correct / examples.count, predicted};
}

/** Confusion matrix of counts: rows are true labels, columns predictions. */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes = NUM_CLASSES
): number[][] {
  const m = Array.from({length: classes}, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

/** Per-class accuracy (recall) from a confusion matrix. */
export function perClassAccuracy(matrix: number[][]): number[] {
  return matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : row[i] / total;
  });
}
