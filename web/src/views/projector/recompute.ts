/** Runs a t-SNE or UMAP recompute in a Web Worker; cancelling terminates the worker at once. */
import type {RecomputeMessage, RecomputeRequest} from "./recomputeProtocol.js";

export interface RecomputeCallbacks {
  onProgress(phase: "neighbours" | "layout", done: number, total: number, layout?: Float32Array): void;
  onDone(layout: Float32Array, seconds: number): void;
  onError(message: string): void;
}

export interface RecomputeJob {
  cancel(): void;
}

export function startRecompute(request: RecomputeRequest, callbacks: RecomputeCallbacks): RecomputeJob {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), {type: "module"});
  let finished = false;
  const finish = () => {
    finished = true;
    worker.terminate();
  };
  worker.onmessage = (event: MessageEvent<RecomputeMessage>) => {
    if (finished) return;
    const m = event.data;
    if (m.type === "progress") callbacks.onProgress(m.phase, m.done, m.total, m.layout);
    else if (m.type === "done") {
      finish();
      callbacks.onDone(m.layout, m.seconds);
    } else {
      finish();
      callbacks.onError(m.message);
    }
  };
  worker.onerror = (event) => {
    if (finished) return;
    finish();
    callbacks.onError(event.message || "the recompute worker failed to start");
  };
  worker.postMessage(request, [request.embeddings.buffer]);
  return {cancel: finish};
}
