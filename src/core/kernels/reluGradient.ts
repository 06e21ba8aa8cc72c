/** dy * step(x), the ReLU gradient, as one native kernel where the backend has it. */
import * as tf from "@tensorflow/tfjs";

/** The kernel computing dy * step(x) in one pass (registered on wasm when the native addon loads). */
export const RELU_GRAD_KERNEL = "FmnistReluGrad";

/**
 * dy * step(x): through {@link RELU_GRAD_KERNEL} when the current backend has it and dy and x are
 * float32 tensors of one shape, else TF.js' own formula for the Relu gradient (three kernels).
 */
export function reluGradient(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const fused = x.dtype === "float32" && dy.dtype === "float32" && tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend());
  if (fused && tf.util.arraysEqual(x.shape, dy.shape)) {
    return tf.engine().runKernel(RELU_GRAD_KERNEL, {dy, x}) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(dy, tf.cast(tf.step(x), "float32")));
}
