/** Everything this project adds to or replaces in TF.js for training on WASM, registered once. */
import {registerBatchNormGradient} from "./batchNormGradient.js";
import {registerWasmConvGradients} from "./convGradKernels.js";
import {registerWasmLeadingAxesReduce} from "./leadingAxesReduce.js";
import {registerMeanGradient} from "./meanGradient.js";
import {loadNativeAddon, markNativeKernelsActive} from "./nativeAddon.js";
import {registerNativeBatchNorm} from "./nativeBatchNorm.js";
import {registerNativeConvKernels} from "./nativeConv.js";
import {registerNativeHeapKernels} from "./nativeHeapKernels.js";
import {registerWasmJsKernels} from "./wasmJsKernels.js";

let registered = false;

/**
 * Registers the project's WASM kernels and gradients, and the native ones when their addon is built
 * (idempotent); call before the backend is initialised.
 */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerWasmConvGradients();
  registerWasmLeadingAxesReduce();
  registerWasmJsKernels();
  registerBatchNormGradient();
  registerMeanGradient();
  // Last: the native kernels fall back to the ones registered above.
  const addon = loadNativeAddon();
  if (addon) {
    registerNativeConvKernels(addon);
    registerNativeHeapKernels(addon);
    registerNativeBatchNorm(addon);
    markNativeKernelsActive();
  }
}
