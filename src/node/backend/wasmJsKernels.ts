/**
 * WASM kernels written as JavaScript loops over the backend's heap (no copies in or out), and a copy-free Identity:
 *
 * - `MaxPoolGrad`: TF.js' WASM kernel walks every input position and searches the windows that
 *   cover it (~115 ms for 26x26x64 -> 13x13 at batch 128). Here each window's first maximum gets
 *   its dy added in one pass over the windows (~55 ms), the same rule as the cpu backend.
 * - `Transpose` with perm [3, 1, 2, 0], which the filter gradient uses to make the batch the
 *   channel axis: the backend's generic loop takes ~65 ms for [128, 28, 28, 64]; the loop below,
 *   one cache-sized block per position, ~33 ms. Other permutations go to the backend's kernel.
 * (Medians of alternating calls, bench/kernelPairs.ts.)
 */
import * as tf from "@tensorflow/tfjs";
import type {BackendWasm} from "@tensorflow/tfjs-backend-wasm";

type MaxPoolGradAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
};

/** The pooling geometry of a MaxPoolGrad call (shared with the native kernel in ./nativeHeapKernels.ts). */
export function maxPoolGradInfo(input: tf.TensorInfo, attrs: unknown): tf.backend_util.Conv2DInfo {
  const {filterSize, strides, pad, dimRoundingMode} = attrs as MaxPoolGradAttrs;
  return tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode
  );
}

function heapF32(backend: BackendWasm, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** MaxPoolGrad: dx[first argmax of each window] += dy[window]. */
export function maxPoolGradKernel(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const {dy, input} = args.inputs as {dy: tf.TensorInfo; input: tf.TensorInfo};
  const info = maxPoolGradInfo(input, args.attrs);
  const dxInfo = backend.makeOutput(input.shape, "float32");
  // Views after makeOutput: allocating can grow (and so detach) the heap.
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, dxInfo);
  dx.fill(0);
  const {batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW} = info;
  const {strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw} = info;
  const {top, left} = info.padInfo;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oy = 0; oy < OH; oy++) {
      const y0 = oy * sh - top;
      const yMin = Math.max(0, y0);
      const yMax = Math.min(H, y0 + fh);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = ox * sw - left;
        const xMin = Math.max(0, x0);
        const xMax = Math.min(W, x0 + fw);
        for (let c = 0; c < C; c++, o++) {
          let best = -1;
          let max = -Infinity;
          for (let y = yMin; y < yMax; y++) {
            let i = ((n * H + y) * W + xMin) * C + c;
            for (let xx = xMin; xx < xMax; xx++, i += C) {
              const v = x[i];
              if (v > max) {
                max = v;
                best = i;
              }
            }
          }
          if (best >= 0) dx[best] += g[o];
        }
      }
    }
  }
  return dxInfo;
}

/** Transpose of [A, B, C, D] to [D, B, C, A] (perm [3, 1, 2, 0]). */
function transposeOuterInner(backend: BackendWasm, xInfo: tf.TensorInfo): tf.TensorInfo {
  const [A, B, C, D] = xInfo.shape;
  const out = backend.makeOutput([D, B, C, A], xInfo.dtype);
  const src = heapF32(backend, xInfo);
  const dst = heapF32(backend, out);
  const P = B * C;
  const srcStride = P * D;
  // Position-major: the A x D block read for one position (32 KB for the model) stays in cache
  // while it is written out as D runs of A contiguous values.
  for (let p = 0; p < P; p++) {
    for (let d = 0; d < D; d++) {
      let s = p * D + d;
      const base = (d * P + p) * A;
      for (let a = 0; a < A; a++, s += srcStride) dst[base + a] = src[s];
    }
  }
  return out;
}

const OUTER_INNER = [3, 1, 2, 0];

/**
 * `Identity` sharing the input's heap memory (one more reference) instead of copying it, as the cpu
 * backend does. TF.js runs it for every tensor a kernel saves for its gradient (engine.clone), so
 * on WASM a training step copied each layer's activations once more (~16 ms at batch 128).
 * Safe because TF.js never writes into a tensor's memory after creating it (Variable.assign
 * swaps the dataId).
 */
function identityKernel(args: {inputs: tf.NamedTensorInfoMap; backend: unknown}): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const {x} = args.inputs as {x: tf.TensorInfo};
  backend.incRef(x.dataId);
  return {dataId: x.dataId, shape: x.shape, dtype: x.dtype};
}

let registered = false;

/** Registers the two kernels on the `wasm` backend (idempotent). */
export function registerWasmJsKernels(): void {
  if (registered) return;
  registered = true;
  const nativeTranspose = tf.getKernel("Transpose", "wasm");
  if (!nativeTranspose) throw new Error("wasm has no Transpose kernel");
  tf.unregisterKernel("Transpose", "wasm");
  tf.registerKernel({
    ...nativeTranspose,
    kernelFunc: (args) => {
      const {x} = args.inputs as {x: tf.TensorInfo};
      const {perm} = args.attrs as unknown as {perm: number[]};
      const fast = x.dtype === "float32" && perm.length === 4 && perm.every((p, i) => p === OUTER_INNER[i]);
      return fast ? transposeOuterInner(args.backend as BackendWasm, x) : nativeTranspose.kernelFunc(args);
    }
  });
  const nativePoolGrad = tf.getKernel("MaxPoolGrad", "wasm");
  if (nativePoolGrad) tf.unregisterKernel("MaxPoolGrad", "wasm");
  tf.registerKernel({kernelName: "MaxPoolGrad", backendName: "wasm", kernelFunc: maxPoolGradKernel});
  const copyingIdentity = tf.getKernel("Identity", "wasm");
  if (copyingIdentity) {
    tf.unregisterKernel("Identity", "wasm");
    tf.registerKernel({...copyingIdentity, kernelFunc: identityKernel});
  }
}
