/**
 * A worker thread of knnPool.ts: takes column blocks from the shared counter until none is left,
 * fills its own candidate heaps, reports progress per block and sends the heaps back. Node only.
 */
import {parentPort, workerData} from "node:worker_threads";

import {accumulateBlock, blockPairs, createHeaps} from "../../core/embed/knnBlocks.js";

/** What knnPool.ts hands each worker (the arrays share memory between all of them). */
export interface KnnWorkerData {
  x: Float64Array<SharedArrayBuffer>;
  norms: Float64Array<SharedArrayBuffer>;
  n: number;
  dim: number;
  kk: number;
  /** Block numbers in the order to take them (largest first). */
  order: Int32Array<SharedArrayBuffer>;
  /** [0]: the next position in `order` to take. */
  next: Int32Array<SharedArrayBuffer>;
}

/** Messages to the pool: progress in pairs, then the heaps. */
export type KnnWorkerMessage =
  | {type: "progress"; pairs: number}
  | {type: "done"; heapD: Float64Array<ArrayBuffer>; heapI: Int32Array<ArrayBuffer>; size: Int32Array<ArrayBuffer>};

const data = workerData as KnnWorkerData;
const port = parentPort;
if (port) {
  const heaps = createHeaps(data.n, data.kk);
  for (;;) {
    const t = Atomics.add(data.next, 0, 1);
    if (t >= data.order.length) break;
    accumulateBlock(heaps, data.x, data.norms, data.dim, data.order[t]);
    port.postMessage({type: "progress", pairs: blockPairs(data.n, data.order[t])} satisfies KnnWorkerMessage);
  }
  const done: KnnWorkerMessage = {type: "done", heapD: heaps.heapD, heapI: heaps.heapI, size: heaps.size};
  port.postMessage(done, [heaps.heapD.buffer, heaps.heapI.buffer, heaps.size.buffer]);
}
