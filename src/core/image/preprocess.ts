/**
 * Turning a photo into the model's 28×28 input, keeping every intermediate for the pictures: one
 * pipeline of plain pixel steps, run by the CLI (on pixels sharp decoded) and by the web app.
 *
 * - `fashion` (default): how Fashion-MNIST itself was made from Zalando's product photos (steps
 *   from the dataset's README): trim the borders that match the corner colour, resize the longest
 *   edge to 28, sharpen (unsharp mask, Gaussian sigma 1), pad the short edge to 28 centred with the
 *   background colour, negate, greyscale. The dataset subsampled pixels for the resize; we average
 *   the area each output pixel covers instead, which avoids the aliasing subsampling gives on
 *   multi-megapixel phone photos.
 * - `plain`: greyscale, then resize to 28×28 (the Keras project's pipeline).
 *
 * Also the centring of a drawing (already bright on black) by its bounding box. Isomorphic:
 * rasters in, rasters out.
 */
import {IMAGE_SIZE} from "../data/fashionMnist.js";
import {
  cornerColour,
  crop,
  greyscale,
  negate,
  padCentred,
  resize,
  sharpen,
  toModelInput,
  trimBox
} from "./pixelSteps.js";
import {createRaster, type Raster} from "./raster.js";

export type PreprocessName = "fashion" | "plain";
export const PREPROCESS_NAMES = ["fashion", "plain"] as const satisfies readonly PreprocessName[];

/** One named intermediate picture. */
export interface PreprocessStep {
  /** File-name-friendly id, e.g. "greyscale_input" (the CLI writes `<id>.png`). */
  id: string;
  title: string;
  raster: Raster;
}

export interface Preprocessed {
  /** The intermediates in order, from the decoded input to the last step before the model input. */
  steps: PreprocessStep[];
  /** The model input: 784 floats in [0, 1], object bright on black for `fashion`. */
  input: Float32Array;
  /** The model input as a 28×28 grey raster. */
  inputRaster: Raster;
}

/** Scales so the longest edge is `size` (at least 1 pixel each way). */
function fitLongestEdge(r: Raster, size: number): Raster {
  const scale = size / Math.max(r.width, r.height);
  return resize(r, Math.max(1, Math.round(r.width * scale)), Math.max(1, Math.round(r.height * scale)));
}

/** The whole "fashion" pipeline on an RGB raster; every intermediate is kept for display. */
function fashion(rgb: Raster): Preprocessed {
  const steps: PreprocessStep[] = [{id: "input_image", title: "Input image", raster: rgb}];
  const background = cornerColour(rgb);
  const box = trimBox(rgb, background, 24);
  const trimmed = box ? crop(rgb, box) : rgb;
  steps.push({id: "trimmed", title: "Borders of the corner colour trimmed", raster: trimmed});
  const resized = fitLongestEdge(trimmed, IMAGE_SIZE);
  steps.push({id: "resized", title: "Longest edge resized to 28", raster: resized});
  const sharpened = sharpen(resized, 1);
  steps.push({id: "sharpened", title: "Sharpened (Gaussian, sigma 1)", raster: sharpened});
  const padded = padCentred(sharpened, IMAGE_SIZE, background);
  steps.push({id: "padded", title: "Short edge padded to 28, centred", raster: padded});
  const negated = negate(padded);
  steps.push({id: "negated", title: "Negated: bright object on dark", raster: negated});
  const grey = greyscale(negated);
  steps.push({id: "greyscale_input", title: "Greyscale: the model's 28×28 input", raster: grey});
  return {steps, input: toModelInput(grey), inputRaster: grey};
}

/** Greyscale, then 28×28 regardless of the aspect ratio. */
function plain(rgb: Raster): Preprocessed {
  const grey = greyscale(rgb);
  const small = resize(grey, IMAGE_SIZE, IMAGE_SIZE);
  return {
    steps: [
      {id: "input_image", title: "Input image", raster: rgb},
      {id: "greyscale_input", title: "Converted to greyscale", raster: grey}
    ],
    input: toModelInput(small),
    inputRaster: small
  };
}

/** Runs a pipeline on an RGB raster. */
export function preprocess(rgb: Raster, name: PreprocessName = "fashion"): Preprocessed {
  return name === "plain" ? plain(rgb) : fashion(rgb);
}

/**
 * A drawing (bright strokes on black, one channel, any size) as the model's input: cropped to its
 * strokes, longest edge scaled to 28 and centred, as Fashion-MNIST's garments fill their frame.
 * An empty drawing gives a black image.
 */
export function centreDrawing(grey: Raster, threshold = 16): Raster {
  const box = trimBox(grey, [0], threshold);
  if (!box) return createRaster(IMAGE_SIZE, IMAGE_SIZE, 1);
  return padCentred(fitLongestEdge(crop(grey, box), IMAGE_SIZE), IMAGE_SIZE, [0]);
}
