/** Everything this project adds to or replaces in TF.js for training on WASM, registered once. */
import {registerBatchNormGradient} from "./batchNormGradient.js";
import {registerWasmConvGradients} from "./convGradKernels.js";
import {registerWasmLeadingAxesReduce} from "./leadingAxesReduce.js";
import {registerWasmJsKernels} from "./wasmJsKernels.js";

/** Registers the project's WASM kernels and gradients (idempotent); call before the backend is initialised. */
export function registerWasmKernels(): void {
  registerWasmConvGradients();
  registerWasmLeadingAxesReduce();
  registerWasmJsKernels();
  registerBatchNormGradient();
}
