/**
 * The recompute itself, run by the worker: exact neighbours of the embeddings, then our t-SNE or
 * UMAP, reporting progress (and for t-SNE the layout so far). Isomorphic, so it is unit-tested in Node.
 */
import {exactKnn} from "../../../../src/core/embed/knn.js";
import {points} from "../../../../src/core/embed/points.js";
import {Tsne} from "../../../../src/core/embed/tsne.js";
import {umapLayoutAsync} from "../../../../src/core/embed/umap.js";
import type {RecomputeMessage, RecomputeRequest} from "./recomputeProtocol.js";

const UMAP_NEIGHBOURS = 15;
const PERPLEXITY = 30;

/** Sends a message; the buffers listed are handed over rather than copied. */
export type Post = (message: RecomputeMessage, transfer?: Transferable[]) => void;

const yieldNow = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs the request and returns the layout, [count, dim] row-major. */
export async function runRecompute(request: RecomputeRequest, post: Post): Promise<Float32Array> {
  const x = points(request.embeddings, request.embeddingDim);
  const neighbourCount = request.method === "tsne" ? Math.floor(3 * PERPLEXITY) : UMAP_NEIGHBOURS - 1;
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
  const tsne = new Tsne({dim: request.dim, perplexity: PERPLEXITY, iterations: request.iterations});
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
    // Lets the worker take messages now and then (none are expected, but it keeps the worker well-behaved).
    if (Date.now() - lastYield > 100) {
      await yieldNow();
      lastYield = Date.now();
    }
  }
  return Float32Array.from(tsne.getEmbedding().data);
}
