/**
 * A worker thread of qualityPool.ts: takes chunks of queries from the shared counter until none is
 * left, runs the exact kernels of core/embed/qualityKernels.ts on them and sends back its integer
 * total (trustworthiness penalty or kNN hits). Node only.
 */
import {parentPort, workerData} from "node:worker_threads";

import {knnHits, searchOf, trustPenaltySum, type SortedPoints} from "../../core/embed/qualityKernels.js";
import type {QualityReference} from "../../core/embed/qualityReference.js";

/** Queries a worker takes at a time. */
const QUALITY_CHUNK = 4;

/** What qualityPool.ts hands each worker (the arrays share memory between all of them). */
export type QualityWorkerData = {queries: Int32Array; k: number; next: Int32Array} & (
  | {kind: "trust"; high: QualityReference; low: SortedPoints}
  | {kind: "knn"; points: QualityReference | SortedPoints; labels: Float64Array}
);

/** Work on queries[from, to) of this worker's job. */
function chunkRunner(d: QualityWorkerData): (from: number, to: number) => number {
  if (d.kind === "trust") return (from, to) => trustPenaltySum(d.high, d.low, d.queries, from, to, d.k);
  const search = searchOf(d.points, d.k);
  return (from, to) => knnHits(search, d.labels, d.queries, from, to, d.k);
}

const data = workerData as QualityWorkerData;
const port = parentPort;
if (port) {
  const run = chunkRunner(data);
  let total = 0;
  for (;;) {
    const from = Atomics.add(data.next, 0, QUALITY_CHUNK);
    if (from >= data.queries.length) break;
    total += run(from, Math.min(data.queries.length, from + QUALITY_CHUNK));
  }
  port.postMessage(total);
}
