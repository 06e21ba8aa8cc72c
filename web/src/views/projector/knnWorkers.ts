/**
 * The recompute worker's exact kNN on several cores: the column blocks are dealt out between up to
 * {@link MAX_KNN_WORKERS} nested Web Workers (knnPartWorker.ts), each fills its own candidate heaps
 * from its own copy of the coordinates, and finishKnn merges and reranks them here: the same bytes
 * as exactKnn on one thread (core/embed/knnParts.ts says why). The nested workers end when they
 * are done, when this fails, and with the recompute worker when the page cancels it.
 */
import {
  asFloat64,
  checkK,
  exactKnn,
  finishKnn,
  type KnnOptions,
  type Neighbors
} from "../../../../src/core/embed/knn.js";
import {blockCount, type KnnHeaps} from "../../../../src/core/embed/knnBlocks.js";
import {knnCapacity, partBlocks} from "../../../../src/core/embed/knnParts.js";
import type {Points} from "../../../../src/core/embed/points.js";
import {InterruptedError} from "../../../../src/core/errors.js";
import type {KnnPartMessage, KnnPartRequest} from "./knnPartProtocol.js";

/** Nested workers at most: each holds a copy of the coordinates (18 MB at 70,000 points). */
export const MAX_KNN_WORKERS = 4;

/** Options of {@link workersKnn}. */
export interface WorkersKnnOptions extends KnnOptions {
  /** Nested workers at most (default {@link MAX_KNN_WORKERS}); 1 runs exactKnn on this thread. */
  maxWorkers?: number;
  /** Stops the nested workers and rejects with an InterruptedError. */
  signal?: AbortSignal;
}

/** Workers for `blocks` column blocks: one per core, between 1 and `most`. */
function workerCount(blocks: number, most: number): number {
  if (typeof Worker === "undefined") return 1; // no nested workers in this browser
  return Math.max(1, Math.min(most, navigator.hardwareConcurrency || 1, blocks));
}

/** Exact kNN over nested workers (on this thread where there is one core or one block). */
export async function workersKnn(p: Points, k: number, options: WorkersKnnOptions = {}): Promise<Neighbors> {
  const n = p.count;
  checkK(n, k);
  const split = partBlocks(n, workerCount(blockCount(n), options.maxWorkers ?? MAX_KNN_WORKERS));
  if (split.length === 1) return exactKnn(p, k, options);
  if (options.signal?.aborted) throw new InterruptedError("nearest neighbours interrupted");
  const total = (n * (n - 1)) / 2;
  let done = 0;
  const workers: Worker[] = [];
  let onAbort = () => {};
  try {
    const heaps = await new Promise<KnnHeaps[]>((resolve, reject) => {
      const parts: KnnHeaps[] = new Array<KnnHeaps>(split.length);
      let finished = 0;
      onAbort = () => reject(new InterruptedError("nearest neighbours interrupted"));
      options.signal?.addEventListener("abort", onAbort, {once: true});
      split.forEach((blocks, w) => {
        const worker = new Worker(new URL("./knnPartWorker.ts", import.meta.url), {type: "module"});
        workers.push(worker);
        worker.onerror = (event) => reject(new Error(event.message || "a kNN worker failed to start"));
        worker.onmessage = (event: MessageEvent<KnnPartMessage>) => {
          const m = event.data;
          if (m.type === "progress") {
            done += m.pairs;
            options.onProgress?.(Math.min(n, Math.floor((n * done) / total)), n);
          } else if (m.type === "error") reject(new Error(`kNN worker: ${m.message}`));
          else {
            parts[w] = {
              n,
              kk: knnCapacity(n, k),
              heapD: m.heapD,
              heapI: m.heapI,
              size: m.size,
              bound: new Float64Array(0)
            };
            worker.terminate();
            if (++finished === split.length) resolve(parts);
          }
        };
        // Each worker gets its own copy of the Float32 coordinates (half the bytes of Float64).
        const request: KnnPartRequest = {coords: p.data, n, dim: p.dim, k, blocks};
        worker.postMessage(request);
      });
    });
    return finishKnn(asFloat64(p), p.dim, k, heaps);
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    for (const worker of workers) worker.terminate();
  }
}
