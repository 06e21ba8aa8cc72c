/**
 * Exact kNN over worker threads: the column blocks of core/embed/knnBlocks.ts go to one worker
 * per core through a shared counter (largest blocks first, so the cores finish together), each
 * worker keeps its own candidate heaps, and core/embed/knn.ts merges and reranks them. Each pair
 * is measured once, by whichever worker takes its block, with the same arithmetic as on one
 * thread, so the result is the same bytes as {@link exactKnn}. Where the native addon is built,
 * it computes the candidates instead (./knnNative.ts), the same bytes again. Node only.
 */
import {availableParallelism} from "node:os";
import type {Worker} from "node:worker_threads";

import {
  asFloat64,
  checkK,
  exactKnn,
  finishKnn,
  KNN_EXTRA,
  type KnnOptions,
  type Neighbors
} from "../../core/embed/knn.js";
import {blockCount, squaredNorms, type KnnHeaps} from "../../core/embed/knnBlocks.js";
import type {Points} from "../../core/embed/points.js";
import {InterruptedError} from "../../core/errors.js";
import {nativeKnn} from "./knnNative.js";
import type {KnnWorkerData, KnnWorkerMessage} from "./knnWorker.js";
import {siblingWorker} from "./workerUrl.js";

/** Options of {@link parallelKnn}. */
export interface ParallelKnnOptions extends KnnOptions {
  /** Worker threads (default: the cores available; 1 runs {@link exactKnn} on this thread). */
  threads?: number;
  /** Stops the workers and rejects with an {@link InterruptedError}. */
  signal?: AbortSignal;
  /** Use the native addon's kNN where it is built (default true; the same bytes, several times faster). */
  native?: boolean;
}

/** Copies `a` into memory that workers share. */
function sharedF64(a: Float64Array): Float64Array<SharedArrayBuffer> {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** Exact kNN of every point, on `threads` worker threads. */
export async function parallelKnn(p: Points, k: number, options: ParallelKnnOptions = {}): Promise<Neighbors> {
  const n = p.count;
  checkK(n, k);
  if (options.native !== false) {
    const native = await nativeKnn(p, k, options);
    if (native) return native;
  }
  const blocks = blockCount(n);
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), blocks));
  if (threads === 1) return exactKnn(p, k, options);
  if (options.signal?.aborted) throw new InterruptedError("nearest neighbours interrupted");
  const x = asFloat64(p);
  // Largest blocks first, so that the last ones to finish are small.
  const order = new Int32Array(new SharedArrayBuffer(4 * blocks));
  for (let t = 0; t < blocks; t++) order[t] = blocks - 1 - t;
  const data: KnnWorkerData = {
    x: sharedF64(x),
    norms: sharedF64(squaredNorms(x, n, p.dim)),
    n,
    dim: p.dim,
    kk: Math.min(n - 1, k + KNN_EXTRA),
    order,
    next: new Int32Array(new SharedArrayBuffer(4))
  };
  const total = (n * (n - 1)) / 2;
  let done = 0;
  const workers: Worker[] = [];
  const stop = () => {
    for (const w of workers) void w.terminate();
  };
  try {
    const parts = await new Promise<KnnHeaps[]>((resolve, reject) => {
      const heaps: KnnHeaps[] = [];
      const onAbort = () => reject(new InterruptedError("nearest neighbours interrupted"));
      options.signal?.addEventListener("abort", onAbort, {once: true});
      for (let w = 0; w < threads; w++) {
        const worker = siblingWorker(import.meta.url, "knnWorker", {workerData: data});
        workers.push(worker);
        worker.on("error", reject);
        worker.on("exit", (code) => {
          if (code !== 0) reject(new Error(`kNN worker exited with code ${code}`));
        });
        worker.on("message", (m: KnnWorkerMessage) => {
          if (m.type === "progress") {
            done += m.pairs;
            options.onProgress?.(Math.min(n, Math.floor((n * done) / total)), n);
            return;
          }
          heaps.push({n, kk: data.kk, heapD: m.heapD, heapI: m.heapI, size: m.size, bound: new Float64Array(0)});
          if (heaps.length === threads) {
            options.signal?.removeEventListener("abort", onAbort);
            resolve(heaps);
          }
        });
      }
    });
    return finishKnn(x, p.dim, k, parts);
  } finally {
    stop();
  }
}
