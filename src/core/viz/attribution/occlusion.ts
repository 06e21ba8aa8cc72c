/**
 * Occlusion (Zeiler & Fergus, "Visualizing and Understanding Convolutional Networks", 2014): a
 * black square slides over the image, and each pixel's value is the mean drop in the class
 * probability over the squares that covered it. No gradients and no randomness: it measures what
 * hiding a part does. The original image runs in the same batch as the occluded ones, so a square
 * that changes no pixel changes nothing. Isomorphic.
 */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../../data/fashionMnist.js";
import {classProbabilities} from "./batch.js";
import {positiveImportance, type AttributionFunction} from "./types.js";

export interface OcclusionOptions {
  /** Side of the square in pixels (default 4). */
  patch?: number;
  /** Step between squares (default 2: 13 × 13 = 169 squares on 28 × 28). */
  stride?: number;
  /** Brightness of the square (default 0, Fashion-MNIST's background). */
  fill?: number;
}

/** Top-left corners along one axis: every `stride`, plus the last position so the edge is covered. */
export function patchStarts(patch: number, stride: number, size = IMAGE_SIZE): number[] {
  const starts: number[] = [];
  for (let s = 0; s + patch <= size; s += stride) starts.push(s);
  if (starts.at(-1) !== size - patch) starts.push(size - patch);
  return starts;
}

export const occlusion: AttributionFunction<OcclusionOptions> = (model, input, classIndex, options = {}) => {
  const patch = options.patch ?? 4;
  const fill = options.fill ?? 0;
  const starts = patchStarts(patch, options.stride ?? 2);
  const corners = starts.flatMap((y) => starts.map((x) => [y, x] as const));
  const count = corners.length + 1; // the unoccluded image last
  const images = new Float32Array(count * IMAGE_PIXELS);
  corners.forEach(([y0, x0], i) => {
    const image = images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    image.set(input);
    for (let y = y0; y < y0 + patch; y++) image.fill(fill, y * IMAGE_SIZE + x0, y * IMAGE_SIZE + x0 + patch);
  });
  images.set(input, corners.length * IMAGE_PIXELS);
  const probs = classProbabilities(model, images, count, classIndex);
  const original = probs[corners.length];
  const total = new Float32Array(IMAGE_PIXELS);
  const covered = new Float32Array(IMAGE_PIXELS);
  corners.forEach(([y0, x0], i) => {
    const drop = original - probs[i];
    for (let y = y0; y < y0 + patch; y++) {
      for (let x = x0; x < x0 + patch; x++) {
        total[y * IMAGE_SIZE + x] += drop;
        covered[y * IMAGE_SIZE + x] += 1;
      }
    }
  });
  const values = total.map((t, p) => t / covered[p]);
  return {method: "occlusion", classIndex, values, importance: positiveImportance(values)};
};
