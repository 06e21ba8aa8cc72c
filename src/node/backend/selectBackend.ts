/**
 * Chooses and initialises the TensorFlow.js compute backend.
 *
 * - `node`: `@tensorflow/tfjs-node` (native libtensorflow), used automatically when the user has it
 *   installed; it cannot be installed offline, so it is an optional peer, never a dependency.
 * - `wasm`: the default here, with the project's kernels registered so it can train, and faster
 *   (see registerWasmKernels.ts and ../../docs/performance.md).
 * - `cpu`: the pure-JS reference backend; correct but ~30x slower, used by the kernel tests.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

import {UserError} from "../../core/errors.js";
import type {BackendName} from "./backendName.js";
import {nativeKernelsActive} from "./nativeAddon.js";
import {registerWasmKernels} from "./registerWasmKernels.js";
import {initWasmWithThreads} from "./wasmThreads.js";

export {BACKEND_NAMES, type BackendName} from "./backendName.js";

async function tryLoadTfjsNode(): Promise<boolean> {
  try {
    // A variable module name keeps bundlers and tsc from requiring the optional package.
    const name = "@tensorflow/tfjs-node";
    await import(name);
    return tf.findBackend("tensorflow") !== null || tf.engine().registryFactory["tensorflow"] !== undefined;
  } catch {
    return false;
  }
}

let active: BackendName | undefined;

/**
 * Initialises a backend and returns the one in use. Without `requested`, tfjs-node is used when it
 * is installed and WASM otherwise (with `threads` threads, default all cores). Calling it again
 * with the same (or no) request is cheap.
 */
export async function selectBackend(requested?: BackendName, threads?: number): Promise<BackendName> {
  if (active && (!requested || requested === active)) return active;
  tf.enableProdMode(); // no debug checks, no "install tfjs-node" banner
  registerWasmKernels();
  let name: BackendName = requested ?? ((await tryLoadTfjsNode()) ? "node" : "wasm");
  if (requested === "node" && !(await tryLoadTfjsNode())) {
    throw new UserError(
      "--backend node needs @tensorflow/tfjs-node, which is not installed (`npm install @tensorflow/tfjs-node`, needs internet). Use --backend wasm."
    );
  }
  let ok: boolean;
  if (name === "wasm") ok = (await initWasmWithThreads(threads)) > 0 && tf.getBackend() === "wasm";
  else ok = await tf.setBackend(name === "node" ? "tensorflow" : name);
  if (!ok) {
    if (requested) throw new UserError(`Could not initialise the ${name} backend`);
    name = "cpu";
    await tf.setBackend("cpu");
  }
  await tf.ready();
  active = name;
  return name;
}

/** The backend in use, with "+onednn" when WASM runs the native convolutions; undefined before selectBackend. */
export function describeBackend(): string | undefined {
  if (!active) return undefined;
  return active === "wasm" && nativeKernelsActive() ? "wasm+onednn" : active;
}
