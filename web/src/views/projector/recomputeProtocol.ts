/** Messages between the projector and its recompute worker. */
import type {Dim} from "./layouts.js";

export interface RecomputeRequest {
  method: "tsne" | "umap";
  dim: Dim;
  /** Row-major [count, embeddingDim] (a copy: the worker owns it). */
  embeddings: Float32Array;
  embeddingDim: number;
  /** t-SNE iterations or UMAP epochs (default: each method's own). */
  iterations?: number;
  /** Send the current layout every this many steps (t-SNE only; 0: never). */
  liveEvery: number;
  /**
   * Nested workers for the neighbour search at most (default: one per core, up to 4; 1: the
   * recompute worker alone). The page's `?knnWorkers=N` sets it, to compare in one build.
   */
  knnWorkers?: number;
}

export type RecomputeMessage =
  | {type: "progress"; phase: "neighbours" | "layout"; done: number; total: number; layout?: Float32Array}
  | {type: "done"; layout: Float32Array; seconds: number}
  | {type: "error"; message: string};
