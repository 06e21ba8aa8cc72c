/**
 * `training_examples.bin`, written by `fmnist export` and read by the web app: training images with
 * their labels and their embeddings (the model's 64-d global-average-pooling output), so that the
 * app can show the training images nearest to any input without the dataset. The one owner of its
 * format: type, writer, parser. Isomorphic.
 *
 * Layout (./binaryFrame.ts): the magic line `FMNIST-EXAMPLES 1\n`, a JSON header, then the
 * embeddings (count × dims little-endian float32), the pixels (count × 784 grey bytes) and the
 * labels (count bytes). Row i is training image `first + i` of the dataset's training split.
 */
import {z} from "zod";

import {IMAGE_PIXELS, NUM_CLASSES} from "../data/fashionMnist.js";
import {FormatError} from "../errors.js";
import {getFloat32s, putFloat32s, readFrame, writeFrame} from "./binaryFrame.js";

export const TRAINING_EXAMPLES_FILE = "training_examples.bin";
/** `fmnist export`'s default number of training images (about 10 MB: 2.6 MB of embeddings, 7.8 MB of pixels). */
export const DEFAULT_TRAINING_EXAMPLES = 10_000;

export interface TrainingExamples {
  /** Index in the training split of the first row (rows are consecutive). */
  first: number;
  count: number;
  dims: number;
  /** The layer the embeddings come from (e.g. "global_average_pooling2d"). */
  layerName: string;
  /** count × dims, row-major, as the model computed them (not normalised). */
  embeddings: Float32Array;
  /** count × 784 grey bytes, 0 = black, as in the dataset. */
  pixels: Uint8Array;
  labels: Uint8Array;
}

const MAGIC = new TextEncoder().encode("FMNIST-EXAMPLES 1\n");

const headerSchema = z.object({
  first: z.number().int().min(0),
  count: z.number().int().min(1),
  dims: z.number().int().min(1),
  layerName: z.string()
});

const bodyBytes = (count: number, dims: number) => count * (4 * dims + IMAGE_PIXELS + 1);

/** The file's bytes. */
export function serialiseTrainingExamples(examples: TrainingExamples): Uint8Array {
  const {first, count, dims, layerName} = examples;
  if (
    examples.embeddings.length !== count * dims ||
    examples.pixels.length !== count * IMAGE_PIXELS ||
    examples.labels.length !== count
  ) {
    throw new Error(`training examples: arrays do not hold ${count} rows of ${dims} dimensions`);
  }
  const frame = writeFrame(MAGIC, {first, count, dims, layerName}, bodyBytes(count, dims));
  const pixelsAt = putFloat32s(frame.view, frame.bodyStart, examples.embeddings);
  frame.bytes.set(examples.pixels, pixelsAt);
  frame.bytes.set(examples.labels, pixelsAt + examples.pixels.length);
  return frame.bytes;
}

/** Parses the file; damage is a {@link FormatError} naming `where` and saying how to remake it. */
export function parseTrainingExamples(bytes: Uint8Array, where: string): TrainingExamples {
  const fail = (problem: string) => new FormatError(`${where}: ${problem}; re-run \`fmnist export\``);
  const frame = readFrame(bytes, MAGIC, "a training-examples file", fail);
  const parsed = headerSchema.safeParse(frame.header);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`header field "${issue.path.map(String).join(".")}" is wrong: ${issue.message}`);
  }
  const {first, count, dims, layerName} = parsed.data;
  const expected = bodyBytes(count, dims);
  if (frame.bodyBytes !== expected) {
    throw fail(`${bytes.length} bytes where the header promises ${frame.bodyStart + expected}`);
  }
  const embeddings = getFloat32s(frame.view, frame.bodyStart, count * dims);
  if (embeddings.some((v) => !Number.isFinite(v))) throw fail("an embedding holds a NaN");
  const pixelsAt = frame.bodyStart + 4 * count * dims;
  const pixels = bytes.slice(pixelsAt, pixelsAt + count * IMAGE_PIXELS);
  const labels = bytes.slice(pixelsAt + count * IMAGE_PIXELS, pixelsAt + count * (IMAGE_PIXELS + 1));
  if (labels.some((l) => l >= NUM_CLASSES)) throw fail(`a label is not a class (0 to ${NUM_CLASSES - 1})`);
  return {first, count, dims, layerName, embeddings, pixels, labels};
}
