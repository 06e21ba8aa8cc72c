/**
 * Web Worker: recomputes a t-SNE or UMAP layout of the 64-D embeddings with our own src/embed
 * code, reporting progress (and, for t-SNE, the layout so far) so the page stays responsive.
 */
import {exactKnn} from "../../../../src/embed/knn.js";
import {points} from "../../../../src/embed/points.js";
import {Tsne} from "../../../../src/embed/tsne.js";
import {umapLayoutAsync} from "../../../../src/embed/umap.js";
import type {RecomputeMessage, RecomputeRequest} from "./recomputeProtocol.js";

const UMAP_NEIGHBOURS = 15;

function post(message: RecomputeMessage, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(message, transfer);
}

const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function run(request: RecomputeRequest): Promise<Float32Array> {
  const x = points(request.embeddings, request.embeddingDim);
  const neighbourCount = request.method === "tsne" ? Math.floor(3 * 30) : UMAP_NEIGHBOURS - 1;
  const neighbours = exactKnn(x, neighbourCount, {
    onProgress: (done, total) => post({type: "progress", phase: "neighbours", done, total})
  });
  if (request.method === "umap") {
    const layout = await umapLayoutAsync(
      x,
      {dim: request.dim, nNeighbors: UMAP_NEIGHBOURS, neighbors: neighbours, nEpochs: request.iterations},
      (epoch, total) => {
        if (epoch % 5 === 0 || epoch === total) post({type: "progress", phase: "layout", done: epoch, total});
      }
    );
    return Float32Array.from(layout.data);
  }
  const tsne = new Tsne({dim: request.dim, iterations: request.iterations});
  tsne.setPrecomputedKnn(neighbours);
  const total = tsne.initialize(x);
  let lastYield = Date.now();
  for (let done = 1; done <= total; done++) {
    tsne.step();
    const live = request.liveEvery > 0 && done % request.liveEvery === 0 && done < total;
    if (live || done % 5 === 0) {
      const layout = live ? Float32Array.from(tsne.getEmbedding().data) : undefined;
      post({type: "progress", phase: "layout", done, total, layout}, layout ? [layout.buffer] : []);
    }
    if (Date.now() - lastYield > 100) {
      await yieldNow();
      lastYield = Date.now();
    }
  }
  return Float32Array.from(tsne.getEmbedding().data);
}

self.onmessage = (event: MessageEvent<RecomputeRequest>) => {
  const started = performance.now();
  run(event.data).then(
    (layout) => post({type: "done", layout, seconds: (performance.now() - started) / 1000}, [layout.buffer]),
    (error: unknown) => post({type: "error", message: error instanceof Error ? error.message : String(error)})
  );
};
