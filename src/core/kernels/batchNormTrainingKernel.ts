/**
 * The names and attributes of the batch-normalisation training kernels (isomorphic: the layer in
 * ../model/trainingBatchNorm.ts looks them up on any backend; ./nativeBatchNorm.ts registers them
 * on wasm when the native addon loads).
 */

/** Inputs x, gamma, beta, movingMean, movingVariance; outputs y, mean, variance, new moving mean and variance. */
export const BATCH_NORM_TRAINING_KERNEL = "FmnistBatchNormTraining";

/** Inputs dy, x, gamma, mean, variance; outputs dx, dgamma, dbeta. */
export const BATCH_NORM_TRAINING_GRAD_KERNEL = "FmnistBatchNormTrainingGrad";

/** The attributes of {@link BATCH_NORM_TRAINING_KERNEL} (the gradient kernel reads epsilon). */
export interface BatchNormTrainingAttrs {
  epsilon: number;
  momentum: number;
}
