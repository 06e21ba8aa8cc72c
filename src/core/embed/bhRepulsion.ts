/**
 * The Barnes-Hut repulsion of t-SNE over a built {@link SpTree}, as free functions of the tree's
 * flat arrays so that worker threads can run them on a shared copy of the tree. The points are
 * cut into {@link REPULSION_CHUNKS} fixed runs of the tree's depth-first order; each run's sum of
 * q is added in point order and the runs' sums in run order, so the total is the same bytes
 * whichever thread computes which run. Isomorphic.
 */

/** Sparse rows (CSR) of P: row i's columns are cols[rowStart[i] .. rowStart[i + 1]). */
export interface CsrRows {
  rowStart: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** What a traversal reads from a built tree. */
export interface TreeView {
  dim: 2 | 3;
  nodes: number;
  /** [node, dim + 2]: centre of mass, count, squared side. */
  packed: Float64Array;
  /** First of a node's consecutive children, or -1 for a leaf. */
  firstChild: Int32Array;
}

/** Fixed number of runs the points are cut into (independent of the number of threads). */
export const REPULSION_CHUNKS = 32;

/** Points [from, to) of `order` that run `chunk` of `n` points covers. */
export function chunkRange(chunk: number, n: number): [number, number] {
  return [Math.floor((chunk * n) / REPULSION_CHUNKS), Math.floor(((chunk + 1) * n) / REPULSION_CHUNKS)];
}

/**
 * Computes the repulsion of the points of run `chunk` into `force` (sum_j q_ij^2 (y_i - y_j),
 * unnormalised) and returns their sum of q. `stack` needs a slot per tree node.
 */
export function repulsionChunk(
  tree: TreeView,
  y: Float64Array,
  order: Int32Array,
  n: number,
  theta: number,
  chunk: number,
  force: Float64Array,
  stack: Int32Array
): number {
  const [from, to] = chunkRange(chunk, n);
  const theta2 = theta * theta;
  let sumQ = 0;
  for (let m = from; m < to; m++) {
    const i = order[m];
    sumQ +=
      tree.dim === 2
        ? repulsion2(tree, y, i, theta2, force, i * 2, stack)
        : repulsion3(tree, y, i, theta2, force, i * 3, stack);
  }
  return sumQ;
}

/**
 * Barnes-Hut repulsion on point `i` in 2-D: sets force[offset..] to sum_j q_ij^2 (y_i - y_j) and
 * returns sum_j q_ij, treating a cell as one point when its side is below theta times its distance
 * to y_i. A leaf is always summarised by its centre of mass (exact for one point or identical
 * points); the leaf holding y_i itself counts without point i.
 */
export function repulsion2(
  tree: TreeView,
  y: Float64Array,
  i: number,
  theta2: number,
  force: Float64Array,
  offset: number,
  stack: Int32Array
): number {
  const {packed, firstChild} = tree;
  const yi0 = y[2 * i];
  const yi1 = y[2 * i + 1];
  let sumQ = 0;
  let f0 = 0;
  let f1 = 0;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top];
    const o = node * 4;
    const d0 = yi0 - packed[o];
    const d1 = yi1 - packed[o + 1];
    const dist2 = d0 * d0 + d1 * d1;
    const child = firstChild[node];
    if (child === -1 || packed[o + 3] < theta2 * dist2) {
      // A leaf at distance 0 is point i's own: it counts without i.
      const c = child === -1 && dist2 === 0 ? packed[o + 2] - 1 : packed[o + 2];
      const q = 1 / (1 + dist2);
      sumQ += c * q;
      const cqq = c * q * q;
      f0 += cqq * d0;
      f1 += cqq * d1;
    } else {
      for (let k = child; k < child + 4; k++) if (packed[k * 4 + 2] > 0) stack[top++] = k;
    }
  }
  force[offset] = f0;
  force[offset + 1] = f1;
  return sumQ;
}

/** {@link repulsion2} in 3-D (an octree). */
export function repulsion3(
  tree: TreeView,
  y: Float64Array,
  i: number,
  theta2: number,
  force: Float64Array,
  offset: number,
  stack: Int32Array
): number {
  const {packed, firstChild} = tree;
  const yi0 = y[3 * i];
  const yi1 = y[3 * i + 1];
  const yi2 = y[3 * i + 2];
  let sumQ = 0;
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let top = 0;
  stack[top++] = 0;
  while (top > 0) {
    const node = stack[--top];
    const o = node * 5;
    const d0 = yi0 - packed[o];
    const d1 = yi1 - packed[o + 1];
    const d2 = yi2 - packed[o + 2];
    const dist2 = d0 * d0 + d1 * d1 + d2 * d2;
    const child = firstChild[node];
    if (child === -1 || packed[o + 4] < theta2 * dist2) {
      const c = child === -1 && dist2 === 0 ? packed[o + 3] - 1 : packed[o + 3];
      const q = 1 / (1 + dist2);
      sumQ += c * q;
      const cqq = c * q * q;
      f0 += cqq * d0;
      f1 += cqq * d1;
      f2 += cqq * d2;
    } else {
      for (let k = child; k < child + 8; k++) if (packed[k * 5 + 3] > 0) stack[top++] = k;
    }
  }
  force[offset] = f0;
  force[offset + 1] = f1;
  force[offset + 2] = f2;
  return sumQ;
}

/**
 * The attraction of points [from, to) of run `chunk` in index order (which reads P front to back;
 * the tree's order made it three times slower): attract[i] = sum_j p_ij q_ij (y_i - y_j) over row
 * i of the sparse P, in the row's order.
 */
export function attractionChunk(
  p: CsrRows,
  y: Float64Array,
  n: number,
  dim: 2 | 3,
  chunk: number,
  attract: Float64Array
): void {
  const {rowStart, cols, values} = p;
  const [from, to] = chunkRange(chunk, n);
  for (let i = from; i < to; i++) {
    const oi = i * dim;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
      const oj = cols[e] * dim;
      const d0 = y[oi] - y[oj];
      const d1 = y[oi + 1] - y[oj + 1];
      const d2 = dim === 3 ? y[oi + 2] - y[oj + 2] : 0;
      const pq = values[e] / (1 + d0 * d0 + d1 * d1 + d2 * d2);
      a0 += pq * d0;
      a1 += pq * d1;
      a2 += pq * d2;
    }
    attract[oi] = a0;
    attract[oi + 1] = a1;
    if (dim === 3) attract[oi + 2] = a2;
  }
}

/** What one iteration's forces are computed from and into ([n, dim] each; sums per run). */
export interface ForceJob {
  tree: TreeView;
  y: Float64Array;
  order: Int32Array;
  n: number;
  theta: number;
  repulsion: Float64Array;
  attraction: Float64Array;
  chunkSums: Float64Array;
}

/** What a whole iteration works on in place ([n, dim] each, `order` [n]) and its parameters. */
export interface IterationJob {
  y: Float64Array;
  update: Float64Array;
  gains: Float64Array;
  /** The tree's point order of the last iteration (insertion order of the next build). */
  order: Int32Array;
  theta: number;
  exaggeration: number;
  momentum: number;
  learningRate: number;
}

/**
 * Computes the repulsion and attraction of every run, possibly on other threads. `prepare` gets
 * P once per fit; `run` returns false when it cannot (then the caller runs the runs itself).
 * `iterate`, where given, runs a whole iteration of Tsne.step instead (tree, forces, update and
 * centring, with the same arithmetic: src/node/embed/tsneNative.ts) and returns the sum of q, or
 * undefined when it cannot (then the caller runs the iteration itself).
 */
export interface RepulsionRunner {
  prepare(p: CsrRows): void;
  run(job: ForceJob): boolean;
  iterate?(job: IterationJob): number | undefined;
}

/** Computes every run on this thread. */
export function runAllChunks(job: ForceJob, p: CsrRows, dim: 2 | 3, stack: Int32Array): void {
  for (let c = 0; c < REPULSION_CHUNKS; c++) {
    job.chunkSums[c] = repulsionChunk(job.tree, job.y, job.order, job.n, job.theta, c, job.repulsion, stack);
    attractionChunk(p, job.y, job.n, dim, c, job.attraction);
  }
}

/** The total sum of q: the runs' sums in run order. */
export function totalQ(chunkSums: Float64Array): number {
  let sum = 0;
  for (let c = 0; c < REPULSION_CHUNKS; c++) sum += chunkSums[c];
  return sum;
}
