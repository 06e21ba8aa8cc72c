/**
 * TF.js in the browser: WebGL when the page gets a GPU context, else WASM (SIMD, threads when the
 * page is cross-origin isolated), served from this app's own assets; WASM also when WebGL is only
 * emulated in software. `?backend=wasm|webgl|cpu` in
 * the page URL (before the #) forces one, e.g. for tests.
 */
import * as tf from "@tensorflow/tfjs";

import {useBundledWasm} from "./wasmAssets.js";

const PREFERRED = ["webgl", "wasm", "cpu"] as const;
type BrowserBackend = (typeof PREFERRED)[number];

let ready: Promise<BrowserBackend> | undefined;

async function trySet(name: BrowserBackend): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * True when WebGL is rendered in software (SwiftShader, llvmpipe: a machine without a usable GPU).
 * TF.js on it is far slower than WASM (for our CNN about 300 ms against 5 ms per image), so WASM goes first.
 */
function softwareWebGl(): boolean {
  const gl = document.createElement("canvas").getContext("webgl");
  const info = gl?.getExtension("WEBGL_debug_renderer_info");
  const renderer = gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  gl?.getExtension("WEBGL_lose_context")?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software/i.test(renderer);
}

async function init(): Promise<BrowserBackend> {
  useBundledWasm();
  tf.enableProdMode();
  const forced = new URLSearchParams(location.search).get("backend");
  const preferred = softwareWebGl() ? (["wasm", "webgl", "cpu"] as const) : PREFERRED;
  const order = preferred.filter((b) => forced === null || b === forced);
  for (const name of order.length > 0 ? order : preferred) {
    if (await trySet(name)) {
      await tf.ready();
      return name;
    }
  }
  throw new Error("no TF.js backend could start in this browser (tried WebGL, WASM and CPU)");
}

/** Starts TF.js once; every caller gets the same promise of the backend's name. */
export function initBackend(): Promise<BrowserBackend> {
  ready ??= init();
  return ready;
}
