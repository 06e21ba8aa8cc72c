/**
 * The one forward walk: an input (784 floats in [0, 1]) through the model layer by layer in
 * inference mode, keeping what the views need: every layer's output for the feature maps, the
 * global-average-pooling output (the embedding), the class probabilities, and, through the
 * stored activations, what CAM and Grad-CAM start from (../viz/cam.ts), so that explaining an
 * image never runs the network again. Layers are described by class name and shape, so any
 * sequential model works, including imported Keras ones. Isomorphic: the CLI and the web app use it.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_SIZE} from "../data/fashionMnist.js";
import {EMBEDDING_LAYER_CLASS} from "./embedding.js";

export interface LayerActivation {
  /** Layer name, e.g. "conv2d_1". */
  name: string;
  /** Keras class name, e.g. "Conv2D". */
  className: string;
  /** Output shape without the batch dimension, e.g. [26, 26, 64] or [64]. */
  shape: number[];
  /** Output values, row-major (HWC for feature maps). */
  values: Float32Array;
}

/** The outcome of one input. */
export interface Prediction {
  probabilities: Float32Array;
  /** Index of the most likely class. */
  predicted: number;
  /** The global-average-pooling output, when the model has that layer. */
  embedding?: Float32Array;
}

/** A prediction with every layer's output (the input layer excluded), in order. */
export interface ForwardPass extends Prediction {
  layers: LayerActivation[];
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The model's layers that compute something (Keras' InputLayer only passes its input on). */
export function computingLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() !== "InputLayer");
}

/** Runs the walk and returns the outputs of the layers `keep` selects (tensors the caller disposes). */
function walk(model: tf.LayersModel, input: Float32Array, keep: (layer: tf.layers.Layer, last: boolean) => boolean) {
  const layers = computingLayers(model);
  const kept: {layer: tf.layers.Layer; output: tf.Tensor}[] = [];
  tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(input, [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
    layers.forEach((layer, i) => {
      x = layer.apply(x, {training: false}) as tf.Tensor;
      if (keep(layer, i === layers.length - 1)) kept.push({layer, output: tf.keep(x)});
    });
  });
  return kept;
}

function prediction(probabilities: Float32Array, embedding: Float32Array | undefined): Prediction {
  return {probabilities, predicted: argmax(probabilities), ...(embedding ? {embedding} : {})};
}

/** Every layer's output for one input, read back synchronously. */
export function forward(model: tf.LayersModel, input: Float32Array): ForwardPass {
  const kept = walk(model, input, () => true);
  const layers = kept.map(({layer, output}) => ({
    name: layer.name,
    className: layer.getClassName(),
    shape: output.shape.slice(1),
    values: output.dataSync() as Float32Array
  }));
  tf.dispose(kept.map((k) => k.output));
  const embedding = layers.find((l) => l.className === EMBEDDING_LAYER_CLASS)?.values;
  return {...prediction(layers[layers.length - 1].values, embedding), layers};
}

/**
 * Only the probabilities and the embedding, read back asynchronously after the tensors are
 * freed: the quick pass the web app runs for every input.
 */
export async function predictOne(model: tf.LayersModel, input: Float32Array): Promise<Prediction> {
  const kept = walk(model, input, (layer, last) => last || layer.getClassName() === EMBEDDING_LAYER_CLASS);
  try {
    const values = await Promise.all(kept.map((k) => k.output.data()));
    const probabilities = Float32Array.from(values[values.length - 1]);
    const embedding = kept.length > 1 ? Float32Array.from(values[0]) : undefined;
    return prediction(probabilities, embedding);
  } finally {
    tf.dispose(kept.map((k) => k.output));
  }
}

/** Index in `model.layers` of the last (or first) layer with one of `classNames`; -1 when none. */
export function findLayerIndex(model: tf.LayersModel, classNames: string[], last = true): number {
  const layers = model.layers;
  if (last) {
    for (let i = layers.length - 1; i >= 0; i--) if (classNames.includes(layers[i].getClassName())) return i;
  } else {
    for (let i = 0; i < layers.length; i++) if (classNames.includes(layers[i].getClassName())) return i;
  }
  return -1;
}
