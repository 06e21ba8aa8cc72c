/** Everything this project adds to or replaces in TF.js for training on WASM, registered once. */
import {registerBatchNormGradient} from "./batchNormGradient.js";
import {registerWasmConvGradients} from "./convGradKernels.js";
import {registerWasmLeadingAxesReduce} from "./leadingAxesReduce.js";
import {registerNativeConvKernels} from "./nativeConv.js";
import {registerWasmJsKernels} from "./wasmJsKernels.js";

/**
 * Registers the project's WASM kernels and gradients, and the native convolutions when their addon is built
 * (idempotent); call before the backend is initialised.
 */
export function registerWasmKernels(): void {
  registerWasmConvGradients();
  registerWasmLeadingAxesReduce();
  registerWasmJsKernels();
  registerBatchNormGradient();
  // Last: the native convolutions fall back to the kernels registered above.
  registerNativeConvKernels();
}
