/**
 * Turning a photo into the model's 28x28 input, keeping every intermediate for the plots (Node only).
 *
 * - `plain`: the Keras project's pipeline: greyscale, bicubic resize to 28x28, scale to [0, 1].
 * - `fashion` (default): how Fashion-MNIST itself was made from Zalando's product photos (steps
 *   from the dataset's README): trim the borders that match the corner colour, resize the longest
 *   edge to 28, sharpen (Gaussian, sigma 1), pad the short edge to 28 centred, negate, greyscale.
 *   The dataset subsampled pixels for the resize; we use Lanczos instead, which avoids the heavy
 *   aliasing subsampling gives on multi-megapixel phone photos.
 */
import sharp, {type Sharp} from "sharp";

import {IMAGE_SIZE} from "../../core/data/fashionMnist.js";
import {UsageError} from "../../core/errors.js";
import type {Raster} from "../../core/image/raster.js";

export type PreprocessName = "plain" | "fashion";
export const PREPROCESS_NAMES: readonly PreprocessName[] = ["fashion", "plain"];

export function parsePreprocessName(value: string): PreprocessName {
  if ((PREPROCESS_NAMES as readonly string[]).includes(value)) return value as PreprocessName;
  throw new UsageError(`--preprocess must be fashion or plain; got "${value}"`);
}

/** One named intermediate picture. */
export interface PreprocessStep {
  /** File-name-friendly id, e.g. "greyscale_input". */
  id: string;
  /** Human description for the report. */
  title: string;
  raster: Raster;
}

export interface Preprocessed {
  /** The intermediates in order, from the decoded input to the 28x28 model input. */
  steps: PreprocessStep[];
  /** The model input: 784 floats in [0, 1], object bright on black for `fashion`. */
  input: Float32Array;
  /** The model input as a 28x28 grey raster. */
  inputRaster: Raster;
}

function sharpOf(r: Raster) {
  return sharp(r.data, {raw: {width: r.width, height: r.height, channels: r.channels}});
}

async function toRaster(image: Sharp, channels: 1 | 3): Promise<Raster> {
  const pipeline = channels === 1 ? image.toColourspace("b-w") : image.toColourspace("srgb");
  const {data, info} = await pipeline.raw().toBuffer({resolveWithObject: true});
  if (info.channels !== channels) {
    // b-w output can come back with 1 channel only after extractChannel on some inputs
    const fixed = await sharp(data, {raw: {width: info.width, height: info.height, channels: info.channels}})
      .extractChannel(0)
      .raw()
      .toBuffer({resolveWithObject: true});
    return {width: fixed.info.width, height: fixed.info.height, channels: 1, data: new Uint8Array(fixed.data)};
  }
  return {width: info.width, height: info.height, channels, data: new Uint8Array(data)};
}

function cornerColour(r: Raster): [number, number, number] {
  const corners = [
    [0, 0],
    [r.width - 1, 0],
    [0, r.height - 1],
    [r.width - 1, r.height - 1]
  ];
  const sum = [0, 0, 0];
  for (const [x, y] of corners) {
    for (let k = 0; k < 3; k++) sum[k] += r.data[(y * r.width + x) * r.channels + (r.channels === 1 ? 0 : k)];
  }
  return [Math.round(sum[0] / 4), Math.round(sum[1] / 4), Math.round(sum[2] / 4)];
}

function toInput(r: Raster): Float32Array {
  const out = new Float32Array(r.width * r.height);
  for (let i = 0; i < out.length; i++) out[i] = r.data[i * r.channels] / 255;
  return out;
}

/** Runs a pipeline on an RGB raster. */
export async function preprocess(rgb: Raster, name: PreprocessName = "fashion"): Promise<Preprocessed> {
  const steps: PreprocessStep[] = [{id: "input_image", title: "Input image", raster: rgb}];
  if (name === "plain") {
    const grey = await toRaster(sharpOf(rgb), 1);
    steps.push({id: "greyscale_input", title: "Converted to greyscale", raster: grey});
    const small = await toRaster(sharpOf(grey).resize(IMAGE_SIZE, IMAGE_SIZE, {fit: "fill", kernel: "cubic"}), 1);
    steps.push({id: "rescaled_model_input", title: "Resized to 28x28 (bicubic): the model's input", raster: small});
    return {steps, input: toInput(small), inputRaster: small};
  }
  const background = cornerColour(rgb);
  let trimmed: Raster;
  try {
    trimmed = await toRaster(
      sharpOf(rgb).trim({background: {r: background[0], g: background[1], b: background[2]}, threshold: 24}),
      3
    );
  } catch {
    trimmed = rgb; // nothing to trim (uniform image): keep it whole
  }
  steps.push({id: "trimmed", title: "Borders of the corner colour trimmed", raster: trimmed});
  const scale = IMAGE_SIZE / Math.max(trimmed.width, trimmed.height);
  const w = Math.max(1, Math.round(trimmed.width * scale));
  const h = Math.max(1, Math.round(trimmed.height * scale));
  const resized = await toRaster(sharpOf(trimmed).resize(w, h, {fit: "fill", kernel: "lanczos3"}), 3);
  steps.push({id: "resized", title: "Longest edge resized to 28", raster: resized});
  const sharpened = await toRaster(sharpOf(resized).sharpen({sigma: 1}), 3);
  steps.push({id: "sharpened", title: "Sharpened (Gaussian, sigma 1)", raster: sharpened});
  const left = Math.floor((IMAGE_SIZE - w) / 2);
  const top = Math.floor((IMAGE_SIZE - h) / 2);
  const padded = await toRaster(
    sharpOf(sharpened).extend({
      left,
      right: IMAGE_SIZE - w - left,
      top,
      bottom: IMAGE_SIZE - h - top,
      background: {r: background[0], g: background[1], b: background[2]}
    }),
    3
  );
  steps.push({id: "padded", title: "Short edge padded to 28, centred", raster: padded});
  const negated = await toRaster(sharpOf(padded).negate(), 3);
  steps.push({id: "negated", title: "Negated: the object bright on a dark background", raster: negated});
  const grey = await toRaster(sharpOf(negated), 1);
  steps.push({id: "greyscale_input", title: "Converted to greyscale", raster: grey});
  steps.push({id: "rescaled_model_input", title: "The model's 28x28 input", raster: grey});
  return {steps, input: toInput(grey), inputRaster: grey};
}
