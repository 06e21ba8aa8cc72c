/**
 * The training images `fmnist export` ships for the web app's "nearest training examples": the
 * first `count` images of the training split with their labels and the model's embeddings, taken
 * from an export's own rows when it holds them (`--split train|all`), else embedded here.
 * Node only (reads the dataset files).
 */
import type * as tf from "@tensorflow/tfjs";

import {normalise} from "../../core/data/dataset.js";
import {IMAGE_PIXELS} from "../../core/data/fashionMnist.js";
import type {FashionMnistSplit} from "../../core/data/fashionMnist.js";
import type {TrainingExamples} from "../../core/formats/trainingExamples.js";
import {embedAll, type EmbeddingResult} from "../../core/model/embedding.js";
import {loadFashionMnist, type LoadOptions} from "../data/loadFashionMnist.js";

/** Rows `start` to `start + count` of `rows` and of their embeddings `embedded`, as training examples. */
export function trainingExamplesFrom(
  rows: FashionMnistSplit,
  embedded: EmbeddingResult,
  start: number,
  count: number
): TrainingExamples {
  const dims = embedded.dim;
  return {
    first: 0,
    count,
    dims,
    layerName: embedded.layerName,
    embeddings: embedded.embeddings.slice(start * dims, (start + count) * dims),
    // Copies (the loader's arrays may be Buffers over a larger allocation).
    pixels: Uint8Array.from(rows.images.subarray(start * IMAGE_PIXELS, (start + count) * IMAGE_PIXELS)),
    labels: Uint8Array.from(rows.labels.subarray(start, start + count))
  };
}

/** The first `count` training images, embedded by `model`. */
export async function computeTrainingExamples(
  model: tf.LayersModel,
  count: number,
  options: Omit<LoadOptions, "limit"> & {onBatch?: (done: number) => void} = {}
): Promise<TrainingExamples> {
  const {onBatch, ...load} = options;
  const split = await loadFashionMnist("train", {...load, limit: count});
  const embedded = await embedAll(model, normalise(split), {batchSize: 250, onBatch});
  return trainingExamplesFrom(split, embedded, 0, split.count);
}
