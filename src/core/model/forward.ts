/**
 * Every layer's output for one input, as plain typed arrays (isomorphic).
 * Layers are described by class name and shape, so any sequential model works, including
 * imported Keras ones; nothing here depends on layer indices.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_SIZE} from "../data/fashionMnist.js";

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

/**
 * Runs `input` (784 floats in [0, 1]) through `model` in inference mode and returns each layer's
 * output, in order. The input layer itself is not included.
 */
export function activations(model: tf.LayersModel, input: Float32Array): LayerActivation[] {
  const layers = model.layers.filter((l) => l.getClassName() !== "InputLayer");
  const outputs = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor4d(input, [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
    const result: tf.Tensor[] = [];
    for (const layer of layers) {
      x = layer.apply(x, {training: false}) as tf.Tensor;
      result.push(tf.keep(x));
    }
    return result;
  });
  const list = layers.map((layer, i) => ({
    name: layer.name,
    className: layer.getClassName(),
    shape: outputs[i].shape.slice(1),
    values: outputs[i].dataSync() as Float32Array
  }));
  tf.dispose(outputs);
  return list;
}

/** Index of the first layer with one of `classNames`, searching from the end when `last`. */
export function findLayerIndex(model: tf.LayersModel, classNames: string[], last = true): number {
  const layers = model.layers;
  if (last) {
    for (let i = layers.length - 1; i >= 0; i--) if (classNames.includes(layers[i].getClassName())) return i;
  } else {
    for (let i = 0; i < layers.length; i++) if (classNames.includes(layers[i].getClassName())) return i;
  }
  return -1;
}
