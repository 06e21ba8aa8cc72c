/**
 * The exact kNN split into parts that run apart (the browser's nested Web Workers, which share no
 * memory without cross-origin isolation, so each gets its own copy of the coordinates and a fixed
 * list of column blocks): {@link partBlocks} deals the blocks out, {@link runKnnPart} fills one
 * part's candidate heaps, and {@link finishKnn} merges the parts. Each pair is measured once, in
 * its block, by the same kernel as on one thread, and a heap keeps the smallest candidates by
 * (distance, index) whatever order they come in, so the merge is the same bytes as
 * {@link exactKnn}. Isomorphic.
 */
import {KNN_EXTRA} from "./knn.js";
import {accumulateBlock, blockCount, blockPairs, createHeaps, squaredNorms, type KnnHeaps} from "./knnBlocks.js";

/** Candidates kept per row for `k` neighbours of `n` points (what exactKnn keeps). */
export function knnCapacity(n: number, k: number): number {
  return Math.min(n - 1, k + KNN_EXTRA);
}

/**
 * The column blocks of each of `parts` parts for `n` points: largest block first, each to the part
 * with the fewest pairs so far (ties: the lower part), so that the parts finish close together.
 * Parts beyond the number of blocks get none.
 */
export function partBlocks(n: number, parts: number): number[][] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new RangeError(`kNN: need a whole number of parts ≥ 1; got ${parts}`);
  const out: number[][] = Array.from({length: parts}, () => []);
  const load = new Array<number>(parts).fill(0);
  for (let b = blockCount(n) - 1; b >= 0; b--) {
    let least = 0;
    for (let q = 1; q < parts; q++) if (load[q] < load[least]) least = q;
    out[least].push(b);
    load[least] += blockPairs(n, b);
  }
  return out;
}

/** What one part needs: the coordinates ([n, dim], row-major) and its blocks. */
export interface KnnPart {
  x: Float64Array;
  n: number;
  dim: number;
  /** Candidates per row ({@link knnCapacity}). */
  kk: number;
  blocks: readonly number[];
}

/** Runs one part into fresh heaps; `onBlock` hears the pairs of each block as it is done. */
export function runKnnPart(part: KnnPart, onBlock?: (pairs: number) => void): KnnHeaps {
  const norms = squaredNorms(part.x, part.n, part.dim);
  const heaps = createHeaps(part.n, part.kk);
  for (const b of part.blocks) {
    accumulateBlock(heaps, part.x, norms, part.dim, b);
    onBlock?.(blockPairs(part.n, b));
  }
  return heaps;
}
