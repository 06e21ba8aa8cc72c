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
import {hasCompleteness, integratedGradients, type Completeness} from "./integratedGradients.js";
import {occlusion} from "./occlusion.js";
import {scoreCam} from "./scoreCam.js";
import {smoothGrad} from "./smoothGrad.js";
import {heatMapAttribution, type Attribution, type AttributionMethod} from "./types.js";

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

/** One method of the lab, ready to run: undefined when the model does not support it (CAM without GAP). */
export interface LabStep {
  method: AttributionMethod;
  run(): Attribution | undefined;
}

/**
 * The lab's methods for `classIndex` on `input`, in the order they are shown, each run on demand:
 * {@link attributionLab} runs them in one go, the web app one at a time between frames.
 */
export function labSteps(
  model: tf.LayersModel,
  pass: ForwardPass,
  input: Float32Array,
  classIndex: number,
  layer?: string
): LabStep[] {
  return [
    {method: "gradient", run: () => inputGradient(model, input, classIndex)},
    {method: "smoothgrad", run: () => smoothGrad(model, input, classIndex)},
    {method: "integrated-gradients", run: () => integratedGradients(model, input, classIndex)},
    {method: "occlusion", run: () => occlusion(model, input, classIndex)},
    {method: "score-cam", run: () => scoreCam(model, pass, input, classIndex, layer)},
    {
      method: "cam",
      run: () => {
        try {
          return heatMapAttribution("cam", cam(model, pass, classIndex));
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          return undefined; // CAM needs global average pooling before a dense layer; the others work on any CNN
        }
      }
    },
    {method: "grad-cam", run: () => heatMapAttribution("grad-cam", gradCam(model, pass, classIndex, layer))}
  ];
}

/** Deletion and insertion curves of `attribution`'s map (pixels in its order of importance). */
export function mapFaithfulness(model: tf.LayersModel, input: Float32Array, attribution: Attribution): Faithfulness {
  return faithfulness(model, input, pixelOrder(attribution.importance), attribution.classIndex);
}

/** Runs every method for `classIndex` on `input`, whose forward pass is `pass`. */
export function attributionLab(
  model: tf.LayersModel,
  pass: ForwardPass,
  input: Float32Array,
  classIndex: number,
  options: LabOptions = {}
): Lab {
  const runs: {result: Attribution; ms: number}[] = [];
  for (const step of labSteps(model, pass, input, classIndex, options.layer)) {
    const started = performance.now();
    const result = step.run();
    if (result) runs.push({result, ms: performance.now() - started});
  }
  const ig = runs.map((r) => r.result).find(hasCompleteness);
  if (!ig) throw new UserError("the attribution lab ran without Integrated Gradients"); // labSteps always has it
  const entries = runs.map(({result, ms}) => ({
    attribution: result,
    ms,
    faithfulness: mapFaithfulness(model, input, result)
  }));
  const lab: Lab = {
    classIndex,
    entries,
    completeness: ig.completeness,
    random: faithfulness(model, input, randomPixelOrder(), classIndex)
  };
  if (options.against !== undefined && options.against !== classIndex) {
    lab.contrast = gradCam(model, pass, classIndex, options.layer, options.against);
  }
  return lab;
}
