/**
 * The quality measures of core/embed/quality.ts on worker threads: the sampled queries go to one
 * worker per core in small chunks through a shared counter, each worker runs the same exact
 * kernels on its chunks and returns an integer total (penalty or hits), and the totals are added.
 * Integers add up to the same number in any order, so the results are the single-thread ones bit
 * for bit, on any number of threads. Node only.
 */
import {availableParallelism} from "node:os";
import type {Worker} from "node:worker_threads";

import {
  knnJob,
  runKnnJob,
  runTrustJob,
  trustFromPenalty,
  trustJob,
  type QualityMeasures,
  type QualityOptions
} from "../../core/embed/quality.js";
import type {SortedPoints} from "../../core/embed/qualityKernels.js";
import type {QualityReference} from "../../core/embed/qualityReference.js";
import type {QualityWorkerData} from "./qualityWorker.js";
import {siblingWorker} from "./workerUrl.js";

/** Fewer queries than this per thread are not worth starting workers for. */
const MIN_QUERIES_PER_THREAD = 64;

function shared<T extends Float64Array | Int32Array>(a: T): T {
  const out = new (a.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

// A reference is usually measured against several layouts: share its arrays once.
const sharedReferences = new WeakMap<QualityReference, QualityReference>();
function sharedReference(ref: QualityReference): QualityReference {
  let out = sharedReferences.get(ref);
  if (!out) {
    out = {...ref, data: shared(ref.data), projected: shared(ref.projected)};
    sharedReferences.set(ref, out);
  }
  return out;
}

const sharedPoints = (p: QualityReference | SortedPoints): QualityReference | SortedPoints =>
  "projected" in p ? sharedReference(p) : {...p, data: shared(p.data), order: shared(p.order), pos: shared(p.pos)};

/** Runs `job` on `threads` workers and adds up their totals. */
async function onWorkers(job: QualityWorkerData, threads: number): Promise<number> {
  const workers: Worker[] = [];
  try {
    const totals = await Promise.all(
      Array.from({length: threads}, () => {
        const worker = siblingWorker(import.meta.url, "qualityWorker", {workerData: job});
        workers.push(worker);
        return new Promise<number>((resolve, reject) => {
          worker.once("message", resolve);
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`quality worker exited with code ${code}`)));
        });
      })
    );
    return totals.reduce((a, b) => a + b, 0);
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** The quality measures on `threads` worker threads (default: the cores available). */
export function qualityPool(threads = availableParallelism()): QualityMeasures {
  const threadsFor = (queries: number) => Math.max(1, Math.min(threads, Math.floor(queries / MIN_QUERIES_PER_THREAD)));
  return {
    async trustworthiness(high, low, options: QualityOptions = {}) {
      const job = trustJob(high, low, options);
      const use = threadsFor(job.queries.length);
      if (job.kind === "brute" || use === 1) return runTrustJob(job, high, low);
      const penalty = await onWorkers(
        {
          kind: "trust",
          high: sharedReference(job.high),
          low: sharedPoints(job.low) as SortedPoints,
          queries: shared(job.queries),
          k: job.k,
          next: shared(new Int32Array(1))
        },
        use
      );
      return trustFromPenalty(penalty, job.queries.length, job.k, high.count);
    },
    async knnAccuracy(p, labels, options: QualityOptions = {}) {
      const job = knnJob(p, labels, options);
      const use = threadsFor(job.queries.length);
      if (job.kind === "brute" || use === 1) return runKnnJob(job, p, labels);
      const hits = await onWorkers(
        {
          kind: "knn",
          points: sharedPoints(job.points),
          labels: shared(Float64Array.from(labels)),
          queries: shared(job.queries),
          k: job.k,
          next: shared(new Int32Array(1))
        },
        use
      );
      return hits / job.queries.length;
    }
  };
}
