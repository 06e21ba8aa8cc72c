/**
 * UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426): the fuzzy graph of the exact nearest
 * neighbours (umapGraph.ts) and the layout optimisation (umapOptimize.ts, in batch mode: the
 * same bytes on any number of threads), with umap-js' constants and epochs, started from
 * PCA. Points go in and come out as flat {@link Points}; neighbours from {@link exactKnn} can be
 * passed in (shared with t-SNE). Seeded through `random`: the same seed gives the same bytes.
 * Isomorphic.
 */
import {UserError} from "../errors.js";
import {createRandom, type Random} from "../random.js";
import {exactKnn, truncateNeighbors, type Neighbors} from "./knn.js";
import {pca} from "./pca.js";
import type {Points} from "./points.js";
import {fuzzyGraph} from "./umapGraph.js";
import {createOptimizer, fitAB, optimizeEpoch, type UmapOptimizer, type UmapRunner} from "./umapOptimize.js";

/** Options of {@link umapLayout}; every field has a default. */
export interface UmapOptions {
  /** Output dimension, 2 or 3 (default 2). */
  dim?: 2 | 3;
  /** Size of the local neighbourhood, the point itself included as umap-js counts (default 15). */
  nNeighbors?: number;
  /** Minimum distance between embedded points (default 0.1). */
  minDist?: number;
  /** Scale of embedded points (default 1). */
  spread?: number;
  /** Optimisation epochs (default umap-js': 500 up to 2,500 points … 200 above 7,500). */
  nEpochs?: number;
  /** Source of randomness in [0, 1) (default: seeded with 42). */
  random?: Random;
  /** Precomputed exact neighbours (self excluded, at least nNeighbors - 1 per point). */
  neighbors?: Neighbors;
  /** Start from the first principal components (default) or at random, as umap-js. */
  init?: "pca" | "random";
  /** Runs the epochs on other threads (src/node/embed/umapNative.ts): the same bytes on any number of them. */
  runner?: UmapRunner;
}

/** Called after each epoch with (epoch, total); returning false stops the run. */
export type UmapEpochCallback = (epoch: number, total: number) => boolean | void;

/** umap-js' default number of epochs for `n` points. */
export function defaultEpochs(n: number): number {
  return n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
}

function createRun(x: Points, options: UmapOptions): UmapOptimizer {
  const nNeighbors = options.nNeighbors ?? 15;
  if (x.count <= nNeighbors) {
    throw new UserError(`Not enough samples (${x.count}) for UMAP with ${nNeighbors} neighbours; add samples`);
  }
  const neighbors = truncateNeighbors(options.neighbors ?? exactKnn(x, nNeighbors - 1), nNeighbors - 1);
  if (neighbors.count !== x.count) {
    throw new UserError(`UMAP: precomputed kNN has ${neighbors.count} rows for ${x.count} points`);
  }
  const nEpochs = options.nEpochs ?? defaultEpochs(x.count);
  const ab = fitAB(options.spread ?? 1, options.minDist ?? 0.1);
  const graph = fuzzyGraph(neighbors, nNeighbors);
  const dim = options.dim ?? 2;
  // PCA start (umap-js starts at random): at 10,000 test images, seeds 1, 2, 3 and 42 gave
  // trustworthiness 0.9906-0.9908 from PCA and 0.9879-0.9914 from random (docs/performance.md).
  const initial =
    (options.init ?? "pca") === "pca" && x.dim >= dim ? pca(x, {components: dim}).projected.data : undefined;
  return createOptimizer(graph, x.count, dim, nEpochs, ab, options.random ?? createRandom(42), initial);
}

const result = (o: UmapOptimizer): Points => ({data: o.embedding, count: o.n, dim: o.dim});

/** UMAP layout of `x`, [count, dim]. */
export function umapLayout(x: Points, options: UmapOptions = {}, onEpoch?: UmapEpochCallback): Points {
  const o = createRun(x, options);
  for (let epoch = 0; epoch < o.nEpochs; epoch++) {
    optimizeEpoch(o, epoch, options.runner);
    if (onEpoch?.(epoch + 1, o.nEpochs) === false) break;
  }
  return result(o);
}

/** {@link umapLayout} that yields to the event loop about every 50 ms (for pages and workers). */
export async function umapLayoutAsync(
  x: Points,
  options: UmapOptions = {},
  onEpoch?: UmapEpochCallback
): Promise<Points> {
  const o = createRun(x, options);
  let lastYield = Date.now();
  for (let epoch = 0; epoch < o.nEpochs; epoch++) {
    optimizeEpoch(o, epoch, options.runner);
    if (onEpoch?.(epoch + 1, o.nEpochs) === false) break;
    if (Date.now() - lastYield > 50) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
    }
  }
  return result(o);
}
