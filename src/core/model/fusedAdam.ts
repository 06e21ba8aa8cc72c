/**
 * Adam with the same state, formula, saved weights and class name ("Adam") as TF.js' optimizer,
 * applying each variable's update as one kernel where the backend has it (`FmnistAdamUpdate`, from
 * the native addon on wasm: ../../node/backend/nativeHeapKernels.ts) and TF.js' own update elsewhere, and
 * keeping beta^t as TF.js restores it, so that a resumed run continues exactly.
 * TF.js' update is 14 kernels per variable, ~300 per step for the CNN; fused, 20.
 */
import * as tf from "@tensorflow/tfjs";

import {ADAM_UPDATE_KERNEL, type AdamUpdateAttrs} from "../kernels/adamUpdateKernel.js";

/** The parts of TF.js' AdamOptimizer this subclass works with (not in its public typings). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: {originalName: string; variable: tf.Variable}[];
  accumulatedSecondMoment: {originalName: string; variable: tf.Variable}[];
  incrementIterations(): void;
}

type VariableGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];

export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend())) this.applyFused(variableGradients);
    else super.applyGradients(variableGradients);
    // TF.js multiplies beta^t up step by step, but restores it as pow(beta, t + 1) (setWeights):
    // in float32 the two can differ in the last bit, and a resumed run then drifts from an
    // uninterrupted one. Taking the power after every step too makes resuming exact.
    const self = this as unknown as AdamInternals;
    tf.tidy(() => {
      self.accBeta1.assign(tf.pow(this.beta1, this.iterations + 1));
      self.accBeta2.assign(tf.pow(this.beta2, this.iterations + 1));
    });
  }

  /** One Adam step with one native kernel per variable. */
  private applyFused(variableGradients: VariableGradients): void {
    const self = this as unknown as AdamInternals;
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({name, tensor: variableGradients[name]}));
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      // Scalars in WASM memory: reading them is a heap read, no device round trip.
      correction1: 1 - self.accBeta1.dataSync()[0],
      correction2: 1 - self.accBeta2.dataSync()[0]
    };
    tf.tidy(() => {
      named.forEach(({name, tensor: gradient}, i) => {
        const value = tf.engine().registeredVariables[name];
        const moment = (suffix: string) => ({
          originalName: `${name}/${suffix}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false))
        });
        self.accumulatedFirstMoment[i] ??= moment("m");
        self.accumulatedSecondMoment[i] ??= moment("v");
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const inputs = {value, m, v, gradient};
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(ADAM_UPDATE_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
    });
    self.incrementIterations();
  }
}

/** Adam with tf.train.adam's defaults (beta1 0.9, beta2 0.999, the backend's epsilon). */
export function createAdam(learningRate = 0.001): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, 0.9, 0.999);
}
