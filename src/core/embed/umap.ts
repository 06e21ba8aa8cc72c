/**
 * UMAP (McInnes, Healy & Melville 2018, arXiv:1802.03426) through the `umap-js` package (PAIR-code),
 * seeded through its `random` option so that a layout is reproducible. Points go in and come out
 * as flat {@link Points}; exact nearest neighbours from {@link exactKnn} can be passed in (shared
 * with t-SNE), in which case umap-js' approximate NN-descent is skipped. Isomorphic.
 */
import {UMAP} from "umap-js";

import {UserError} from "../errors.js";
import {createRandom, type Random} from "../random.js";
import {truncateNeighbors, type Neighbors} from "./knn.js";
import {pointsFromRows, toRows, type Points} from "./points.js";

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
}

/** Called after each epoch with (epoch, total); returning false stops the run. */
export type UmapEpochCallback = (epoch: number, total: number) => boolean | void;

function createUmap(x: Points, options: UmapOptions): UMAP {
  const nNeighbors = options.nNeighbors ?? 15;
  if (x.count <= nNeighbors) {
    throw new UserError(`Not enough samples (${x.count}) for UMAP with ${nNeighbors} neighbours; add samples`);
  }
  const umap = new UMAP({
    nComponents: options.dim ?? 2,
    nNeighbors,
    minDist: options.minDist ?? 0.1,
    spread: options.spread ?? 1,
    nEpochs: options.nEpochs,
    random: options.random ?? createRandom(42)
  });
  if (options.neighbors) {
    const nb = truncateNeighbors(options.neighbors, nNeighbors - 1);
    const indices: number[][] = [];
    const distances: number[][] = [];
    for (let i = 0; i < x.count; i++) {
      // umap-js expects each row to start with the point itself at distance 0.
      const row = [i];
      const dist = [0];
      for (let t = 0; t < nb.k; t++) {
        row.push(nb.indices[i * nb.k + t]);
        dist.push(nb.distances[i * nb.k + t]);
      }
      indices.push(row);
      distances.push(dist);
    }
    umap.setPrecomputedKNN(indices, distances);
  }
  return umap;
}

/** UMAP layout of `x`, [count, dim]. */
export function umapLayout(x: Points, options: UmapOptions = {}, onEpoch?: UmapEpochCallback): Points {
  const umap = createUmap(x, options);
  const total = umap.initializeFit(toRows(x));
  for (let epoch = 0; epoch < total;) {
    const next = umap.step();
    if (next === epoch) break;
    epoch = next;
    if (onEpoch?.(epoch, total) === false) break;
  }
  return pointsFromRows(umap.getEmbedding(), options.dim ?? 2);
}

/** {@link umapLayout} that yields to the event loop about every 50 ms (for pages and workers). */
export async function umapLayoutAsync(
  x: Points,
  options: UmapOptions = {},
  onEpoch?: UmapEpochCallback
): Promise<Points> {
  const umap = createUmap(x, options);
  const total = umap.initializeFit(toRows(x));
  let lastYield = Date.now();
  for (let epoch = 0; epoch < total;) {
    const next = umap.step();
    if (next === epoch) break;
    epoch = next;
    if (onEpoch?.(epoch, total) === false) break;
    if (Date.now() - lastYield > 50) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = Date.now();
    }
  }
  return pointsFromRows(umap.getEmbedding(), options.dim ?? 2);
}
