/**
 * Vanilla input gradient (Simonyan et al., "Deep Inside Convolutional Networks", 2014): how much
 * the class's logit changes per unit of brightness of each pixel, at this image. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {batchGradients} from "./batch.js";
import {magnitudeImportance, type Attribution} from "./types.js";

/** d logit(classIndex) / d pixel for the 784 pixels of `input`. */
export function inputGradient(model: tf.LayersModel, input: Float32Array, classIndex: number): Attribution {
  const values = batchGradients(model, input, 1, classIndex);
  return {method: "gradient", classIndex, values, importance: magnitudeImportance(values)};
}
