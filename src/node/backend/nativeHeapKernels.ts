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
 * - Element-wise `Add`, `Sub`, `Multiply`, `RealDiv`, `SquaredDifference` when both inputs have the
 *   same shape or one is a per-channel vector or a scalar (bias adds, batch-norm arithmetic),
 *   `Relu`, `Square`, and `FusedBatchNorm` with per-channel statistics: each one pass on both
 *   cores (the WASM backend runs these on one thread).
 * - `FmnistAdamUpdate`: a whole Adam step of one variable (../model/fusedAdam.ts uses it where the
 *   backend has it), instead of TF.js' 14 small kernels per variable.
 *
 * Each keeps the previous kernel as its fallback (other dtypes, shapes, or an addon error).
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

import {leadingAxesReduction} from "./leadingAxesReduce.js";
import {computeInto, computeOutputs, heapView, wrapWasmKernel, type NativeAddon, type Shape4} from "./nativeAddon.js";
import {reluGradient, RELU_GRAD_KERNEL} from "../../core/kernels/reluGradient.js";
import {replaceGradient} from "./replaceGradient.js";
import {maxPoolGradInfo} from "./wasmJsKernels.js";
import {ADAM_UPDATE_KERNEL, type AdamUpdateAttrs} from "../../core/kernels/adamUpdateKernel.js";

function registerReduce(addon: NativeAddon, kernelName: "Sum" | "Mean"): void {
  wrapWasmKernel(kernelName, (args) => {
    const {x} = args.inputs as {x: tf.TensorInfo};
    const reduction = leadingAxesReduction(x, args.attrs);
    if (!reduction) return undefined;
    const {rows, cols, outShape} = reduction;
    const backend = args.backend as BackendWasm;
    const scale = kernelName === "Mean" ? 1 / rows : 1;
    return computeInto(backend, outShape, (out) =>
      addon.sumRows(heapView(backend, x), rows, cols, heapView(backend, out), scale)
    );
  });
}

function registerMaxPoolGrad(addon: NativeAddon): void {
  wrapWasmKernel("MaxPoolGrad", (args) => {
    const {dy, input} = args.inputs as {dy: tf.TensorInfo; input: tf.TensorInfo};
    if (input.dtype !== "float32" || dy.dtype !== "float32" || input.shape.length !== 4) return undefined;
    const info = maxPoolGradInfo(input, args.attrs);
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
  // TF.js' Relu gradient is the same formula in three kernels; reluGradient keeps it as the fallback.
  replaceGradient("Relu", () => (dy, saved) => ({x: () => reluGradient(dy as tf.Tensor, saved[0])}));
}

const BINARY_OPS = {Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, SquaredDifference: 4} as const;
const UNARY_OPS = {Relu: 0, Square: 1} as const;

const size = tf.util.sizeFromShape;

/** A shape that repeats along the rows of `out`: all ones but the last, which is out's last (or 1). */
function isRowVector(shape: readonly number[], out: readonly number[]): boolean {
  if (shape.length > out.length || shape.slice(0, -1).some((d) => d !== 1)) return false;
  const last = shape.length === 0 ? 1 : shape[shape.length - 1];
  return last === 1 || last === out[out.length - 1];
}

function registerBinary(addon: NativeAddon, kernelName: keyof typeof BINARY_OPS): void {
  wrapWasmKernel(kernelName, (args) => {
    const {a, b} = args.inputs as {a: tf.TensorInfo; b: tf.TensorInfo};
    if (a.dtype !== "float32" || b.dtype !== "float32") return undefined;
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const aFull = tf.util.arraysEqual(a.shape, outShape);
    const bFull = tf.util.arraysEqual(b.shape, outShape);
    const fits = (aFull && (bFull || isRowVector(b.shape, outShape))) || (bFull && isRowVector(a.shape, outShape));
    if (!fits || size(outShape) === 0) return undefined;
    const backend = args.backend as BackendWasm;
    return computeInto(backend, outShape, (out) =>
      addon.binary(
        BINARY_OPS[kernelName],
        heapView(backend, a),
        heapView(backend, b),
        heapView(backend, out),
        bFull,
        aFull
      )
    );
  });
}

function registerUnary(addon: NativeAddon, kernelName: keyof typeof UNARY_OPS): void {
  wrapWasmKernel(kernelName, (args) => {
    const {x} = args.inputs as {x: tf.TensorInfo};
    if (x.dtype !== "float32" || size(x.shape) === 0) return undefined;
    const backend = args.backend as BackendWasm;
    return computeInto(backend, x.shape, (out) =>
      addon.unary(UNARY_OPS[kernelName], heapView(backend, x), heapView(backend, out))
    );
  });
}

function registerBatchNorm(addon: NativeAddon): void {
  wrapWasmKernel("FusedBatchNorm", (args) => {
    const {x, mean, variance, offset, scale} = args.inputs as Record<string, tf.TensorInfo | undefined>;
    if (!x || !mean || !variance || x.shape.length === 0) return undefined;
    const channels = x.shape[x.shape.length - 1];
    const perChannel = (t: tf.TensorInfo | undefined) =>
      !t || (t.dtype === "float32" && size(t.shape) === channels && isRowVector(t.shape, x.shape));
    if (x.dtype !== "float32" || channels === 0 || ![mean, variance, offset, scale].every(perChannel)) {
      return undefined;
    }
    const {varianceEpsilon} = args.attrs as unknown as {varianceEpsilon: number};
    const backend = args.backend as BackendWasm;
    const none = new Float32Array(0);
    return computeInto(backend, x.shape, (out) =>
      addon.batchNorm(
        heapView(backend, x),
        heapView(backend, mean),
        heapView(backend, variance),
        offset ? heapView(backend, offset) : none,
        scale ? heapView(backend, scale) : none,
        varianceEpsilon,
        heapView(backend, out)
      )
    );
  });
}

function registerAdamUpdate(addon: NativeAddon): void {
  tf.registerKernel({
    kernelName: ADAM_UPDATE_KERNEL,
    backendName: "wasm",
    kernelFunc: (args) => {
      const backend = args.backend as BackendWasm;
      const {value, m, v, gradient} = args.inputs as Record<"value" | "m" | "v" | "gradient", tf.TensorInfo>;
      const a = args.attrs as unknown as AdamUpdateAttrs;
      for (const t of [value, m, v, gradient]) {
        if (t.dtype !== "float32" || !tf.util.arraysEqual(t.shape, value.shape)) {
          throw new Error(`${ADAM_UPDATE_KERNEL}: expected float32 tensors of shape [${value.shape}]`);
        }
      }
      const view = (t: tf.TensorInfo) => heapView(backend, t);
      return computeOutputs(backend, [value.shape, value.shape, value.shape], (outs) =>
        addon.adamUpdate(view(value), view(m), view(v), view(gradient), view(outs[0]), view(outs[1]), view(outs[2]), [
          a.learningRate,
          a.beta1,
          a.beta2,
          a.epsilon,
          a.correction1,
          a.correction2
        ])
      );
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
  for (const name of Object.keys(BINARY_OPS) as (keyof typeof BINARY_OPS)[]) registerBinary(addon, name);
  for (const name of Object.keys(UNARY_OPS) as (keyof typeof UNARY_OPS)[]) registerUnary(addon, name);
  registerBatchNorm(addon);
  registerAdamUpdate(addon);
}
