/**
 * Exact kNN in the native addon (native/knn.cc): the candidate heaps of every row are filled there
 * on several threads, a slice of rows per call (progress and cancellation between slices), and
 * core/embed/knn.ts reranks them as it does the JavaScript heaps. Every distance is the same double
 * as in the JavaScript kernel, so the neighbours are the same bytes as {@link exactKnn} (tested,
 * test/embed/knnNative.test.ts). Undefined where the addon is not built, is switched off
 * (`FMNIST_NATIVE=0`) or predates kNN. Node only.
 */
import {availableParallelism} from "node:os";

import {asFloat64, checkK, finishKnn, KNN_EXTRA, type KnnOptions, type Neighbors} from "../../core/embed/knn.js";
import {createHeaps, squaredNorms} from "../../core/embed/knnBlocks.js";
import type {Points} from "../../core/embed/points.js";
import {InterruptedError} from "../../core/errors.js";
import {loadAddonFunctions} from "../backend/nativeAddon.js";

const loadKnnAddon = () => loadAddonFunctions(["knnRows"]);

/** Whether the exact kNN can run natively in this process. */
export function nativeKnnAvailable(): boolean {
  return loadKnnAddon() !== undefined;
}

/** About this many multiply-adds per call (a few tenths of a second), so progress and Ctrl-C stay prompt. */
const WORK_PER_CALL = 1e9;

/**
 * Exact kNN of every point on `threads` native threads (default: one per core), or undefined
 * without the addon. Rejects with an {@link InterruptedError} once `signal` aborts.
 */
export async function nativeKnn(
  p: Points,
  k: number,
  options: KnnOptions & {threads?: number; signal?: AbortSignal} = {}
): Promise<Neighbors | undefined> {
  const addon = loadKnnAddon();
  if (!addon) return undefined;
  const n = p.count;
  checkK(n, k);
  const x = asFloat64(p);
  const norms = squaredNorms(x, n, p.dim);
  const heaps = createHeaps(n, Math.min(n - 1, k + KNN_EXTRA));
  const threads = options.threads ?? availableParallelism();
  const slice = Math.max(64, Math.ceil(WORK_PER_CALL / (n * p.dim)));
  for (let from = 0; from < n; from += slice) {
    if (options.signal?.aborted) throw new InterruptedError("nearest neighbours interrupted");
    const to = Math.min(n, from + slice);
    const {heapD, heapI, size, bound} = heaps;
    addon.knnRows(x, norms, p.dim, heaps.kk, from, to, heapD, heapI, size, bound, threads);
    options.onProgress?.(to, n);
    // Lets a pending abort (Ctrl-C) and progress output through.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (options.signal?.aborted) throw new InterruptedError("nearest neighbours interrupted");
  return finishKnn(x, p.dim, k, [heaps]);
}
