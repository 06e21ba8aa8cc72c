/**
 * `Sum` and `Mean` over leading axes on WASM as a JavaScript loop over the backend's heap.
 *
 * The WASM backend reduces only innermost axes, so summing [128, 26, 26, 64] over the batch and
 * spatial axes (every bias gradient and batch-norm statistic) first transposes the whole tensor:
 * ~33-53 ms here. Seen as a [rows, C] matrix the same sum is one sequential pass, ~13-20 ms
 * (bench/kernelPairs.ts), with float64 accumulators. (A matrix product with a row of ones is slower: XNNPACK repacks the
 * [rows, C] operand on every call.) Other reductions go to the backend's own kernels.
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

/** Rows and columns of `shape` seen as a matrix with `axes` as rows, or null when `axes` are not the leading ones. */
export function leadingAxesMatrix(shape: readonly number[], axes: readonly number[]): [number, number] | null {
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= shape.length || sorted.some((a, i) => a !== i)) return null;
  const rows = shape.slice(0, sorted.length).reduce((a, b) => a * b, 1);
  const cols = shape.slice(sorted.length).reduce((a, b) => a * b, 1);
  return [rows, cols];
}

type ReduceAttrs = {axis: number | number[]; keepDims: boolean};

/** A float32 Sum/Mean over leading axes as rows x cols, with its output shape; null for any other reduction. */
export function leadingAxesReduction(
  x: tf.TensorInfo,
  attrs: unknown
): {rows: number; cols: number; outShape: number[]} | null {
  const {axis, keepDims} = attrs as ReduceAttrs;
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const matrix = x.dtype === "float32" ? leadingAxesMatrix(x.shape, axes) : null;
  if (!matrix) return null;
  const outShape = keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
  return {rows: matrix[0], cols: matrix[1], outShape};
}

function register(kernelName: "Sum" | "Mean"): void {
  const native = tf.getKernel(kernelName, "wasm");
  if (!native) throw new Error(`wasm has no ${kernelName} kernel`);
  tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({
    ...native,
    kernelFunc: (args) => {
      const {x} = args.inputs as {x: tf.TensorInfo};
      const reduction = leadingAxesReduction(x, args.attrs);
      if (!reduction) return native.kernelFunc(args);
      const {rows, cols, outShape} = reduction;
      const backend = args.backend as BackendWasm;
      const out = backend.makeOutput(outShape, "float32");
      // Views after makeOutput: allocating can grow (and so detach) the heap.
      const src = backend.typedArrayFromHeap(x) as Float32Array;
      const dst = backend.typedArrayFromHeap(out) as Float32Array;
      const acc = new Float64Array(cols);
      for (let r = 0, i = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++, i++) acc[c] += src[i];
      }
      const scale = kernelName === "Mean" ? 1 / rows : 1;
      for (let c = 0; c < cols; c++) dst[c] = acc[c] * scale;
      return out;
    }
  });
}

let registered = false;

/** Registers the leading-axes `Sum` and `Mean` on the `wasm` backend (idempotent). */
export function registerWasmLeadingAxesReduce(): void {
  if (registered) return;
  registered = true;
  register("Sum");
  register("Mean");
}
