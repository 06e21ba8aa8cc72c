/**
 * The attribution lab: every method on one image and one class, each timed, each map's deletion
 * and insertion curves (./faithfulness.ts) against a random pixel order, Integrated Gradients'
 * completeness check, and optionally the contrastive Grad-CAM of a confusion pair. The CLI's
 * `classify --save-plots` and the web app's Classify view show this. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {UserError} from "../../errors.js";
import type {ForwardPass} from "../../model/forward.js";
import {cam, gradCam, type HeatMap} from "../cam.js";
import {faithfulness, pixelOrder, randomPixelOrder, type Faithfulness} from "./faithfulness.js";
import {inputGradient} from "./gradient.js";
import {integratedGradients, type Completeness} from "./integratedGradients.js";
import {occlusion} from "./occlusion.js";
import {scoreCam} from "./scoreCam.js";
import {smoothGrad} from "./smoothGrad.js";
import {heatMapAttribution, type Attribution} from "./types.js";

export interface LabEntry {
  attribution: Attribution;
  /** Time the method took, in milliseconds. */
  ms: number;
  faithfulness: Faithfulness;
}

export interface Lab {
  classIndex: number;
  entries: LabEntry[];
  completeness: Completeness;
  /** Deletion and insertion in a random pixel order: what a map that knows nothing scores. */
  random: Faithfulness;
  /** Contrastive Grad-CAM of classIndex against `against`, when asked for. */
  contrast?: HeatMap;
}

export interface LabOptions {
  /** Grad-CAM's and Score-CAM's layer (default: the last convolution). */
  layer?: string;
  /** A second class for the contrastive Grad-CAM ("why classIndex rather than this one"). */
  against?: number;
}

function timed<T>(run: () => T): {result: T; ms: number} {
  const started = performance.now();
  const result = run();
  return {result, ms: performance.now() - started};
}

/** Runs every method for `classIndex` on `input`, whose forward pass is `pass`. */
export function attributionLab(
  model: tf.LayersModel,
  pass: ForwardPass,
  input: Float32Array,
  classIndex: number,
  options: LabOptions = {}
): Lab {
  const runs: {result: Attribution; ms: number}[] = [
    timed(() => inputGradient(model, input, classIndex)),
    timed(() => smoothGrad(model, input, classIndex))
  ];
  const ig = timed(() => integratedGradients(model, input, classIndex));
  runs.push(ig);
  runs.push(timed(() => occlusion(model, input, classIndex)));
  runs.push(timed(() => scoreCam(model, pass, input, classIndex, options.layer)));
  try {
    runs.push(timed(() => heatMapAttribution("cam", cam(model, pass, classIndex))));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // CAM needs global average pooling before a dense layer; the other methods work on any CNN.
  }
  runs.push(timed(() => heatMapAttribution("grad-cam", gradCam(model, pass, classIndex, options.layer))));
  const entries = runs.map(({result, ms}) => ({
    attribution: result,
    ms,
    faithfulness: faithfulness(model, input, pixelOrder(result.importance), classIndex)
  }));
  const lab: Lab = {
    classIndex,
    entries,
    completeness: ig.result.completeness,
    random: faithfulness(model, input, randomPixelOrder(), classIndex)
  };
  if (options.against !== undefined && options.against !== classIndex) {
    lab.contrast = gradCam(model, pass, classIndex, options.layer, options.against);
  }
  return lab;
}
