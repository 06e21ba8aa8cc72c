/**
 * Optional native convolutions for the WASM backend (Node only): when `native/build/dnnl_conv.node`
 * was built (`npm run build` with libdnnl-dev installed), Conv2D, FusedConv2D and the two
 * convolution gradients run through oneDNN, in place on the WASM heap (no copies). Anything the
 * addon does not cover (strides or dilations other than 1, NCHW, uneven padding, single-channel
 * forward convolutions, where WASM is as fast) goes to the kernel registered before.
 * `FMNIST_NATIVE=0` switches it off. See ../../docs/performance.md.
 */
import {existsSync} from "node:fs";
import {createRequire} from "node:module";
import {availableParallelism} from "node:os";
import {fileURLToPath} from "node:url";

import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

type Shape4 = [number, number, number, number];
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
interface DnnlConv {
  forward: ConvCall;
  backwardData: ConvCall;
  backwardWeights: ConvCall;
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations?: [number, number] | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
  activation?: string;
  filterShape?: Shape4;
  inputShape?: Shape4;
}

/** The inputs of the four kernels; each reads only its own. */
interface ConvInputs {
  x: tf.TensorInfo;
  filter: tf.TensorInfo;
  dy: tf.TensorInfo;
  bias?: tf.TensorInfo;
  preluActivationWeights?: tf.TensorInfo;
}

/** Where the build puts the addon: the same path from src/backend and dist/backend. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL("../../native/build/dnnl_conv.node", import.meta.url));

let addon: DnnlConv | undefined;
let active = false;

/** Loads the addon; undefined when it is switched off, not built or fails to load (never throws). */
export function loadNativeConv(): DnnlConv | undefined {
  if (addon) return addon;
  if (process.env.FMNIST_NATIVE === "0" || !existsSync(NATIVE_ADDON_PATH)) return undefined;
  // Set before libdnnl's OpenMP starts: passive waiting keeps idle OpenMP threads from spinning
  // against XNNPACK's pool, which runs the other kernels.
  process.env.OMP_WAIT_POLICY ??= "passive";
  process.env.OMP_NUM_THREADS ??= String(availableParallelism());
  try {
    const loaded = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as Partial<DnnlConv>;
    if (
      typeof loaded.forward !== "function" ||
      typeof loaded.backwardData !== "function" ||
      typeof loaded.backwardWeights !== "function"
    )
      return undefined;
    addon = loaded as DnnlConv;
    return addon;
  } catch {
    return undefined;
  }
}

/** Whether the native convolutions are registered on the wasm backend. */
export function nativeConvActive(): boolean {
  return active;
}

const isOne = (v: [number, number] | number | undefined): boolean =>
  v === undefined || (typeof v === "number" ? v === 1 : v[0] === 1 && v[1] === 1);

/**
 * The top and left padding when the addon can run this convolution (stride and dilation 1, NHWC,
 * float32, non-empty, bottom/right padding equal to what oneDNN derives from the shapes), else undefined.
 */
function nativePads(xShape: number[], filterShape: number[], a: ConvAttrs): [number, number] | undefined {
  if (a.dataFormat !== "NHWC" || !isOne(a.strides) || !isOne(a.dilations)) return undefined;
  if (xShape.length !== 4 || filterShape.length !== 4 || [...xShape, ...filterShape].some((d) => d <= 0)) {
    return undefined;
  }
  if (typeof a.pad === "object") return undefined; // explicit per-side padding: rare, left to WASM
  const info = tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    1,
    1,
    a.pad,
    a.dimRoundingMode,
    false,
    "channelsLast"
  );
  const {top, left, bottom, right} = info.padInfo;
  const [, h, w] = xShape;
  const [kh, kw] = filterShape;
  if (info.outHeight <= 0 || info.outWidth <= 0) return undefined;
  if (info.outHeight - 1 + kh - h - top !== bottom || info.outWidth - 1 + kw - w - left !== right) return undefined;
  return [top, left];
}

/** Registers `kernelName` on wasm: `run` returns the output or undefined to use the previous kernel. */
function wrapKernel(
  kernelName: string,
  run: (inputs: ConvInputs, attrs: ConvAttrs, backend: BackendWasm) => tf.TensorInfo | undefined
): void {
  const previous = tf.getKernel(kernelName, "wasm");
  if (!previous) return;
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({
    kernelName,
    backendName: "wasm",
    setupFunc: previous.setupFunc,
    disposeFunc: previous.disposeFunc,
    kernelFunc: (args) => {
      const inputs = args.inputs as unknown as ConvInputs;
      const attrs = args.attrs as unknown as ConvAttrs;
      const out = run(inputs, attrs, args.backend as BackendWasm);
      return out ?? previous.kernelFunc(args);
    }
  });
}

const allFloat = (...ts: (tf.TensorInfo | undefined)[]): boolean => ts.every((t) => t && t.dtype === "float32");
const heap = (backend: BackendWasm, t: tf.TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;

/** Allocates the output and runs `call` on it; if the addon throws, frees it and returns undefined (the fallback runs). */
function compute(backend: BackendWasm, shape: Shape4, call: (out: tf.TensorInfo) => void): tf.TensorInfo | undefined {
  const out = backend.makeOutput(shape, "float32");
  try {
    call(out);
    return out;
  } catch {
    backend.disposeData(out.dataId);
    return undefined;
  }
}

/** The forward convolution, or undefined for the fallback. */
function forward(
  dnnl: DnnlConv,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  a: ConvAttrs,
  backend: BackendWasm
): tf.TensorInfo | undefined {
  if (!allFloat(x, filter) || x.shape[3] === 1) return undefined; // one input channel: WASM is as fast
  const pads = nativePads(x.shape, filter.shape, a);
  if (!pads) return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    filter.shape as Shape4,
    1,
    1,
    a.pad as "same" | "valid" | number,
    a.dimRoundingMode,
    false,
    "channelsLast"
  );
  const outShape: Shape4 = [x.shape[0], info.outHeight, info.outWidth, filter.shape[3]];
  // Views are taken after the allocation: growing the heap detaches earlier ones.
  return compute(backend, outShape, (out) =>
    dnnl.forward(
      heap(backend, x),
      x.shape as Shape4,
      heap(backend, filter),
      filter.shape as Shape4,
      heap(backend, out),
      outShape,
      ...pads
    )
  );
}

/** Adds the bias (one value per output channel) and applies ReLU, in one pass over the output. */
function biasAndActivation(backend: BackendWasm, out: tf.TensorInfo, bias: tf.TensorInfo | undefined, relu: boolean) {
  const y = heap(backend, out);
  const b = bias ? heap(backend, bias) : new Float32Array(out.shape[3]);
  const channels = b.length;
  for (let i = 0; i < y.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = y[i + c] + b[c];
      y[i + c] = relu && v < 0 ? 0 : v;
    }
  }
}

let registered = false;

/**
 * Registers the native kernels over the wasm backend's current ones when the addon loads; returns
 * whether they are active. Call after the project's own kernels and before the backend is initialised.
 */
export function registerNativeConvKernels(): boolean {
  if (registered) return active;
  registered = true;
  const dnnl = loadNativeConv();
  if (!dnnl) return false;
  wrapKernel("Conv2D", ({x, filter}, a, backend) => forward(dnnl, x, filter, a, backend));
  wrapKernel("FusedConv2D", ({x, filter, bias, preluActivationWeights}, a, backend) => {
    const activation = a.activation ?? "linear";
    if (preluActivationWeights || (activation !== "linear" && activation !== "relu")) return undefined;
    const co = filter.shape[3];
    if (bias && (!allFloat(bias) || bias.shape.reduce((p, d) => p * d, 1) !== co || bias.shape.at(-1) !== co)) {
      return undefined;
    }
    const out = forward(dnnl, x, filter, a, backend);
    if (out && (bias || activation === "relu")) biasAndActivation(backend, out, bias, activation === "relu");
    return out;
  });
  wrapKernel("Conv2DBackpropInput", ({dy, filter}, a, backend) => {
    const xShape = a.inputShape;
    if (!xShape || !allFloat(dy, filter)) return undefined;
    const pads = nativePads(xShape, filter.shape, a);
    if (!pads) return undefined;
    return compute(backend, xShape, (dx) =>
      dnnl.backwardData(
        heap(backend, dy),
        dy.shape as Shape4,
        heap(backend, filter),
        filter.shape as Shape4,
        heap(backend, dx),
        xShape,
        ...pads
      )
    );
  });
  wrapKernel("Conv2DBackpropFilter", ({x, dy}, a, backend) => {
    const filterShape = a.filterShape;
    if (!filterShape || !allFloat(x, dy)) return undefined;
    const pads = nativePads(x.shape, filterShape, a);
    if (!pads) return undefined;
    return compute(backend, filterShape, (dw) =>
      dnnl.backwardWeights(
        heap(backend, x),
        x.shape as Shape4,
        heap(backend, dy),
        dy.shape as Shape4,
        heap(backend, dw),
        filterShape,
        ...pads
      )
    );
  });
  active = true;
  return true;
}
