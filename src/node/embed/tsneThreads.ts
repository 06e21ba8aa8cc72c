/**
 * t-SNE's Barnes-Hut repulsion on several threads: this thread and `threads - 1` workers share
 * the tree and the layout (tsneShared.ts) and take the fixed runs of points of
 * core/embed/bhRepulsion.ts from one counter, each iteration started by a generation number and
 * joined with Atomics.wait, so `step()` stays synchronous. Whichever thread computes a run, its
 * numbers and the order they are added in are the same: the layout is the same bytes as on one
 * thread. Node only (the main thread of a page may not block in Atomics.wait). Where the native
 * addon is built, the iterations run there instead (./tsneNative.ts).
 */
import {availableParallelism} from "node:os";
import type {Worker} from "node:worker_threads";

import {
  attractionChunk,
  REPULSION_CHUNKS,
  repulsionChunk,
  type CsrRows,
  type ForceJob,
  type RepulsionRunner,
  type TreeView
} from "../../core/embed/bhRepulsion.js";
import {createNativeTsne} from "./tsneNative.js";
import {COMPLETED, createShared, FAILED, GEN, NEXT, NODES, sharedP, STOP} from "./tsneShared.js";
import {siblingWorker} from "./workerUrl.js";

/** A {@link RepulsionRunner} over worker threads, to pass to `new Tsne({repulsion})`; close it after the fit. */
export interface TsneThreads {
  runner: RepulsionRunner;
  /** Whether the iterations run in the native addon (./tsneNative.ts) rather than on worker threads. */
  native: boolean;
  /** Resolves once every worker started by the fit's `prepare` waits for work (rejects if one failed to start). */
  ready(): Promise<void>;
  /** Runs of points computed by the workers so far (the rest ran on the calling thread). */
  workerRuns(): number;
  close(): void;
}

/**
 * Threads for one t-SNE fit of `n` points in `dim` dimensions (default: one per core, this one
 * included). Where the native addon has t-SNE (and `native` is not false) whole iterations run
 * there on `threads` threads of its own pool, the same bytes several times faster. Otherwise the workers
 * start when the fit has computed P (`prepare`); until they are up, and for any later fit with the
 * same threads, the runs are computed on the calling thread.
 */
export function createTsneThreads(
  n: number,
  dim: 2 | 3,
  threads = availableParallelism(),
  {native = true}: {native?: boolean} = {}
): TsneThreads {
  const nativeRunner = native ? createNativeTsne(n, dim, {threads}) : undefined;
  if (nativeRunner) {
    const close = () => nativeRunner.close();
    return {runner: nativeRunner, native: true, ready: () => Promise.resolve(), workerRuns: () => 0, close};
  }
  const s = createShared(n, dim);
  const stack = new Int32Array(s.capacity);
  const workers: Worker[] = [];
  let workerRuns = 0;
  let prepared = false;
  let usable = false;
  let ready: Promise<void> = Promise.resolve();
  const start = () => {
    const started: Promise<void>[] = [];
    for (let w = 1; w < threads; w++) {
      const worker = siblingWorker(import.meta.url, "tsneWorker", {workerData: s});
      // A worker that fails to start only leaves more runs to this thread.
      started.push(
        new Promise((resolve, reject) => {
          worker.once("message", () => resolve());
          worker.once("error", reject);
        })
      );
      worker.unref();
      workers.push(worker);
    }
    ready = Promise.all(started).then(() => undefined);
    ready.catch(() => undefined);
  };
  const runner: RepulsionRunner = {
    prepare(p: CsrRows) {
      usable = !prepared && p.rowStart.length === n + 1;
      if (usable) {
        s.p = sharedP(p);
        start();
      }
      prepared = true;
    },
    run(job: ForceJob) {
      const {tree} = job;
      if (!usable || job.n !== n || tree.dim !== dim || tree.nodes > s.capacity) return false;
      const stride = dim + 2;
      s.y.set(job.y.subarray(0, n * dim));
      s.order.set(job.order.subarray(0, n));
      s.packed.set(tree.packed.subarray(0, tree.nodes * stride));
      s.firstChild.set(tree.firstChild.subarray(0, tree.nodes));
      s.params[0] = job.theta;
      Atomics.store(s.control, NODES, tree.nodes);
      // COMPLETED before NEXT: a late claim of the new iteration must count.
      s.chunkDone.fill(0);
      Atomics.store(s.control, COMPLETED, 0);
      Atomics.store(s.control, NEXT, 0);
      Atomics.add(s.control, GEN, 1);
      Atomics.notify(s.control, GEN);
      const view: TreeView = {dim, nodes: tree.nodes, packed: s.packed, firstChild: s.firstChild};
      let here = 0;
      for (; ; here++) {
        const chunk = Atomics.add(s.control, NEXT, 1);
        if (chunk >= REPULSION_CHUNKS) break;
        s.chunkSums[chunk] = repulsionChunk(view, s.y, s.order, n, job.theta, chunk, s.force, stack);
        attractionChunk(s.p, s.y, n, dim, chunk, s.attract);
        Atomics.store(s.chunkDone, chunk, 1);
        Atomics.add(s.control, COMPLETED, 1);
      }
      for (let done = Atomics.load(s.control, COMPLETED); done < REPULSION_CHUNKS;) {
        if (Atomics.load(s.control, FAILED) !== 0) {
          // A worker died: finish what is not done here (a run being finished by a live worker
          // meanwhile gets the same numbers), and go on without workers.
          usable = false;
          for (let c = 0; c < REPULSION_CHUNKS; c++) {
            if (Atomics.load(s.chunkDone, c) !== 0) continue;
            s.chunkSums[c] = repulsionChunk(view, s.y, s.order, n, job.theta, c, s.force, stack);
            attractionChunk(s.p, s.y, n, dim, c, s.attract);
          }
          break;
        }
        Atomics.wait(s.control, COMPLETED, done, 1000);
        done = Atomics.load(s.control, COMPLETED);
      }
      workerRuns += REPULSION_CHUNKS - here;
      job.repulsion.set(s.force.subarray(0, n * dim));
      job.attraction.set(s.attract.subarray(0, n * dim));
      job.chunkSums.set(s.chunkSums);
      return true;
    }
  };
  return {
    runner,
    native: false,
    ready: () => ready,
    workerRuns: () => workerRuns,
    close() {
      Atomics.store(s.control, STOP, 1);
      Atomics.add(s.control, GEN, 1);
      Atomics.notify(s.control, GEN);
      for (const w of workers) void w.terminate();
    }
  };
}
