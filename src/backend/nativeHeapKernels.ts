/**
 * Native versions of the memory-bound kernels of a training step (native/heap_kernels.cc), over
 * the JavaScript/WASM kernels registered before them, when the native addon loads:
 *
 * - `Sum` and `Mean` over leading axes (bias gradients, batch-norm statistics): one pass on both
 *   cores instead of the single-threaded loop of ./leadingAxesReduce.ts.
 * - `MaxPoolGrad`: the window loop of ./wasmJsKernels.ts, one image per thread.
 * - The `Relu` gradient, dy * step(x): TF.js runs Step, Cast and Multiply (three passes and two
 *   temporaries); here one kernel, `FmnistReluGrad`, registered on wasm only. The replacement
 *   gradient falls back to TF.js' formula on backends without that kernel.
 *
 * Each keeps the previous kernel as its fallback (other dtypes, shapes, or an addon error).
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

import {leadingAxesMatrix} from "./leadingAxesReduce.js";
import {computeInto, heapView, type NativeAddon, type Shape4} from "./nativeAddon.js";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Registers `kernelName` on wasm: `run` returns the output or undefined to use the previous kernel. */
function wrapWasmKernel(kernelName: string, run: (args: KernelArgs) => tf.TensorInfo | undefined): void {
  const previous = tf.getKernel(kernelName, "wasm");
  if (!previous) throw new Error(`wasm has no ${kernelName} kernel to wrap`);
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({...previous, kernelFunc: (args) => run(args) ?? previous.kernelFunc(args)});
}

function registerReduce(addon: NativeAddon, kernelName: "Sum" | "Mean"): void {
  wrapWasmKernel(kernelName, (args) => {
    const {x} = args.inputs as {x: tf.TensorInfo};
    const {axis, keepDims} = args.attrs as unknown as {axis: number | number[]; keepDims: boolean};
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const matrix = x.dtype === "float32" ? leadingAxesMatrix(x.shape, axes) : null;
    if (!matrix) return undefined;
    const [rows, cols] = matrix;
    const backend = args.backend as BackendWasm;
    const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const scale = kernelName === "Mean" ? 1 / rows : 1;
    return computeInto(backend, outShape, (out) =>
      addon.sumRows(heapView(backend, x), rows, cols, heapView(backend, out), scale)
    );
  });
}

type PoolAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
};

function registerMaxPoolGrad(addon: NativeAddon): void {
  wrapWasmKernel("MaxPoolGrad", (args) => {
    const {dy, input} = args.inputs as {dy: tf.TensorInfo; input: tf.TensorInfo};
    if (input.dtype !== "float32" || dy.dtype !== "float32" || input.shape.length !== 4) return undefined;
    const {filterSize, strides, pad, dimRoundingMode} = args.attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad, dimRoundingMode);
    const backend = args.backend as BackendWasm;
    return computeInto(backend, input.shape, (dx) =>
      addon.maxPoolGrad(
        heapView(backend, input),
        input.shape as Shape4,
        heapView(backend, dy),
        dy.shape as Shape4,
        heapView(backend, dx),
        info.filterHeight,
        info.filterWidth,
        info.strideHeight,
        info.strideWidth,
        info.padInfo.top,
        info.padInfo.left
      )
    );
  });
}

/** The kernel computing dy * step(x) in one pass (wasm with the addon only). */
export const RELU_GRAD_KERNEL = "FmnistReluGrad";

function registerReluGrad(addon: NativeAddon): void {
  tf.registerKernel({
    kernelName: RELU_GRAD_KERNEL,
    backendName: "wasm",
    kernelFunc: (args) => {
      const {dy, x} = args.inputs as {dy: tf.TensorInfo; x: tf.TensorInfo};
      const backend = args.backend as BackendWasm;
      const out = computeInto(backend, x.shape, (dx) =>
        addon.reluGrad(heapView(backend, dy), heapView(backend, x), heapView(backend, dx))
      );
      if (!out) throw new Error(`${RELU_GRAD_KERNEL}: the native kernel failed for shape [${x.shape}]`);
      return out;
    }
  });
  const config = tf.getGradient("Relu");
  if (!config) throw new Error("Relu has no gradient to replace");
  const original = config.gradFunc;
  tf.registerGradient({
    ...config,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const dyT = dy as tf.Tensor;
      const fused = x.dtype === "float32" && dyT.dtype === "float32" && tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend());
      if (!fused || !tf.util.arraysEqual(x.shape, dyT.shape)) return original(dy, saved, attrs);
      return {x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, {dy: dyT, x}) as tf.Tensor};
    }
  });
}

let registered = false;

/** Registers the native kernels over the wasm backend's current ones (idempotent); call after the JS kernels. */
export function registerNativeHeapKernels(addon: NativeAddon): void {
  if (registered) return;
  registered = true;
  registerReduce(addon, "Sum");
  registerReduce(addon, "Mean");
  registerMaxPoolGrad(addon);
  registerReluGrad(addon);
}
