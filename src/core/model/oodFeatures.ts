/**
 * The features the OOD scores read (./oodScores.ts): the embedding (global-average-pooling output),
 * the logits and the probabilities. The logits are not an output of the model (its last layer is
 * a Dense layer with a softmax), so they are recomputed from the embedding with that layer's
 * weights: logits = embedding · kernel + bias (dropout between them is off at inference). Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS} from "../data/fashionMnist.js";
import {UserError} from "../errors.js";
import {embedAll} from "./embedding.js";
import type {FeatureSet} from "./oodScores.js";

/** The classifier's last (Dense) layer, read once. */
export interface DenseHead {
  dims: number;
  classes: number;
  /** [dims × classes], row-major. */
  kernel: Float32Array;
  bias: Float32Array;
}

/** The weights of the model's final Dense layer; a {@link UserError} when it has none. */
export function denseHead(model: tf.LayersModel): DenseHead {
  const last = model.layers[model.layers.length - 1];
  const weights = last.getWeights();
  if (last.getClassName() !== "Dense" || weights.length !== 2 || weights[0].shape.length !== 2) {
    throw new UserError(
      `model ${model.name}: out-of-distribution scores need a final Dense layer after global average pooling; its last layer is a ${last.getClassName()}`
    );
  }
  const [dims, classes] = weights[0].shape;
  return {dims, classes, kernel: weights[0].dataSync() as Float32Array, bias: weights[1].dataSync() as Float32Array};
}

/** A feature set from embeddings and probabilities, with the logits computed through `head`. */
export function featureSet(
  head: DenseHead,
  count: number,
  embeddings: Float32Array,
  probabilities: Float32Array
): FeatureSet {
  const {dims, classes, kernel, bias} = head;
  if (embeddings.length !== count * dims) {
    throw new UserError(`the embedding has ${embeddings.length / count} values but the last layer takes ${dims}`);
  }
  const logits = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < classes; c++) {
      let s = bias[c];
      for (let d = 0; d < dims; d++) s += embeddings[i * dims + d] * kernel[d * classes + c];
      logits[i * classes + c] = s;
    }
  }
  return {count, dims, classes, embeddings, logits, probabilities};
}

/** Features of `xs` (count × 784 pixels in [0, 1]), in batches. */
export async function featuresOf(
  model: tf.LayersModel,
  head: DenseHead,
  xs: Float32Array,
  onBatch?: (done: number, total: number) => void
): Promise<FeatureSet> {
  const count = xs.length / IMAGE_PIXELS;
  const r = await embedAll(model, {xs, ys: new Uint8Array(count), count}, {onBatch});
  return featureSet(head, count, r.embeddings, r.probabilities);
}
