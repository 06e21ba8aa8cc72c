/**
 * Score-CAM (Wang et al., CVPR Workshops 2020): each feature map of a convolution layer, upsampled
 * to the input and scaled to [0, 1], is used as a mask on the image; the map's weight is how much
 * the masked image raises the class probability over a black image (the paper's "channel-wise
 * increase of confidence"), and the result is ReLU(sum_k weight_k A_k). No gradients: it asks the
 * network directly what each map's region is worth. Starts from the forward pass's stored
 * activations (../../model/forward.ts), so only the masked images run. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {UserError} from "../../errors.js";
import {IMAGE_PIXELS, IMAGE_SIZE} from "../../data/fashionMnist.js";
import {resizeBilinear} from "../../image/raster.js";
import {findLayerIndex, type ForwardPass} from "../../model/forward.js";
import {activationOf} from "../cam.js";
import {classProbabilities} from "./batch.js";
import {positiveImportance, type Attribution} from "./types.js";

export interface ScoreCam extends Attribution {
  /** Layer whose feature maps were used. */
  layer: string;
}

export function scoreCam(
  model: tf.LayersModel,
  pass: ForwardPass,
  input: Float32Array,
  classIndex: number,
  layerName?: string
): ScoreCam {
  const index = layerName ? model.layers.findIndex((l) => l.name === layerName) : findLayerIndex(model, ["Conv2D"]);
  if (index < 0) throw new UserError(layerName ? `no layer named "${layerName}"` : "Score-CAM needs a Conv2D layer");
  const features = activationOf(model, pass, index);
  if (features.shape.length !== 3) throw new UserError(`Score-CAM: layer ${features.name} is not a feature map`);
  const [h, w, k] = features.shape;
  // Mask k: feature map k upsampled to 28×28 and scaled to [0, 1]; image k: the input times mask k.
  const images = new Float32Array((k + 1) * IMAGE_PIXELS); // the black baseline last (all zero)
  const channel = new Float32Array(h * w);
  for (let c = 0; c < k; c++) {
    for (let p = 0; p < h * w; p++) channel[p] = features.values[p * k + c];
    const up = resizeBilinear(channel, h, w, IMAGE_SIZE, IMAGE_SIZE);
    let min = Infinity;
    let max = -Infinity;
    for (const v of up) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (!(max > min)) continue; // a constant map masks nothing in particular: its image stays black
    for (let p = 0; p < IMAGE_PIXELS; p++) images[c * IMAGE_PIXELS + p] = (input[p] * (up[p] - min)) / (max - min);
  }
  const probs = classProbabilities(model, images, k + 1, classIndex);
  const baseline = probs[k];
  const map = new Float32Array(h * w);
  for (let c = 0; c < k; c++) {
    const weight = probs[c] - baseline;
    for (let p = 0; p < h * w; p++) map[p] += weight * features.values[p * k + c];
  }
  const values = resizeBilinear(
    map.map((v) => Math.max(0, v)),
    h,
    w,
    IMAGE_SIZE,
    IMAGE_SIZE
  );
  return {method: "score-cam", classIndex, values, importance: positiveImportance(values), layer: features.name};
}
