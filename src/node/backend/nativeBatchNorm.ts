/**
 * Batch normalisation in training as two native kernels (native/batch_norm.cc), registered on
 * wasm when the addon loads, with the gradient of the first:
 *
 * - `FmnistBatchNormTraining`: inputs x (channels last), gamma, beta, movingMean, movingVariance;
 *   attributes epsilon, momentum; outputs y, the batch mean and variance (population variance, as
 *   tf.moments), and the updated moving mean and variance (tfjs-layers' update:
 *   moving - (moving - batch) * (1 - momentum)).
 * - `FmnistBatchNormTrainingGrad`: dx, dgamma, dbeta of y, with the batch statistics depending on x.
 *
 * TF.js runs the same as about twenty kernels per layer (moments, normalisation, the moving
 * averages, and their gradients), each a pass over memory and a tape entry. Used by
 * ../model/trainingBatchNorm.ts where the backend has the kernels. The statistics outputs are for
 * the moving averages only: no gradient flows back through them.
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

import {
  BATCH_NORM_TRAINING_GRAD_KERNEL,
  BATCH_NORM_TRAINING_KERNEL,
  type BatchNormTrainingAttrs
} from "../../core/kernels/batchNormTrainingKernel.js";
import {computeOutputs, countNativeCall, heapView, type NativeAddon} from "./nativeAddon.js";

/** Checks the inputs: float32, x of rank >= 2, the rest vectors of x's channel count. */
function channels(kernel: string, x: tf.TensorInfo, vectors: tf.TensorInfo[]): number {
  const c = x.shape[x.shape.length - 1];
  const ok =
    x.shape.length >= 2 &&
    tf.util.sizeFromShape(x.shape) > 0 &&
    [x, ...vectors].every((t) => t.dtype === "float32") &&
    vectors.every((t) => t.shape.length === 1 && t.shape[0] === c);
  if (!ok) throw new Error(`${kernel}: expects float32 x [..., C] and vectors [C]; got x [${x.shape}]`);
  return c;
}

type Inputs = Record<string, tf.TensorInfo>;

/** Registers a kernel on wasm that only the addon runs (it throws on what it does not cover), counting its runs. */
function registerNativeOnly(
  kernelName: string,
  run: (backend: BackendWasm, inputs: Inputs, attrs: BatchNormTrainingAttrs) => tf.TensorInfo[]
): void {
  tf.registerKernel({
    kernelName,
    backendName: "wasm",
    kernelFunc: (args) => {
      const outs = run(
        args.backend as BackendWasm,
        args.inputs as Inputs,
        args.attrs as unknown as BatchNormTrainingAttrs
      );
      countNativeCall(kernelName);
      return outs;
    }
  });
}

let registered = false;

/** Registers both kernels on wasm and the training kernel's gradient (idempotent). */
export function registerNativeBatchNorm(addon: NativeAddon): void {
  if (registered) return;
  registered = true;
  registerNativeOnly(
    BATCH_NORM_TRAINING_KERNEL,
    (backend, {x, gamma, beta, movingMean, movingVariance}, {epsilon, momentum}) => {
      const c = channels(BATCH_NORM_TRAINING_KERNEL, x, [gamma, beta, movingMean, movingVariance]);
      return computeOutputs(backend, [x.shape, [c], [c], [c], [c]], (o) => {
        const v = (t: tf.TensorInfo) => heapView(backend, t);
        addon.batchNormTraining(
          v(x),
          v(gamma),
          v(beta),
          v(movingMean),
          v(movingVariance),
          epsilon,
          momentum,
          v(o[0]),
          v(o[1]),
          v(o[2]),
          v(o[3]),
          v(o[4])
        );
      });
    }
  );
  registerNativeOnly(BATCH_NORM_TRAINING_GRAD_KERNEL, (backend, {dy, x, gamma, mean, variance}, {epsilon}) => {
    const c = channels(BATCH_NORM_TRAINING_GRAD_KERNEL, x, [gamma, mean, variance]);
    if (!tf.util.arraysEqual(dy.shape, x.shape) || dy.dtype !== "float32") {
      throw new Error(`${BATCH_NORM_TRAINING_GRAD_KERNEL}: dy [${dy.shape}] must match x [${x.shape}]`);
    }
    return computeOutputs(backend, [x.shape, [c], [c]], (o) => {
      const v = (t: tf.TensorInfo) => heapView(backend, t);
      addon.batchNormTrainingGrad(v(dy), v(x), v(gamma), v(mean), v(variance), epsilon, v(o[0]), v(o[1]), v(o[2]));
    });
  });
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING_KERNEL,
    inputsToSave: ["x", "gamma"],
    outputsToSave: [false, true, true, false, false],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, mean, variance] = saved;
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [dx, dgamma, dbeta] = tf
        .engine()
        .runKernel(
          BATCH_NORM_TRAINING_GRAD_KERNEL,
          {dy, x, gamma, mean, variance},
          {epsilon: attrs.epsilon}
        ) as tf.Tensor[];
      return {
        x: () => dx,
        gamma: () => dgamma,
        beta: () => dbeta,
        // The moving statistics only feed the update of themselves: no gradient.
        movingMean: () => tf.zerosLike(mean),
        movingVariance: () => tf.zerosLike(variance)
      };
    }
  });
}
