/**
 * The recompute itself, run by the worker: our t-SNE or UMAP of the embeddings through the same
 * computeProjections as `fmnist export` (exact neighbours first), reporting progress and, for
 * t-SNE, the layout so far. Isomorphic, so it is unit-tested in Node; the worker passes the
 * neighbour search over nested workers (knnWorkers.ts), which gives the same bytes.
 */
import type {Progress} from "../../../../src/core/effects.js";
import {points} from "../../../../src/core/embed/points.js";
import {computeProjections, type ProjectionOptions} from "../../../../src/core/embed/projections.js";
import type {RecomputeMessage, RecomputeRequest} from "./recomputeProtocol.js";

/** The export's seed: the same request gives the same layout. */
const SEED = 42;

/** Sends a message; the buffers listed are handed over rather than copied. */
export type Post = (message: RecomputeMessage, transfer?: Transferable[]) => void;

/** Progress as worker messages: the neighbour search, then the layout's iterations or epochs. */
function progressPoster(post: Post): Progress {
  let phase: "neighbours" | "layout" = "neighbours";
  let total = 0;
  let done = 0;
  return {
    start(label, t) {
      phase = label === "nearest neighbours" ? "neighbours" : "layout";
      total = t;
      done = 0;
    },
    update(d) {
      done = d;
      post({type: "progress", phase, done, total});
    },
    stop() {
      if (done < total) post({type: "progress", phase, done: total, total});
    }
  };
}

/** Runs the request and returns the layout, [count, dim] row-major. */
export async function runRecompute(
  request: RecomputeRequest,
  post: Post,
  knn?: ProjectionOptions["knn"]
): Promise<Float32Array> {
  const x = points(request.embeddings, request.embeddingDim);
  const result = await computeProjections(x, new Uint8Array(x.count), {
    projections: [request.method],
    dims: [request.dim],
    seed: SEED,
    tsneIterations: request.iterations,
    umapEpochs: request.method === "umap" ? request.iterations : undefined,
    quality: false,
    progress: progressPoster(post),
    knn,
    onTsneIteration(_dim, iteration, layout) {
      const total = request.iterations ?? 1000;
      if (request.liveEvery > 0 && iteration % request.liveEvery === 0 && iteration < total) {
        const live = Float32Array.from(layout().data);
        post({type: "progress", phase: "layout", done: iteration, total, layout: live}, [live.buffer]);
      }
    }
  });
  const layout = result.results[0].layouts[request.dim];
  if (!layout) throw new Error(`no ${request.dim}-D ${request.method} layout was computed`);
  return Float32Array.from(layout.data);
}
