/**
 * The optional native addon (Node only): `native/build/fmnist_native.node`, built by `npm run build`
 * when Debian's libdnnl-dev and g++ are installed (scripts/buildNative.mjs). It computes on
 * Float32Array views of the WASM backend's heap, in place: oneDNN convolutions
 * (native/dnnl_conv.cc) and a few memory-bound kernels (native/heap_kernels.cc); and the
 * iteration of t-SNE (native/tsne.cc) UMAP's epochs (native/umap.cc) and exact kNN
 * candidates (native/knn.cc), on Float64Arrays. Without it the WASM and JavaScript
 * kernels run. `FMNIST_NATIVE=0` switches it off. See ../../docs/performance.md.
 */
import {existsSync} from "node:fs";
import {createRequire} from "node:module";
import {availableParallelism} from "node:os";
import {fileURLToPath} from "node:url";

import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

export type Shape4 = [number, number, number, number];
type ConvCall = (
  a: Float32Array,
  aShape: Shape4,
  b: Float32Array,
  bShape: Shape4,
  out: Float32Array,
  outShape: Shape4,
  padTop: number,
  padLeft: number
) => void;

/** The addon's functions (native/addon.cc documents each). */
export interface NativeAddon {
  forward: ConvCall;
  forwardBiasActivation(...args: [...Parameters<ConvCall>, bias: Float32Array, relu: boolean]): void;
  backwardData: ConvCall;
  backwardWeights: ConvCall;
  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array, scale: number): void;
  maxPoolGrad(
    x: Float32Array,
    xShape: Shape4,
    dy: Float32Array,
    dyShape: Shape4,
    dx: Float32Array,
    filterHeight: number,
    filterWidth: number,
    strideHeight: number,
    strideWidth: number,
    padTop: number,
    padLeft: number
  ): void;
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array, bIsFull: boolean, aIsFull: boolean): void;
  unary(op: number, x: Float32Array, out: Float32Array): void;
  adamUpdate(
    value: Float32Array,
    m: Float32Array,
    v: Float32Array,
    gradient: Float32Array,
    newValue: Float32Array,
    newM: Float32Array,
    newV: Float32Array,
    hyper: [learningRate: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number]
  ): void;
  batchNormTraining(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    movingMean: Float32Array,
    movingVariance: Float32Array,
    epsilon: number,
    momentum: number,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    newMovingMean: Float32Array,
    newMovingVariance: Float32Array
  ): void;
  batchNormTrainingGrad(
    dy: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    epsilon: number,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array
  ): void;
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    offset: Float32Array,
    scale: Float32Array,
    epsilon: number,
    out: Float32Array
  ): void;
  /** t-SNE (native/tsne.cc; absent from an addon built before it, which src/node/embed/tsneNative.ts checks). */
  tsneWorkspace?(dim: 2 | 3, rowStart: Int32Array, cols: Int32Array, values: Float64Array, simd: boolean): object;
  tsneStep?(
    workspace: object,
    y: Float64Array,
    update: Float64Array,
    gains: Float64Array,
    order: Int32Array,
    theta: number,
    exaggeration: number,
    momentum: number,
    learningRate: number,
    threads: number
  ): number;
  tsneRelease?(workspace: object): void;
  /** UMAP's batch-mode epochs (native/umap.cc; absent from older builds, which src/node/embed/umapNative.ts checks). */
  umapWorkspace?(
    dim: 2 | 3,
    rowStart: Int32Array,
    tail: Int32Array,
    epochsPerSample: Float64Array,
    a: number,
    b: number,
    seed: number
  ): object;
  umapEpoch?(
    workspace: object,
    epoch: number,
    alpha: number,
    c1: number,
    c2: number,
    y: Float64Array,
    nextSample: Float64Array,
    nextNegative: Float64Array,
    gradient: Float64Array,
    moment1: Float64Array,
    moment2: Float64Array,
    threads: number
  ): void;
  umapRelease?(workspace: object): void;
  /** Exact kNN candidates of a range of rows (native/knn.cc; absent from older builds, which src/node/embed/knnNative.ts checks). */
  knnRows?(
    x: Float64Array,
    norms: Float64Array,
    dim: number,
    kk: number,
    rowFrom: number,
    rowTo: number,
    heapD: Float64Array,
    heapI: Int32Array,
    size: Int32Array,
    bound: Float64Array,
    threads: number
  ): void;
}

const FUNCTIONS = [
  "forward",
  "forwardBiasActivation",
  "backwardData",
  "backwardWeights",
  "sumRows",
  "maxPoolGrad",
  "reluGrad",
  "binary",
  "unary",
  "batchNorm",
  "batchNormTraining",
  "batchNormTrainingGrad",
  "adamUpdate"
] as const satisfies readonly (keyof NativeAddon)[];

/** Where the build puts the addon: the same path from src/backend and dist/backend. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL("../../../native/build/fmnist_native.node", import.meta.url));

let addon: NativeAddon | undefined;
let active = false;

/** Whether the native kernels are registered on the wasm backend. */
export function nativeKernelsActive(): boolean {
  return active;
}

/** Marks the native kernels as registered (./registerWasmKernels.ts). */
export function markNativeKernelsActive(): void {
  active = true;
}

/** Loads the addon; undefined when it is switched off, not built or fails to load (never throws). */
export function loadNativeAddon(): NativeAddon | undefined {
  if (addon) return addon;
  if (process.env.FMNIST_NATIVE === "0" || !existsSync(NATIVE_ADDON_PATH)) return undefined;
  // Set before libgomp starts: passive waiting keeps idle OpenMP threads from spinning against
  // XNNPACK's pool, which runs the other kernels.
  process.env.OMP_WAIT_POLICY ??= "passive";
  process.env.OMP_NUM_THREADS ??= String(availableParallelism());
  try {
    const loaded = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as Partial<NativeAddon>;
    // An addon from an older build may lack functions: use none of it then.
    if (FUNCTIONS.some((name) => typeof loaded[name] !== "function")) return undefined;
    addon = loaded as NativeAddon;
    return addon;
  } catch {
    return undefined;
  }
}

/**
 * The addon narrowed to the optional functions `names` (the t-SNE, UMAP and kNN entry points,
 * which addons built before them lack), or undefined when it is not loaded or lacks one of them.
 */
export function loadAddonFunctions<K extends keyof NativeAddon>(
  names: readonly K[]
): (NativeAddon & Required<Pick<NativeAddon, K>>) | undefined {
  const loaded = loadNativeAddon();
  if (!loaded || names.some((name) => typeof loaded[name] !== "function")) return undefined;
  return loaded as NativeAddon & Required<Pick<NativeAddon, K>>;
}

/** A float32 tensor's data as a view of the WASM heap (take views after allocating: growth detaches them). */
export const heapView = (backend: BackendWasm, t: tf.TensorInfo): Float32Array =>
  backend.typedArrayFromHeap(t) as Float32Array;

/** Allocates an output and runs `call` on it; if the addon throws, frees it and returns undefined (the fallback runs). */
export function computeInto(
  backend: BackendWasm,
  shape: number[],
  call: (out: tf.TensorInfo) => void
): tf.TensorInfo | undefined {
  const out = backend.makeOutput(shape, "float32");
  try {
    call(out);
    return out;
  } catch {
    backend.disposeData(out.dataId);
    return undefined;
  }
}

/**
 * Allocates float32 outputs of `shapes` and runs `call` on them (take heap views inside `call`,
 * after all allocations); if it throws, frees them and rethrows (for kernels with no fallback).
 */
export function computeOutputs(
  backend: BackendWasm,
  shapes: number[][],
  call: (outs: tf.TensorInfo[]) => void
): tf.TensorInfo[] {
  const outs = shapes.map((shape) => backend.makeOutput(shape, "float32"));
  try {
    call(outs);
    return outs;
  } catch (error) {
    for (const out of outs) backend.disposeData(out.dataId);
    throw error;
  }
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

const calls = new Map<string, number>();

/** How many times each wrapped kernel ran natively (not through its fallback) in this process. */
export function nativeKernelCalls(kernelName: string): number {
  return calls.get(kernelName) ?? 0;
}

/** Counts one native run of `kernelName` (for {@link nativeKernelCalls}). */
export function countNativeCall(kernelName: string): void {
  calls.set(kernelName, (calls.get(kernelName) ?? 0) + 1);
}

/**
 * Registers `kernelName` on wasm over the kernel registered before: `run` returns the output, or
 * undefined to run the previous kernel (shapes, dtypes or attributes the native code does not cover).
 */
export function wrapWasmKernel(kernelName: string, run: (args: KernelArgs) => tf.TensorInfo | undefined): void {
  const previous = tf.getKernel(kernelName, "wasm");
  if (!previous) throw new Error(`wasm has no ${kernelName} kernel to wrap`);
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({
    ...previous,
    kernelFunc: (args) => {
      const out = run(args);
      if (!out) return previous.kernelFunc(args);
      countNativeCall(kernelName);
      return out;
    }
  });
}
