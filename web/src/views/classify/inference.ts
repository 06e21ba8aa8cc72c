/** The forward pass for one input: class probabilities and the 64-d embedding (for the OOD check). */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_SIZE} from "../../../../src/core/data/fashionMnist.js";
import {detectOod, type OodFlag, type OodStats} from "../../../../src/core/model/ood.js";

export interface Prediction {
  probabilities: Float32Array;
  predicted: number;
  embedding?: Float32Array;
  ood: OodFlag;
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Runs the layers one by one (as src/viz/activations does) keeping only the global average
 * pooling output and the last output; tensors are freed before the values are awaited.
 */
export async function predict(model: tf.LayersModel, input: Float32Array, ood?: OodStats): Promise<Prediction> {
  const [embedding, probabilities] = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(input, [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
    let pooled: tf.Tensor | undefined;
    for (const layer of model.layers) {
      if (layer.getClassName() === "InputLayer") continue;
      x = layer.apply(x, {training: false}) as tf.Tensor;
      if (layer.getClassName() === "GlobalAveragePooling2D") pooled = x;
    }
    return [pooled ?? tf.zeros([1, 0]), x];
  });
  try {
    const [e, p] = await Promise.all([embedding.data(), probabilities.data()]);
    const probs = Float32Array.from(p);
    const predicted = argmax(probs);
    const emb = e.length > 0 ? Float32Array.from(e) : undefined;
    return {probabilities: probs, predicted, embedding: emb, ood: detectOod(probs, emb, predicted, ood)};
  } finally {
    embedding.dispose();
    probabilities.dispose();
  }
}
