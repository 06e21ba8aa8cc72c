/** The `metadata.json` written beside every saved model, read by the CLI and the web app. Isomorphic. */
import {CLASS_NAMES, DATASET_FILES} from "../data/fashionMnist.js";
import {FormatError} from "../errors.js";
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

/** The file name, beside model.json. */
export const METADATA_FILE = "metadata.json";

/** The file's text: pretty JSON with a final newline. */
export function serialiseMetadata(metadata: ModelMetadata): string {
  return JSON.stringify(metadata, null, 2) + "\n";
}

/** Largest accepted metadata.json (the shipped one is 20 KB). */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/**
 * Parses and validates metadata.json's text (the schema: ./metadataSchema.ts). A damaged file is a
 * {@link FormatError} naming `where` and the wrong field; `fix` says what to do about it.
 */
export function parseMetadataJson(
  text: string,
  where: string,
  fix = "restore it from the run folder, or delete it to use the defaults"
): ModelMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`${where}: not valid JSON (${(error as Error).message}); ${fix}`);
  }
  const result = parseMetadata(parsed);
  if ("problem" in result) throw new FormatError(`${where}: ${result.problem}; ${fix}`);
  return result.metadata as ModelMetadata;
}
