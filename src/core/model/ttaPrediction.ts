/**
 * One input's verdict as classify and the web app give it: the class probabilities averaged over
 * the image and its mirror image (./tta.ts; off with `tta: false`), and the out-of-distribution
 * rule (./ood.ts) on the features of the same views, when the model has statistics. Isomorphic.
 */
import type * as tf from "@tensorflow/tfjs";

import {UserError} from "../errors.js";
import type {OodStats} from "../formats/oodStats.js";
import {predictOne, type Prediction} from "./forward.js";
import {judgeOod, type OodVerdict} from "./ood.js";
import {denseHead, featureSet, type DenseHead} from "./oodFeatures.js";
import {meanProbabilities, mirrorImages} from "./tta.js";

/** A model with its final layer's weights read once (none when its head is not a Dense layer). */
export interface Classifier {
  model: tf.LayersModel;
  head?: DenseHead;
}

export function classifierOf(model: tf.LayersModel): Classifier {
  try {
    return {model, head: denseHead(model)};
  } catch (error) {
    if (error instanceof UserError) return {model};
    throw error;
  }
}

export interface Verdict {
  probabilities: Float32Array;
  predicted: number;
  /** Undefined when there are no statistics to judge by. */
  verdict?: OodVerdict;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Judges `input` (784 floats) whose plain forward pass is `given`. */
export async function judgeInput(
  classifier: Classifier,
  input: Float32Array,
  given: Prediction,
  options: {tta: boolean; stats?: OodStats}
): Promise<Verdict> {
  const mirrored = options.tta ? await predictOne(classifier.model, mirrorImages(input)) : undefined;
  const probabilities = mirrored ? meanProbabilities(given.probabilities, mirrored.probabilities) : given.probabilities;
  const {stats} = options;
  const {head} = classifier;
  if (!stats || !head || !given.embedding) return {probabilities, predicted: argmax(probabilities)};
  if (stats.dims !== head.dims || stats.classes !== head.classes) {
    throw new UserError(
      `the out-of-distribution statistics are for a model with ${stats.dims} features and ${stats.classes} classes, this one has ${head.dims} and ${head.classes}; remake them with \`fmnist calibrate --model MODEL\``
    );
  }
  const views = mirrored?.embedding && stats.mirror ? [given, mirrored] : [given];
  const cat = (pick: (p: Prediction) => Float32Array) => {
    const out = new Float32Array(views.reduce((n, v) => n + pick(v).length, 0));
    views.forEach((v, i) => out.set(pick(v), i * pick(v).length));
    return out;
  };
  const features = featureSet(
    head,
    views.length,
    cat((v) => v.embedding ?? new Float32Array(head.dims)),
    cat((v) => v.probabilities)
  );
  return {probabilities, predicted: argmax(probabilities), verdict: judgeOod(stats, features)};
}
