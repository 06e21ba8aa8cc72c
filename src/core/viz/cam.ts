/**
 * Class activation maps.
 *
 * - CAM (Zhou et al., "Learning Deep Features for Discriminative Localization", CVPR 2016): for a
 *   network ending in global average pooling and a dense layer, the map of class c is
 *   sum_k W[k, c] * A_k(x, y), where A is the feature map that the pooling averages. The layers
 *   are found by type (GlobalAveragePooling2D, then the Dense layer after it).
 * - Grad-CAM (Selvaraju et al., ICCV 2017): for any convolutional layer, weights alpha_k are the
 *   spatial mean of d(score_c)/dA_k, and the map is ReLU(sum_k alpha_k A_k). The score is the
 *   class's pre-softmax logit: a final softmax is undone by applying the dense layer's linear part.
 * Both start from a forward pass (../model/forward.ts), so explaining an image runs the network once
 * more at most: the layers after Grad-CAM's layer, for the gradient. Both return maps at the
 * layer's resolution, scaled to [0, 1]. Isomorphic.
 */
import * as tf from "@tensorflow/tfjs";

import {UserError} from "../errors.js";
import {findLayerIndex, type ForwardPass, type LayerActivation} from "../model/forward.js";
import {classScore, logitsFrom} from "../model/logits.js";
import {maxOf, minOf} from "./colormap.js";

export interface HeatMap {
  /** Rows and columns of the map (the feature layer's spatial size). */
  height: number;
  width: number;
  /** Values scaled to [0, 1], row-major. */
  values: Float32Array;
  /** Layer the map was computed from. */
  layer: string;
  /** Class index the map explains. */
  classIndex: number;
  /** For a contrastive map: the class it is contrasted with. */
  against?: number;
}

function normalise01(values: Float32Array): Float32Array {
  const min = minOf(values);
  const max = maxOf(values);
  const range = max - min;
  return values.map((v) => (range > 0 ? (v - min) / range : 0));
}

/** The stored output of the layer at `index` in `model.layers`. */
export function activationOf(model: tf.LayersModel, pass: ForwardPass, index: number): LayerActivation {
  const name = model.layers[index].name;
  const found = pass.layers.find((l) => l.name === name);
  if (!found) throw new UserError(`the forward pass has no output for layer ${name}`);
  return found;
}

/**
 * CAM of `classIndex` from a forward pass: the feature maps global average pooling reads,
 * weighted by the dense layer's weights for the class (no network run: plain arithmetic).
 */
export function cam(model: tf.LayersModel, pass: ForwardPass, classIndex: number): HeatMap {
  const gap = findLayerIndex(model, ["GlobalAveragePooling2D"]);
  let before = gap - 1;
  while (before >= 0 && model.layers[before].getClassName() === "InputLayer") before--;
  if (before < 0) throw new UserError("CAM needs a GlobalAveragePooling2D layer after the convolutions; use Grad-CAM");
  let dense = -1;
  for (let i = gap + 1; i < model.layers.length; i++) {
    const name = model.layers[i].getClassName();
    if (name === "Dense") {
      dense = i;
      break;
    }
    if (name !== "Dropout" && name !== "Activation") break;
  }
  if (dense < 0) throw new UserError("CAM needs a Dense layer right after global average pooling; use Grad-CAM");
  const kernel = model.layers[dense].getWeights()[0]; // [channels, classes]
  const [channels, classes] = kernel.shape;
  if (classIndex < 0 || classIndex >= classes)
    throw new UserError(`class index ${classIndex} is not in 0..${classes - 1}`);
  const features = activationOf(model, pass, before);
  const [h, w, k] = features.shape;
  if (k !== channels) throw new UserError(`CAM: feature map has ${k} channels, dense layer expects ${channels}`);
  const weights = kernel.dataSync();
  const values = new Float32Array(h * w);
  for (let p = 0; p < h * w; p++) {
    let sum = 0;
    for (let c = 0; c < k; c++) sum += features.values[p * k + c] * weights[c * classes + classIndex];
    values[p] = sum;
  }
  return {height: h, width: w, values: normalise01(values), layer: model.layers[before].name, classIndex};
}

/** Names of the layers Grad-CAM can use (convolutions and what follows them while spatial). */
export function convLayerNames(model: tf.LayersModel): string[] {
  return model.layers.filter((l) => l.getClassName() === "Conv2D").map((l) => l.name);
}

/**
 * Grad-CAM of `classIndex` at layer `layerName` (default: the last Conv2D layer), starting from
 * that layer's output in the forward pass: only the layers after it run again, for the gradient.
 * With `against`, the contrastive map of a confusion pair: Grad-CAM of logit(classIndex) -
 * logit(against), where the image looks more like one class than the other.
 */
export function gradCam(
  model: tf.LayersModel,
  pass: ForwardPass,
  classIndex: number,
  layerName?: string,
  against?: number
): HeatMap {
  const index = layerName ? model.layers.findIndex((l) => l.name === layerName) : findLayerIndex(model, ["Conv2D"]);
  if (index < 0) {
    throw new UserError(
      layerName
        ? `no layer named "${layerName}"; convolution layers: ${convLayerNames(model).join(", ")}`
        : "Grad-CAM needs a Conv2D layer; this model has none"
    );
  }
  const layer = model.layers[index];
  const stored = activationOf(model, pass, index);
  if (stored.shape.length !== 3) {
    throw new UserError(`Grad-CAM: layer ${layer.name} has output shape [1,${stored.shape}], expected a feature map`);
  }
  const [h, w] = stored.shape;
  const values = tf.tidy(() => {
    const features = tf.tensor4d(stored.values, [1, ...(stored.shape as [number, number, number])]);
    const score = (a: tf.Tensor): tf.Scalar => classScore(logitsFrom(model, a, index + 1), classIndex, against);
    const grads = tf.grad(score)(features) as tf.Tensor4D; // [1, h, w, k]
    const alpha = tf.mean(grads, [0, 1, 2]); // [k]
    return tf.relu(tf.sum(tf.mul(features, alpha), -1)).dataSync() as Float32Array; // [1, h, w]
  });
  const map = {height: h, width: w, values: normalise01(values), layer: layer.name, classIndex};
  return against === undefined ? map : {...map, against};
}

/** CAM when the model has a global-average-pooling + dense head, Grad-CAM at `layerName` otherwise. */
export function classMap(model: tf.LayersModel, pass: ForwardPass, classIndex: number, layerName?: string): HeatMap {
  try {
    return cam(model, pass, classIndex);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return gradCam(model, pass, classIndex, layerName);
  }
}
