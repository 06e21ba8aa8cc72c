/** The `metadata.json` written beside every saved model, read by the CLI and the web app. Isomorphic. */
import {CLASS_NAMES, DATASET_FILES} from "../data/fashionMnist.js";

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
