/**
 * A cheaper gradient for `Mean` over leading axes (batch-norm statistics in training).
 *
 * TF.js' own gradient builds `ones(x.shape)` as a JavaScript array, uploads it, multiplies it by
 * the reshaped dy and divides: ~8-10 ms of a batch-128 training step on WASM, for a result that
 * is only dy / n repeated over the rows. Here the small dy / n is repeated into the full shape by
 * `FmnistBroadcastRows`, a copy on the WASM heap (registered on wasm; other backends keep TF.js'
 * gradient). The values are the same: dy * 1 / n = dy / n.
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

import {leadingAxesMatrix} from "./leadingAxesReduce.js";
import {replaceGradient} from "./replaceGradient.js";

export const BROADCAST_ROWS_KERNEL = "FmnistBroadcastRows";

/** out (of attrs.shape) = x repeated: x's values fill each row of the trailing dimensions. */
function broadcastRowsKernel(args: {inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap}) {
  const backend = args.backend as BackendWasm;
  const {x} = args.inputs as {x: tf.TensorInfo};
  const {shape} = args.attrs as unknown as {shape: number[]};
  const n = shape.reduce((a, b) => a * b, 1);
  const row = x.shape.reduce((a, b) => a * b, 1);
  if (x.dtype !== "float32" || row === 0 || n % row !== 0) {
    throw new Error(`${BROADCAST_ROWS_KERNEL}: cannot repeat [${x.shape}] into [${shape}]`);
  }
  const out = backend.makeOutput(shape, "float32");
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  dst.set(src, 0);
  // Doubling copies: log2(rows) memmoves instead of one short copy per row.
  for (let filled = row; filled < n; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, n - filled));
  return out;
}

let registered = false;

/** Registers the kernel on wasm and the Mean gradient (global, with TF.js' own as fallback); idempotent. */
export function registerMeanGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({kernelName: BROADCAST_ROWS_KERNEL, backendName: "wasm", kernelFunc: broadcastRowsKernel});
  replaceGradient("Mean", (original) => (dy, saved, attrs) => {
    const [x] = saved;
    const {axis} = attrs as unknown as {axis: number | number[]};
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const matrix = leadingAxesMatrix(x.shape, axes);
    if (!matrix || x.dtype !== "float32" || !tf.getKernel(BROADCAST_ROWS_KERNEL, tf.getBackend())) {
      return original(dy, saved, attrs);
    }
    const dyT = dy as tf.Tensor;
    return {
      x: () =>
        tf.tidy(
          () => tf.engine().runKernel(BROADCAST_ROWS_KERNEL, {x: tf.div(dyT, matrix[0])}, {shape: x.shape}) as tf.Tensor
        )
    };
  });
}
