/**
 * The out-of-distribution benchmark, all made offline (docs/ood.md lists it): rendered glyphs,
 * scribbles and installed pictures of non-garments (./renderedSet.ts), noise, flat images and
 * chessboards, and test images moved out of Fashion-MNIST's conventions
 * (../../core/model/oodSynthetic.ts). Node only (sharp renders the glyphs).
 */
import type * as tf from "@tensorflow/tfjs";

import type {Views} from "../../core/model/oodEvaluate.js";
import {featuresOf, type DenseHead} from "../../core/model/oodFeatures.js";
import {flatGroup, noiseGroup, transformedGroups, type OodGroup} from "../../core/model/oodSynthetic.js";
import {mirrorImages} from "../../core/model/tta.js";
import {glyphGroup, pictureGroup, scribbleGroup} from "./renderedSet.js";

/** Every group; `testXs` (the test images, 784 floats each) gives the transformed ones. */
export async function oodBenchmarkGroups(testXs: Float32Array, perKind = 100): Promise<OodGroup[]> {
  return [
    await glyphGroup(),
    await scribbleGroup(perKind),
    await pictureGroup(),
    noiseGroup(perKind / 4),
    flatGroup(),
    ...transformedGroups(testXs, perKind)
  ];
}

/** Features of images as given and, with `mirror`, of their mirror images (progress counts both). */
export async function viewsOf(
  model: tf.LayersModel,
  head: DenseHead,
  xs: Float32Array,
  mirror: boolean,
  onBatch?: (done: number, total: number) => void
): Promise<Views> {
  const given = await featuresOf(model, head, xs, onBatch);
  if (!mirror) return {given};
  const mirrored = await featuresOf(model, head, mirrorImages(xs), (done, total) => onBatch?.(total + done, 2 * total));
  return {given, mirrored};
}
