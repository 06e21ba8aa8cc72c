/** The `metadata.json` written beside every saved model. */
import {readFile} from "node:fs/promises";
import {join} from "node:path";

import {CLASS_NAMES, DATASET_FILES} from "../data/fashionMnist.js";
import {isEnoent} from "../errors.js";
import {writeFileAtomic} from "../../node/fs/atomicFile.js";

export interface ModelMetadata {
  /** Class names in output order. */
  classNames: string[];
  /** How pixels are fed to the model. */
  input: {shape: [number, number, number]; scale: string; background: string};
  /** Training settings (absent for imported models). */
  training?: Record<string, unknown>;
  /** SHA-256 of the gunzipped dataset files the model was trained and evaluated on. */
  data?: Record<string, string>;
  /** Metrics: best epoch, validation and test results. */
  metrics?: Record<string, unknown>;
  /** Anything else (e.g. statistics for out-of-distribution detection). */
  [key: string]: unknown;
}

export function defaultMetadata(): ModelMetadata {
  return {
    classNames: [...CLASS_NAMES],
    input: {shape: [28, 28, 1], scale: "pixel / 255, in [0, 1]", background: "black (0), object bright"},
    data: Object.fromEntries(
      Object.values(DATASET_FILES).flatMap((s) =>
        [s.images, s.labels].map((f) => [f.file.replace(/\.gz$/, ""), f.sha256])
      )
    )
  };
}

export async function writeMetadata(dir: string, metadata: ModelMetadata): Promise<void> {
  await writeFileAtomic(join(dir, "metadata.json"), JSON.stringify(metadata, null, 2) + "\n");
}

/** Reads `dir/metadata.json`, or returns undefined when there is none. */
export async function readMetadata(dir: string): Promise<ModelMetadata | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, "metadata.json"), "utf8")) as ModelMetadata;
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
}
