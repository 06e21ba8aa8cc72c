/**
 * A data folder holding the first images of the real Fashion-MNIST training and test sets
 * (uncompressed IDX), for CLI runs that must be quick. Not a test file itself.
 */
import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";

import {DATASET_FILES} from "../../src/core/data/fashionMnist.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {makeIdx} from "../data/makeIdx.js";

/** Writes one split's IDX images and labels into `dir` (existing) under the names the loader looks for, uncompressed. */
export function writeSplitFiles(
  dir: string,
  split: keyof typeof DATASET_FILES,
  files: {images: Uint8Array; labels: Uint8Array}
): void {
  const spec = DATASET_FILES[split];
  writeFileSync(join(dir, spec.images.file.replace(/\.gz$/, "")), files.images);
  writeFileSync(join(dir, spec.labels.file.replace(/\.gz$/, "")), files.labels);
}

/** Writes `train` training and `test` test images with their labels into `dir` (created). */
export async function writeRealSlice(dir: string, train: number, test: number): Promise<void> {
  mkdirSync(dir, {recursive: true});
  for (const [split, count] of [
    ["train", train],
    ["test", test]
  ] as const) {
    const data = await loadFashionMnist(split, {limit: count});
    writeSplitFiles(dir, split, {
      images: makeIdx([count, 28, 28], {data: data.images.subarray(0, count * 784)}),
      labels: makeIdx([count], {data: data.labels})
    });
  }
}
