/**
 * TF.js' WebAssembly binaries from this app's own assets (nothing is fetched from a CDN), for the
 * page (./backend.ts) and for workers that run TF.js (views/classify/lab/labWorker.ts).
 */
import {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

/** Points the WASM backend at the bundled binaries (call before the backend starts). */
export function useBundledWasm(): void {
  setWasmPaths({
    "tfjs-backend-wasm.wasm": wasmPlain,
    "tfjs-backend-wasm-simd.wasm": wasmSimd,
    "tfjs-backend-wasm-threaded-simd.wasm": wasmThreaded
  });
}
