/** What each input source hands the classifier: the preprocessing steps to show and the 784 model inputs. */
import {centreDrawing} from "../../../../src/core/image/preprocess.js";
import type {Raster} from "../../../../src/core/image/raster.js";
import type {Step} from "./stepsStrip.js";

export interface Prepared {
  steps: Step[];
  input: Float32Array;
  /** Explain only once the input has been still this long (while drawing: not mid-stroke). */
  settleMs?: number;
  /** An empty drawing pad: nothing to classify, so no prediction is shown. */
  empty?: boolean;
}

/** A drawing (grey, white strokes on black): cropped to its strokes and centred as MNIST digits are. */
export function drawingInput(grey: Raster): Prepared {
  const input = centreDrawing(grey);
  return {
    steps: [
      {id: "drawing", title: "Your drawing", raster: grey},
      {id: "centred", title: "Cropped to the strokes, longest edge 28, centred", raster: input}
    ],
    input: Float32Array.from(input.data, (v) => v / 255),
    settleMs: 250,
    empty: input.data.every((v) => v === 0)
  };
}
