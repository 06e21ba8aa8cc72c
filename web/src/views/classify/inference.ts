/** The quick forward pass for one input (../../../../src/core/model/forward.ts) with the OOD check. */
import type * as tf from "@tensorflow/tfjs";

import {predictOne, type Prediction as CorePrediction} from "../../../../src/core/model/forward.js";
import {detectOod, type OodFlag, type OodStats} from "../../../../src/core/model/ood.js";

export interface Prediction extends CorePrediction {
  ood: OodFlag;
}

export async function predict(model: tf.LayersModel, input: Float32Array, ood?: OodStats): Promise<Prediction> {
  const p = await predictOne(model, input);
  return {...p, ood: detectOod(p.probabilities, p.embedding, p.predicted, ood)};
}
