/**
 * Optional native convolutions for the WASM backend (Node only): when the native addon
 * (./nativeAddon.ts) was built, Conv2D, FusedConv2D and the two
 * convolution gradients run through oneDNN, in place on the WASM heap (no copies). Anything the
 * addon does not cover (strides or dilations other than 1, NCHW, uneven padding, forward
 * convolutions under 5 MFLOP, where WASM is faster) goes to the kernel registered before.
 * `FMNIST_NATIVE=0` switches it off. See ../../docs/performance.md.
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

import {computeInto, heapView as heap, wrapWasmKernel, type NativeAddon, type Shape4} from "./nativeAddon.js";

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

/** {@link wrapWasmKernel} with the convolution kernels' inputs and attributes typed. */
function wrapKernel(
  kernelName: string,
  run: (inputs: ConvInputs, attrs: ConvAttrs, backend: BackendWasm) => tf.TensorInfo | undefined
): void {
  wrapWasmKernel(kernelName, (args) =>
    run(args.inputs as unknown as ConvInputs, args.attrs as unknown as ConvAttrs, args.backend as BackendWasm)
  );
}

/**
 * The arguments of the addon's three convolutions: operands `a` and `b` and the output, each as a
 * heap view and its shape, then the top and left padding. Call it after allocating the output.
 */
function convCallArgs(
  backend: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  out: tf.TensorInfo,
  outShape: Shape4,
  pads: [number, number]
): Parameters<NativeAddon["forward"]> {
  return [
    heap(backend, a),
    a.shape as Shape4,
    heap(backend, b),
    b.shape as Shape4,
    heap(backend, out),
    outShape,
    ...pads
  ];
}

const allFloat = (...ts: (tf.TensorInfo | undefined)[]): boolean => ts.every((t) => t && t.dtype === "float32");

/**
 * Smaller forward convolutions stay on WASM: handing a tiny one to oneDNN's OpenMP threads costs
 * more than it saves (classifying one image: 1.7 ms median with this limit, 2.0-3.3 ms without;
 * docs/performance.md). Training batches and the large layers are far above it.
 */
const MIN_NATIVE_FLOPS = 5e6;

/** Bias and activation applied inside the forward convolution (FusedConv2D). */
interface Epilogue {
  bias?: tf.TensorInfo;
  relu: boolean;
}

/** The forward convolution, with a bias and ReLU when `epilogue` is given, or undefined for the fallback. */
function forward(
  dnnl: NativeAddon,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  a: ConvAttrs,
  backend: BackendWasm,
  epilogue?: Epilogue
): tf.TensorInfo | undefined {
  if (!allFloat(x, filter)) return undefined;
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
  const flops = 2 * tf.util.sizeFromShape(outShape) * filter.shape[0] * filter.shape[1] * filter.shape[2];
  if (flops < MIN_NATIVE_FLOPS) return undefined;
  // Views are taken after the allocation: growing the heap detaches earlier ones.
  return computeInto(backend, outShape, (out) => {
    const args = convCallArgs(backend, x, filter, out, outShape, pads);
    if (!epilogue) return dnnl.forward(...args);
    const bias = epilogue.bias ? heap(backend, epilogue.bias) : new Float32Array(outShape[3]);
    dnnl.forwardBiasActivation(...args, bias, epilogue.relu);
  });
}

/**
 * Registers the native convolutions over the wasm backend's current kernels. Call once, after the
 * project's own kernels and before the backend is initialised.
 */
export function registerNativeConvKernels(dnnl: NativeAddon): void {
  wrapKernel("Conv2D", ({x, filter}, a, backend) => forward(dnnl, x, filter, a, backend));
  wrapKernel("FusedConv2D", ({x, filter, bias, preluActivationWeights}, a, backend) => {
    const activation = a.activation ?? "linear";
    if (preluActivationWeights || (activation !== "linear" && activation !== "relu")) return undefined;
    const co = filter.shape[3];
    if (bias && (!allFloat(bias) || bias.shape.reduce((p, d) => p * d, 1) !== co || bias.shape.at(-1) !== co)) {
      return undefined;
    }
    if (!bias && activation === "linear") return forward(dnnl, x, filter, a, backend);
    return forward(dnnl, x, filter, a, backend, {bias, relu: activation === "relu"});
  });
  wrapKernel("Conv2DBackpropInput", ({dy, filter}, a, backend) => {
    const xShape = a.inputShape;
    if (!xShape || !allFloat(dy, filter)) return undefined;
    const pads = nativePads(xShape, filter.shape, a);
    if (!pads) return undefined;
    return computeInto(backend, xShape, (dx) =>
      dnnl.backwardData(...convCallArgs(backend, dy, filter, dx, xShape, pads))
    );
  });
  wrapKernel("Conv2DBackpropFilter", ({x, dy}, a, backend) => {
    const filterShape = a.filterShape;
    if (!filterShape || !allFloat(x, dy)) return undefined;
    const pads = nativePads(x.shape, filterShape, a);
    if (!pads) return undefined;
    return computeInto(backend, filterShape, (dw) =>
      dnnl.backwardWeights(...convCallArgs(backend, x, dy, dw, filterShape, pads))
    );
  });
}
