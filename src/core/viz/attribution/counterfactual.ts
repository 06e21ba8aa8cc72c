/**
 * Counterfactual: "what would make this a Bag?" The smallest-looking change that the network reads
 * as the target class, found by targeted projected gradient descent (Madry et al., 2018): step
 * against the sign of the gradient of the target's cross-entropy, then project back into the
 * L∞ ball of radius epsilon around the input and into [0, 1]. No random start, so the result is
 * the same every run. Isomorphic.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS} from "../../data/fashionMnist.js";
import {logitsFrom} from "../../model/logits.js";
import {classCount, imageBatch} from "./batch.js";
import type {AttributionFunction} from "./types.js";

export interface CounterfactualOptions {
  /** Largest change of any pixel, in brightness units [0, 1] (default 0.1). */
  epsilon?: number;
  /** Gradient steps (default 20). */
  steps?: number;
  /** Step size (default 2.5 epsilon / steps, as in Madry et al.). */
  stepSize?: number;
}

export interface Counterfactual {
  target: number;
  epsilon: number;
  /** The changed image (784 values in [0, 1]). */
  image: Float32Array;
  /** image - input, each within [-epsilon, epsilon]. */
  difference: Float32Array;
  /** Class probabilities of the changed image. */
  probabilities: Float32Array;
  predicted: number;
  /** Whether the changed image is classified as the target. */
  reached: boolean;
}

export const counterfactual: AttributionFunction<CounterfactualOptions, Counterfactual> = (
  model,
  input,
  target,
  {epsilon = 0.1, steps = 20, stepSize = (2.5 * epsilon) / steps} = {}
) => {
  const classes = classCount(model);
  const [image, probabilities] = tf.tidy(() => {
    const x0 = imageBatch(input, 1);
    const low = tf.maximum(tf.sub(x0, epsilon), 0);
    const high = tf.minimum(tf.add(x0, epsilon), 1);
    const loss = (x: tf.Tensor): tf.Scalar =>
      tf.losses.softmaxCrossEntropy(tf.oneHot([target], classes), logitsFrom(model, x));
    let x: tf.Tensor = x0;
    for (let s = 0; s < steps; s++) {
      const previous = x;
      x = tf.tidy(() =>
        tf.minimum(tf.maximum(tf.sub(previous, tf.mul(tf.sign(tf.grad(loss)(previous)), stepSize)), low), high)
      );
      if (previous !== x0) previous.dispose();
    }
    return [x.dataSync() as Float32Array, tf.softmax(logitsFrom(model, x)).dataSync() as Float32Array];
  });
  const difference = new Float32Array(IMAGE_PIXELS);
  for (let p = 0; p < IMAGE_PIXELS; p++) difference[p] = image[p] - input[p];
  let predicted = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c] > probabilities[predicted]) predicted = c;
  return {target, epsilon, image, difference, probabilities, predicted, reached: predicted === target};
};
