/**
 * SmoothGrad (Smilkov et al., 2017): the input gradient averaged over noisy copies of the image,
 * which removes the pixel-to-pixel flicker of a single gradient. The noise is Gaussian with a
 * standard deviation of `noise` times the image's brightness range (the paper recommends 10-20 %),
 * drawn from a seeded generator so the map is the same every run. Isomorphic.
 */
import {IMAGE_PIXELS} from "../../data/fashionMnist.js";
import {createRandom, type Random} from "../../random.js";
import {maxOf, minOf} from "../colormap.js";
import {batchGradients} from "./batch.js";
import {magnitudeImportance, type AttributionFunction} from "./types.js";

export interface SmoothGradOptions {
  /** Noisy copies (default 25). */
  samples?: number;
  /** Noise standard deviation as a fraction of the brightness range (default 0.15). */
  noise?: number;
  /** Seed of the noise (default 1). */
  seed?: number;
}

/** A standard normal draw (Box-Muller). */
function gaussian(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) is never taken
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The mean gradient of logit(classIndex) over `samples` noisy copies of `input`. */
export const smoothGrad: AttributionFunction<SmoothGradOptions> = (model, input, classIndex, options = {}) => {
  const samples = options.samples ?? 25;
  const random = createRandom(options.seed ?? 1);
  const sigma = (options.noise ?? 0.15) * (maxOf(input) - minOf(input) || 1);
  const noisy = new Float32Array(samples * IMAGE_PIXELS);
  for (let i = 0; i < noisy.length; i++) noisy[i] = input[i % IMAGE_PIXELS] + sigma * gaussian(random);
  const grads = batchGradients(model, noisy, samples, classIndex);
  const values = new Float32Array(IMAGE_PIXELS);
  for (let s = 0; s < samples; s++) {
    for (let p = 0; p < IMAGE_PIXELS; p++) values[p] += grads[s * IMAGE_PIXELS + p] / samples;
  }
  return {method: "smoothgrad", classIndex, values, importance: magnitudeImportance(values)};
};
