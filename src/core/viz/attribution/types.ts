/**
 * What every attribution method returns: one value per input pixel (28×28), in the method's own
 * units, and the same map as "importance" in [0, 1], which the lab draws on one shared colour
 * scale and the faithfulness curves (./faithfulness.ts) order pixels by. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {IMAGE_SIZE} from "../../data/fashionMnist.js";
import {resizeBilinear} from "../../image/raster.js";
import type {HeatMap} from "../cam.js";

export type AttributionMethod =
  "gradient" | "smoothgrad" | "integrated-gradients" | "occlusion" | "score-cam" | "cam" | "grad-cam";

export interface Attribution {
  method: AttributionMethod;
  /** Class the map explains. */
  classIndex: number;
  /** Per input pixel, row-major 28×28, signed, in the method's units (e.g. logit per unit of brightness). */
  values: Float32Array;
  /** Per input pixel, in [0, 1]: how strongly the method points at the pixel as evidence for the class. */
  importance: Float32Array;
}

/**
 * The signature the methods that work on the input share (SmoothGrad, Integrated Gradients,
 * occlusion, counterfactuals), declared once: the model, one 28×28 input, the class to explain
 * (for a counterfactual, the class to reach) and the method's own options.
 */
export type AttributionFunction<Options, Result = Attribution> = (
  model: tf.LayersModel,
  input: Float32Array,
  classIndex: number,
  options?: Options
) => Result;

/** `values` divided by their largest absolute value (all zero stays zero). */
function scaled(values: Float32Array): Float32Array {
  let max = 0;
  for (const v of values) max = Math.max(max, v);
  return max > 0 ? values.map((v) => v / max) : new Float32Array(values.length);
}

/** Importance as the magnitude (for gradients, whose sign says which way, not whether it matters). */
export function magnitudeImportance(values: Float32Array): Float32Array {
  return scaled(values.map(Math.abs));
}

/** Importance as the positive part (evidence for the class; negative values are evidence against). */
export function positiveImportance(values: Float32Array): Float32Array {
  return scaled(values.map((v) => Math.max(0, v)));
}

/** A class activation map at its layer's resolution, upsampled bilinearly to the input's 28×28. */
export function heatMapAttribution(method: "cam" | "grad-cam", map: HeatMap): Attribution {
  const values = resizeBilinear(map.values, map.height, map.width, IMAGE_SIZE, IMAGE_SIZE);
  return {method, classIndex: map.classIndex, values, importance: positiveImportance(values)};
}
