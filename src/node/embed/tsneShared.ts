/**
 * The memory the t-SNE repulsion threads share (tsneThreads.ts and tsneWorker.ts): the tree, the
 * layout and the results, sized once for `n` points, and a control block of Int32 slots for
 * Atomics. Node only.
 */
import {REPULSION_CHUNKS, type CsrRows} from "../../core/embed/bhRepulsion.js";

/** Slots of the control block. */
export const GEN = 0;
export const NEXT = 1;
export const COMPLETED = 2;
export const STOP = 3;
export const NODES = 4;
/** Set by a worker that failed: the caller finishes the runs not marked done and goes on alone. */
export const FAILED = 5;

/** Everything the threads share; the worker gets the same object through workerData. */
export interface TsneShared {
  n: number;
  dim: 2 | 3;
  /** Most tree nodes the shared copy holds (a larger tree runs on the calling thread). */
  capacity: number;
  control: Int32Array<SharedArrayBuffer>;
  /** [0]: theta. */
  params: Float64Array<SharedArrayBuffer>;
  y: Float64Array<SharedArrayBuffer>;
  order: Int32Array<SharedArrayBuffer>;
  packed: Float64Array<SharedArrayBuffer>;
  firstChild: Int32Array<SharedArrayBuffer>;
  force: Float64Array<SharedArrayBuffer>;
  attract: Float64Array<SharedArrayBuffer>;
  chunkSums: Float64Array<SharedArrayBuffer>;
  /** 1 for each run finished in the current iteration. */
  chunkDone: Int32Array<SharedArrayBuffer>;
  /** The fit's symmetric P (set before the workers start). */
  p: {
    rowStart: Int32Array<SharedArrayBuffer>;
    cols: Int32Array<SharedArrayBuffer>;
    values: Float64Array<SharedArrayBuffer>;
  };
}

const f64 = (length: number) => new Float64Array(new SharedArrayBuffer(8 * length));
const i32 = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));

/** Shared memory for `n` points in `dim` dimensions. */
export function createShared(n: number, dim: 2 | 3): TsneShared {
  // Measured on real embeddings the trees peak near 3.7n nodes in 2-D and 6.3n in 3-D (clusters
  // split deep, each split adds 4 or 8 cells): room for about twice that.
  const capacity = (dim === 2 ? 8 : 16) * n + 16;
  return {
    n,
    dim,
    capacity,
    control: i32(8),
    params: f64(1),
    y: f64(n * dim),
    order: i32(n),
    packed: f64(capacity * (dim + 2)),
    firstChild: i32(capacity),
    force: f64(n * dim),
    attract: f64(n * dim),
    chunkSums: f64(REPULSION_CHUNKS),
    chunkDone: i32(REPULSION_CHUNKS),
    p: {rowStart: i32(n + 1), cols: i32(0), values: f64(0)}
  };
}

/** Shared copies of P's arrays. */
export function sharedP(p: CsrRows): TsneShared["p"] {
  const rowStart = i32(p.rowStart.length);
  const cols = i32(p.cols.length);
  const values = f64(p.values.length);
  rowStart.set(p.rowStart);
  cols.set(p.cols);
  values.set(p.values);
  return {rowStart, cols, values};
}
