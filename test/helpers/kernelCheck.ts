/** Shared by the kernel tests: running on a reference backend, and comparing arrays with a stated tolerance. */
import {existsSync} from "node:fs";

import * as tf from "@tensorflow/tfjs";
import {expect} from "vitest";

import type {Examples} from "../../src/core/data/dataset.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {batchTensor, sparseCategoricalCrossentropy} from "../../src/core/model/metrics.js";
import {withoutLeak} from "./tensors.js";

/** Whether oneDNN's headers are installed: then `npm run build` must have built the native addon, and its tests run. */
export const DNNL_INSTALLED = ["/usr/include/dnnl.hpp", "/usr/include/oneapi/dnnl/dnnl.hpp"].some((p) => existsSync(p));

/** Runs `fn` with `backend` active and returns to wasm; `fn` returns plain data and must not leak tensors. */
export async function onBackend<T>(backend: "wasm" | "cpu", fn: () => T): Promise<T> {
  await tf.setBackend(backend);
  try {
    return withoutLeak(fn, `tensors leaked on ${backend}`);
  } finally {
    await tf.setBackend("wasm");
  }
}

/**
 * max |actual - expected| <= tolerance * (1 + max |expected|); NaN fails, and so does an all-zero
 * reference (a comparison against nothing proves nothing).
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
  tolerance = 1e-4
): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let maxDiff = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    // NaN must fail, so compare with a negated <=.
    if (!(diff <= maxDiff)) maxDiff = Number.isNaN(diff) ? Infinity : diff;
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  }
  expect(maxAbs, `${label}: reference is all zeros`).toBeGreaterThan(0);
  expect(maxDiff, `${label}: max abs diff (max abs value ${maxAbs})`).toBeLessThanOrEqual(tolerance * (1 + maxAbs));
}

/** Loss, gradients and starting weights of one training step, as plain arrays. */
export interface TrainingStepResult {
  initial: number[][];
  loss: number;
  names: string[];
  grads: Float32Array[];
}

/**
 * One training step of a small `createCnn` (16 filters, dropout 0 so both backends agree) on the
 * first two examples, on the active backend; `weights` (from another backend's result) makes the
 * start identical. Leaves no tensors behind.
 */
export function cnnTrainingStep(examples: Examples, labels: number[], weights?: number[][]): TrainingStepResult {
  const model = createCnn({filters: 16, dropout: 0});
  if (weights) {
    const tensors = weights.map((w, i) => tf.tensor(w, model.weights[i].shape as number[]));
    model.setWeights(tensors);
    tf.dispose(tensors);
  }
  const initial = model.getWeights().map((w) => Array.from(w.dataSync()));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const {value, grads} = tf.variableGrads(() => {
    const probs = model.apply(batchTensor(examples, 0, 2), {training: true}) as tf.Tensor2D;
    return sparseCategoricalCrossentropy(probs, tf.tensor1d(labels, "int32"));
  }, vars);
  const result = {
    initial,
    loss: value.dataSync()[0],
    names: model.trainableWeights.map((w) => w.originalName),
    grads: vars.map((v) => grads[v.name].dataSync() as Float32Array)
  };
  tf.dispose([value, ...Object.values(grads)]);
  model.dispose();
  return result;
}
