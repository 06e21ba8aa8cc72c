/** Backend names and `--backend` parsing, kept free of TF.js imports so usage errors are instant. */
import {UsageError} from "../../core/errors.js";

export type BackendName = "node" | "wasm" | "cpu";
export const BACKEND_NAMES: readonly BackendName[] = ["node", "wasm", "cpu"];

/** Parses a `--backend` value. */
export function parseBackendName(value: string): BackendName {
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new UsageError(`--backend must be one of ${BACKEND_NAMES.join(", ")}; got "${value}"`);
}
