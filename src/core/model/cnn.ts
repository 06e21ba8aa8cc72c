/**
 * The seed project's CNN (../shared/seed/README.md, "Model structure"): three blocks of two 3x3
 * convolutions with 64 filters (valid then same padding), max-pooling after the first two blocks,
 * batch normalisation closing each block, then global average pooling, dropout 0.5 and a
 * 10-way softmax. Layer names follow Keras' automatic names so that our visualisations and the
 * Keras .h5 importer refer to the same layers.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_SIZE, NUM_CLASSES} from "../data/fashionMnist.js";
import {seededDropout} from "./seededDropout.js";
import {trainingBatchNormalization} from "./trainingBatchNorm.js";
import {trainingConv2d} from "./trainingConv2D.js";

/** Options for {@link createCnn}. */
export interface CnnOptions {
  /** Seed for the weight initialisers (default 42). */
  seed?: number;
  /** Filters per convolution (default 64, as in the seed). */
  filters?: number;
  /** Dropout rate before the classifier (default 0.5). */
  dropout?: number;
}

/** Keras-style layer names, in order. */
export const LAYER_NAMES = [
  "conv2d",
  "conv2d_1",
  "max_pooling2d",
  "batch_normalization",
  "conv2d_2",
  "conv2d_3",
  "max_pooling2d_1",
  "batch_normalization_1",
  "conv2d_4",
  "conv2d_5",
  "batch_normalization_2",
  "global_average_pooling2d",
  "dropout",
  "dense"
] as const;

/** Builds the (uncompiled) model; input [batch, 28, 28, 1] in [0, 1], output [batch, 10] probabilities. */
export function createCnn(options: CnnOptions = {}): tf.Sequential {
  const seed = options.seed ?? 42;
  const filters = options.filters ?? 64;
  let next = 0;
  const init = () => tf.initializers.glorotUniform({seed: seed * 1000 + next++});
  const conv = (name: string, padding: "valid" | "same", first = false) =>
    trainingConv2d({
      name,
      filters,
      kernelSize: 3,
      padding,
      activation: "relu",
      kernelInitializer: init(),
      ...(first ? {inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1]} : {})
    });
  // Keras' defaults for BatchNormalization: momentum 0.99, epsilon 1e-3.
  const bn = (name: string) => trainingBatchNormalization({name, momentum: 0.99, epsilon: 1e-3});
  const model = tf.sequential({name: "fashion_cnn"});
  model.add(conv("conv2d", "valid", true));
  model.add(conv("conv2d_1", "same"));
  model.add(tf.layers.maxPooling2d({name: "max_pooling2d", poolSize: 2}));
  model.add(bn("batch_normalization"));
  model.add(conv("conv2d_2", "valid"));
  model.add(conv("conv2d_3", "same"));
  model.add(tf.layers.maxPooling2d({name: "max_pooling2d_1", poolSize: 2}));
  model.add(bn("batch_normalization_1"));
  model.add(conv("conv2d_4", "valid"));
  model.add(conv("conv2d_5", "same"));
  model.add(bn("batch_normalization_2"));
  model.add(tf.layers.globalAveragePooling2d({name: "global_average_pooling2d"}));
  model.add(seededDropout({name: "dropout", rate: options.dropout ?? 0.5}));
  model.add(tf.layers.dense({name: "dense", units: NUM_CLASSES, activation: "softmax", kernelInitializer: init()}));
  return model;
}
