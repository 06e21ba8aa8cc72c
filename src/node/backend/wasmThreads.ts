/**
 * Multi-threaded WASM in Node.
 *
 * TF.js 4.22 ships a threaded SIMD build of its WASM backend but never uses it in Node
 * (`WASM_HAS_MULTITHREAD_SUPPORT` is hard-wired to false there, tensorflow/tfjs#3830), and even
 * when forced on it fails three ways, each patched here for the duration of initialisation only:
 * 1. its pthread workers are created from `blob:` URLs, which Node's `Worker` rejects: we hand
 *    Node a real file holding the same worker script (shipped by the package in `wasm-out/`);
 * 2. each worker is then told to `importScripts` a Blob of the Emscripten factory: we point it at
 *    the package's own copy of that factory instead;
 * 3. XNNPACK caps its pool at half the logical cores (1 on a 2-core machine): we report twice
 *    the real count to the Emscripten runtime while the pool is created.
 * With these, `setThreadsCount(2)` on 2 cores roughly halves convolution time
 * (26x26x64 conv at batch 128: ~270 ms -> ~130 ms measured here).
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import os from "node:os";
import {join} from "node:path";
import {Worker} from "node:worker_threads";

import * as tf from "@tensorflow/tfjs";
import {getThreadsCount, setThreadsCount} from "@tensorflow/tfjs-backend-wasm";

type PthreadLoadMessage = {cmd?: string; urlOrBlob?: unknown};

/**
 * Initialises the `wasm` backend with `threads` threads (default: all cores). Returns the number
 * of threads actually in use (1 when threading could not be enabled; the backend still works).
 */
export async function initWasmWithThreads(threads = os.availableParallelism()): Promise<number> {
  if (threads <= 1) {
    setThreadsCount(1);
    await tf.setBackend("wasm");
    return 1;
  }
  const require = createRequire(import.meta.url);
  const pkgDir = require.resolve("@tensorflow/tfjs-backend-wasm/package.json").replace(/package\.json$/, "");
  const factoryPath = join(pkgDir, "wasm-out", "tfjs-backend-wasm-threaded-simd.js");
  const {wasmWorkerContents} = require(join(pkgDir, "wasm-out", "tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string;
  };
  // The library escapes newlines the same way before making its Blob (they sit inside string literals).
  const script = wasmWorkerContents.replace(/\n/g, "\\n");
  // One file per script content, reused by every run (no temp folder per process).
  const digest = createHash("sha256").update(script).digest("hex").slice(0, 16);
  // Per user (mode 0700), and the content is checked before use: nobody else can plant a script.
  const dir = join(os.tmpdir(), `fmnist-vis-wasm-${process.getuid?.() ?? "user"}`);
  const workerPath = join(dir, `pthread-worker-${digest}.cjs`);
  if (!existsSync(workerPath) || readFileSync(workerPath, "utf8") !== script) {
    mkdirSync(dir, {recursive: true, mode: 0o700});
    const tmp = `${workerPath}.${process.pid}.tmp`;
    writeFileSync(tmp, script);
    renameSync(tmp, workerPath);
  }

  const createObjectURL = URL.createObjectURL;
  const postMessage = Worker.prototype.postMessage;
  const cpus = os.cpus;
  URL.createObjectURL = (obj: Blob | MediaSource) =>
    obj instanceof Blob && obj.type === "application/javascript" ? workerPath : createObjectURL(obj);
  Worker.prototype.postMessage = function (this: Worker, message: unknown, transfer?: readonly never[]) {
    const m = message as PthreadLoadMessage;
    const fixed = m && m.cmd === "load" && m.urlOrBlob instanceof Blob ? {...m, urlOrBlob: factoryPath} : message;
    return postMessage.call(this, fixed, transfer);
  };
  os.cpus = () => {
    const real = cpus();
    return [...real, ...real];
  };
  try {
    setThreadsCount(threads);
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
    await tf.setBackend("wasm");
    await tf.ready();
    return getThreadsCount();
  } finally {
    URL.createObjectURL = createObjectURL;
    Worker.prototype.postMessage = postMessage;
    os.cpus = cpus;
  }
}
