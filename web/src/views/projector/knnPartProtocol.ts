/** Messages between the recompute worker and its nested kNN workers (knnPartWorker.ts). */

export interface KnnPartRequest {
  /** Row-major [n, dim] coordinates (a copy per worker: without cross-origin isolation nothing is shared). */
  coords: Float32Array | Float64Array;
  n: number;
  dim: number;
  /** Neighbours wanted (the heaps keep a few more, as exactKnn's do). */
  k: number;
  /** Column blocks this worker measures. */
  blocks: number[];
}

export type KnnPartMessage =
  | {type: "progress"; pairs: number}
  | {type: "done"; heapD: Float64Array<ArrayBuffer>; heapI: Int32Array<ArrayBuffer>; size: Int32Array<ArrayBuffer>}
  | {type: "error"; message: string};
