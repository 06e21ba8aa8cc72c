/** The `metadata.json` written beside every saved model. */
import {join} from "node:path";

import {CLASS_NAMES, DATASET_FILES} from "../data/fashionMnist.js";
import {FormatError, isEnoent} from "../errors.js";
import {writeFileAtomic} from "../io/atomicWrite.js";
import {readRegularTextFile} from "../io/readRegularFile.js";
import {parseMetadata} from "./metadataSchema.js";

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

/** Largest accepted metadata.json (the shipped one is 20 KB). */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/**
 * Reads and validates `dir/metadata.json` (see src/model/metadataSchema.ts), or returns undefined
 * when there is none. A damaged file is a {@link FormatError} naming the wrong field.
 */
export async function readMetadata(dir: string): Promise<ModelMetadata | undefined> {
  const path = join(dir, "metadata.json");
  let text: string;
  try {
    text = await readRegularTextFile(path, MAX_METADATA_BYTES, "metadata.json");
  } catch (error) {
    if (isEnoent(error)) return undefined;
    throw error;
  }
  const fix = "restore it from the run folder, or delete it to use the defaults";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`${path}: not valid JSON (${(error as Error).message}); ${fix}`);
  }
  const result = parseMetadata(parsed);
  if ("problem" in result) throw new FormatError(`${path}: ${result.problem}; ${fix}`);
  return result.metadata as ModelMetadata;
}
