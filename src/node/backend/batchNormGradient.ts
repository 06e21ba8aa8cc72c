/**
 * A cheaper gradient for `FusedBatchNorm` with per-channel (rank-1) statistics, the form
 * tfjs-layers' BatchNormalization uses.
 *
 * TF.js' own gradient tiles 1/sqrt(var + eps) to the full activation shape and builds a separate
 * full-size product for each of the mean, variance and scale gradients; at batch 128 that cost
 * ~170 ms of a ~1.3 s WASM training step (Tile alone ~120 ms). The same gradients need only two
 * per-channel sums, sum(dy) and sum(dy * (x - mean)), and one broadcast product:
 *   dx = dy * scale * r,  dmean = -scale * r * sum(dy),  dscale = r * sum(dy * (x - mean)),
 *   dvariance = -0.5 * scale * r^3 * sum(dy * (x - mean)),  doffset = sum(dy),  r = 1/sqrt(var + eps).
 * Other ranks keep TF.js' gradient. The registration is global (all backends): it computes the
 * same values, so the cpu reference backend checks it in the tests.
 */
import * as tf from "@tensorflow/tfjs";

import {replaceGradient, type GradFunc} from "./replaceGradient.js";

let original: GradFunc | undefined;

/** TF.js' own FusedBatchNorm gradient, as it was before {@link registerBatchNormGradient} (for tests). */
export function originalBatchNormGradient(): GradFunc | undefined {
  return original;
}

const gradFunc: GradFunc = (dy, saved, attrs) => {
  const [x, mean, variance, scale] = saved;
  const dyT = dy as tf.Tensor;
  if (mean.rank !== 1 || variance.rank !== 1 || (scale && scale.rank !== 1) || !original) {
    if (!original) throw new Error("FusedBatchNorm gradient: TF.js' own gradient is not registered");
    return original(dy, saved, attrs);
  }
  const {varianceEpsilon} = attrs as unknown as {varianceEpsilon: number};
  const axes = Array.from({length: x.rank - 1}, (_, i) => i);
  // Per-channel values shared by all five gradients; they live until the backward pass ends.
  const [r, g, sumDy, sumDyXc] = tf.tidy(() => {
    const rs = tf.rsqrt(tf.add(variance, varianceEpsilon));
    const gs = scale ? tf.mul(scale, rs) : rs;
    return [rs, gs, tf.sum(dyT, axes), tf.sum(tf.mul(dyT, tf.sub(x, mean)), axes)];
  });
  return {
    x: () => tf.mul(dyT, g),
    mean: () => tf.neg(tf.mul(g, sumDy)),
    variance: () => tf.mul(tf.mul(tf.mul(g, tf.square(r)), sumDyXc), -0.5),
    scale: () => tf.mul(sumDyXc, r),
    offset: () => tf.clone(sumDy)
  };
};

/** Replaces the FusedBatchNorm gradient (idempotent). */
export function registerBatchNormGradient(): void {
  if (original) return;
  original = replaceGradient("FusedBatchNorm", () => gradFunc);
}
