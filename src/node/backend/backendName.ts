/** Backend names, kept free of TF.js imports so that `--backend` is checked instantly. */

export type BackendName = "node" | "wasm" | "cpu";
export const BACKEND_NAMES: readonly BackendName[] = ["node", "wasm", "cpu"];
