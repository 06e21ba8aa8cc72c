/**
 * The quick pass for one input: the forward pass (../../../../src/core/model/forward.ts), averaged
 * with the mirror image's (test-time augmentation), and the out-of-distribution rule when the
 * model has statistics (../../../../src/core/model/ttaPrediction.ts).
 */
import type {OodStats} from "../../../../src/core/formats/oodStats.js";
import {predictOne} from "../../../../src/core/model/forward.js";
import {judgeInput, type Classifier, type Verdict} from "../../../../src/core/model/ttaPrediction.js";

export type Prediction = Verdict;

export async function predict(classifier: Classifier, input: Float32Array, stats?: OodStats): Promise<Prediction> {
  const given = await predictOne(classifier.model, input);
  return judgeInput(classifier, input, given, {tta: true, stats});
}
