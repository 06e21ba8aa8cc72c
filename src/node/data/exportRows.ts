/**
 * The images `fmnist export --split` projects: the test split, the training split, or all 70,000
 * (the test images first, so rows 0..9,999 are the same as in a test export), cut to the first
 * `count` rows. Node only (reads the dataset files).
 */
import {DATASET_FILES, IMAGE_PIXELS, type FashionMnistSplit} from "../../core/data/fashionMnist.js";
import {SPLIT_NAMES} from "../../core/formats/projector.js";
import {loadFashionMnist, type LoadOptions} from "./loadFashionMnist.js";

export const EXPORT_SPLITS = ["test", "train", "all"] as const;
export type ExportSplit = (typeof EXPORT_SPLITS)[number];

/** "70000 test and training images": what `count` rows of `split` are, for messages and pictures. */
export function imagesOf(split: ExportSplit, count: number): string {
  return `${count} ${{test: "test", train: "training", all: "test and training"}[split]} images`;
}

/** Rows of `split`, its largest `--count`. */
export function splitRows(split: ExportSplit): number {
  return split === "all" ? DATASET_FILES.test.count + DATASET_FILES.train.count : DATASET_FILES[split].count;
}

/** The row of `split` that holds training image 0 (none in a test export). */
export function firstTrainingRow(split: ExportSplit): number | undefined {
  return split === "train" ? 0 : split === "all" ? DATASET_FILES.test.count : undefined;
}

/** Images and labels of the rows, and each row's split code ({@link SPLIT_NAMES}). */
export interface ExportRows extends FashionMnistSplit {
  splits: Uint8Array;
}

/** Loads the first `count` rows of `split`. */
export async function loadExportRows(
  split: ExportSplit,
  count: number,
  options: Omit<LoadOptions, "limit"> = {}
): Promise<ExportRows> {
  const parts = split === "all" ? (["test", "train"] as const) : [split];
  const images = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  const splits = new Uint8Array(count);
  let at = 0;
  for (const part of parts) {
    if (at === count) break;
    const loaded = await loadFashionMnist(part, {...options, limit: count - at});
    images.set(loaded.images.subarray(0, loaded.count * IMAGE_PIXELS), at * IMAGE_PIXELS);
    labels.set(loaded.labels.subarray(0, loaded.count), at);
    splits.fill(SPLIT_NAMES.indexOf(part), at, at + loaded.count);
    at += loaded.count;
  }
  return {images, labels, splits, count: at};
}
