/**
 * The name and attributes of the fused Adam kernel (isomorphic: ../model/fusedAdam.ts looks it up on
 * any backend; ../../node/backend/nativeHeapKernels.ts registers it on wasm when the native addon loads).
 */

/** One Adam step of one variable: inputs value, m, v, gradient; outputs the new value, m and v. */
export const ADAM_UPDATE_KERNEL = "FmnistAdamUpdate";

/** The attributes of {@link ADAM_UPDATE_KERNEL}; correction1/2 are 1 - beta1^t and 1 - beta2^t. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}
