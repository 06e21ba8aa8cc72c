/**
 * The attribution lab and the counterfactual of one classified image, as `fmnist classify
 * --save-plots` draws them (../../node/pictures/labPlots.ts). Kept apart from classify.ts so the
 * command only asks for it.
 */
import type * as tf from "@tensorflow/tfjs";

import {UsageError} from "../../core/errors.js";
import {forward, type ForwardPass} from "../../core/model/forward.js";
import {counterfactual} from "../../core/viz/attribution/counterfactual.js";
import {attributionLab} from "../../core/viz/attribution/lab.js";
import {classMap} from "../../core/viz/cam.js";
import type {LabPlotInput} from "../../node/pictures/labPlots.js";

export interface LabRequest {
  /** Class to explain. */
  classIndex: number;
  /** Grad-CAM's and Score-CAM's layer. */
  layer?: string;
  /** Class the counterfactual aims at, if any. */
  target?: number;
  /** L∞ budget of the counterfactual. */
  epsilon?: number;
}

/** The class `--counterfactual NAME` names (any case). */
export function counterfactualTarget(classNames: string[], name: string): number {
  const index = classNames.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  if (index < 0) throw new UsageError(`--counterfactual must be one of: ${classNames.join(", ")}; got "${name}"`);
  return index;
}

/** Runs every method on `input` (whose forward pass is `pass`) and, when asked, the counterfactual. */
export function explainImage(
  model: tf.LayersModel,
  pass: ForwardPass,
  input: Float32Array,
  classNames: string[],
  request: LabRequest
): LabPlotInput {
  const probs = pass.probabilities;
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]);
  // The confusion pair: the explained class against the runner-up (or against the prediction).
  const against = request.classIndex === order[0] ? order[1] : order[0];
  const lab = attributionLab(model, pass, input, request.classIndex, {layer: request.layer, against});
  const out: LabPlotInput = {lab, input, classNames};
  if (request.target !== undefined) {
    const result = counterfactual(model, input, request.target, {epsilon: request.epsilon});
    out.counterfactual = {
      result,
      before: classMap(model, pass, request.target, request.layer),
      after: classMap(model, forward(model, result.image), request.target, request.layer),
      predicted: pass.predicted
    };
  }
  return out;
}
