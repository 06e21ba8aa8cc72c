/**
 * A worker thread of tsneThreads.ts: waits for each new iteration (the generation slot), takes
 * runs of points from the shared counter until none is left, and computes their forces into
 * the shared arrays. Parameters are read after each claim, so a late claim works on the current
 * iteration. Node only.
 */
import {parentPort, workerData} from "node:worker_threads";

import {attractionChunk, REPULSION_CHUNKS, repulsionChunk} from "../../core/embed/bhRepulsion.js";
import {COMPLETED, FAILED, GEN, NEXT, NODES, STOP, type TsneShared} from "./tsneShared.js";

const s = workerData as TsneShared;
const stack = new Int32Array(s.capacity);
let seen = 0;
parentPort?.postMessage("ready");
try {
  while (Atomics.load(s.control, STOP) === 0) {
    Atomics.wait(s.control, GEN, seen);
    seen = Atomics.load(s.control, GEN);
    for (;;) {
      const chunk = Atomics.add(s.control, NEXT, 1);
      if (chunk >= REPULSION_CHUNKS || Atomics.load(s.control, STOP) !== 0) break;
      const tree = {dim: s.dim, nodes: Atomics.load(s.control, NODES), packed: s.packed, firstChild: s.firstChild};
      s.chunkSums[chunk] = repulsionChunk(tree, s.y, s.order, s.n, s.params[0], chunk, s.force, stack);
      attractionChunk(s.p, s.y, s.n, s.dim, chunk, s.attract);
      Atomics.store(s.chunkDone, chunk, 1);
      Atomics.add(s.control, COMPLETED, 1);
      Atomics.notify(s.control, COMPLETED);
    }
  }
} catch (error) {
  // The calling thread must never wait for a run this worker took and will not finish.
  Atomics.store(s.control, FAILED, 1);
  Atomics.notify(s.control, COMPLETED);
  throw error;
}
