/** Web Worker: recomputes a t-SNE or UMAP layout off the page's thread (see recomputeJob.ts). */
import {workersKnn} from "./knnWorkers.js";
import {runRecompute, type Post} from "./recomputeJob.js";
import type {RecomputeRequest} from "./recomputeProtocol.js";

const post: Post = (message, transfer = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<RecomputeRequest>) => {
  const started = performance.now();
  runRecompute(event.data, post, (x, k, options) =>
    workersKnn(x, k, {...options, maxWorkers: event.data.knnWorkers})
  ).then(
    (layout) => post({type: "done", layout, seconds: (performance.now() - started) / 1000}, [layout.buffer]),
    (error: unknown) => post({type: "error", message: error instanceof Error ? error.message : String(error)})
  );
};
