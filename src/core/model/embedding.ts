/**
 * The embedding of an image: the output of the network's global-average-pooling layer (64 numbers
 * for our CNN), taken in the same forward pass as the class probabilities. The layer is found by
 * its class (`GlobalAveragePooling2D`), so models imported from Keras with other layer names work.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS, NUM_CLASSES} from "../data/fashionMnist.js";
import type {Examples} from "../data/dataset.js";
import {UserError} from "../errors.js";
import {argMaxRows, batchTensor} from "./metrics.js";

export const EMBEDDING_LAYER_CLASS = "GlobalAveragePooling2D";

/** Result of {@link embedAll}. */
export interface EmbeddingResult {
  count: number;
  /** Size of one embedding (64 for our CNN). */
  dim: number;
  /** [count, dim] embeddings, row-major. */
  embeddings: Float32Array;
  /** [count, 10] class probabilities, row-major. */
  probabilities: Float32Array;
  /** Arg-max class per example. */
  predicted: Uint8Array;
  /** Name of the layer the embeddings come from. */
  layerName: string;
}

/** Options for {@link embedAll}. */
export interface EmbedOptions {
  /** Images per forward pass (default 256). */
  batchSize?: number;
  /** Called after each batch with (images done, total). */
  onBatch?: (done: number, total: number) => void;
}

/** The last layer of class GlobalAveragePooling2D; throws a {@link UserError} when there is none. */
export function findEmbeddingLayer(model: tf.LayersModel): tf.layers.Layer {
  const found = model.layers.filter((layer) => layer.getClassName() === EMBEDDING_LAYER_CLASS);
  const layer = found[found.length - 1];
  if (!layer) {
    const classes = [...new Set(model.layers.map((l) => l.getClassName()))].join(", ");
    throw new UserError(
      `model ${model.name} has no ${EMBEDDING_LAYER_CLASS} layer to take embeddings from (its layers: ${classes})`
    );
  }
  return layer;
}

/**
 * A model with two outputs, [embedding, probabilities], sharing the weights of `model` (dispose
 * the original model to free them; disposing this one frees nothing).
 */
export function createEmbeddingModel(model: tf.LayersModel): tf.LayersModel {
  const layer = findEmbeddingLayer(model);
  return tf.model({
    name: `${model.name}_embedding`,
    inputs: model.inputs,
    outputs: [layer.output as tf.SymbolicTensor, model.outputs[0]]
  });
}

/** Runs `model` in inference mode over all examples, in batches, returning embeddings and predictions. */
export async function embedAll(
  model: tf.LayersModel,
  examples: Examples,
  options: EmbedOptions = {}
): Promise<EmbeddingResult> {
  const batchSize = options.batchSize ?? 256;
  const layer = findEmbeddingLayer(model);
  const twoHeads = createEmbeddingModel(model);
  const outShape = layer.outputShape as number[];
  const dim = outShape[outShape.length - 1];
  if (examples.xs.length !== examples.count * IMAGE_PIXELS) {
    throw new UserError(`embedAll: ${examples.xs.length} pixels for ${examples.count} images of ${IMAGE_PIXELS}`);
  }
  const embeddings = new Float32Array(examples.count * dim);
  const probabilities = new Float32Array(examples.count * NUM_CLASSES);
  for (let start = 0; start < examples.count; start += batchSize) {
    const n = Math.min(batchSize, examples.count - start);
    const [emb, probs] = tf.tidy(
      () => twoHeads.predict(batchTensor(examples, start, n), {batchSize: n}) as tf.Tensor[]
    );
    try {
      embeddings.set(await emb.data(), start * dim);
      probabilities.set(await probs.data(), start * NUM_CLASSES);
    } finally {
      emb.dispose();
      probs.dispose();
    }
    options.onBatch?.(start + n, examples.count);
  }
  return {
    count: examples.count,
    dim,
    embeddings,
    probabilities,
    predicted: argMaxRows(probabilities),
    layerName: layer.name
  };
}
