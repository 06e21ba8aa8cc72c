/**
 * The training images `fmnist export` ships for the web app's "nearest training examples": the
 * first `count` images of the training split with their labels and the model's embeddings.
 * Node only (reads the dataset files).
 */
import type * as tf from "@tensorflow/tfjs";

import {normalise} from "../../core/data/dataset.js";
import {IMAGE_PIXELS} from "../../core/data/fashionMnist.js";
import type {TrainingExamples} from "../../core/formats/trainingExamples.js";
import {embedAll} from "../../core/model/embedding.js";
import {loadFashionMnist, type LoadOptions} from "../data/loadFashionMnist.js";

export async function computeTrainingExamples(
  model: tf.LayersModel,
  count: number,
  options: Omit<LoadOptions, "limit"> & {onBatch?: (done: number) => void} = {}
): Promise<TrainingExamples> {
  const {onBatch, ...load} = options;
  const split = await loadFashionMnist("train", {...load, limit: count});
  const embedded = await embedAll(model, normalise(split), {batchSize: 250, onBatch});
  return {
    first: 0,
    count: split.count,
    dims: embedded.dim,
    layerName: embedded.layerName,
    embeddings: embedded.embeddings,
    // Copies (the loader's arrays may be Buffers over a larger allocation).
    pixels: Uint8Array.from(split.images.subarray(0, split.count * IMAGE_PIXELS)),
    labels: Uint8Array.from(split.labels.subarray(0, split.count))
  };
}
