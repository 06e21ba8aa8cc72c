/**
 * Nested Web Worker of the recompute worker (knnWorkers.ts): runs one part of the exact kNN (its
 * own copy of the coordinates, its own list of column blocks, core/embed/knnParts.ts), reports the
 * pairs of each block done and hands its candidate heaps back (transferred, not copied).
 */
import {knnCapacity, runKnnPart} from "../../../../src/core/embed/knnParts.js";
import type {KnnPartMessage, KnnPartRequest} from "./knnPartProtocol.js";

const post = (message: KnnPartMessage, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<KnnPartRequest>) => {
  const {coords, n, dim, k, blocks} = event.data;
  try {
    // Float32 → Float64 is exact: the same coordinates as exactKnn's asFloat64.
    const x = coords instanceof Float64Array ? coords : Float64Array.from(coords);
    const heaps = runKnnPart({x, n, dim, kk: knnCapacity(n, k), blocks}, (pairs) => post({type: "progress", pairs}));
    post({type: "done", heapD: heaps.heapD, heapI: heaps.heapI, size: heaps.size}, [
      heaps.heapD.buffer,
      heaps.heapI.buffer,
      heaps.size.buffer
    ]);
  } catch (error) {
    post({type: "error", message: error instanceof Error ? error.message : String(error)});
  }
};
