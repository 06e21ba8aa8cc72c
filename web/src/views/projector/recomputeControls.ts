/** The "Recompute" bar: runs our t-SNE or UMAP in a worker with a progress bar and a Cancel button. */
import type {ExportData} from "../../data/exportData.js";
import {h} from "../../ui/dom.js";
import {METHOD_NAMES, type Dim, type Method} from "./layouts.js";
import {startRecompute, type RecomputeJob} from "./recompute.js";

export interface RecomputeHandlers {
  /** The layout so far (t-SNE, every few iterations): [count, dim] in layout units. */
  live(method: "tsne" | "umap", dim: Dim, layout: Float32Array): void;
  done(method: "tsne" | "umap", dim: Dim, layout: Float32Array): void;
  cancelled(): void;
}

/** Steps per run: "quick" is about a third of the work (a rougher layout). */
const STEPS = {
  full: {tsne: 1000, umap: undefined},
  quick: {tsne: 300, umap: 100}
} as const;

const LIVE_EVERY = 25;

/** The page's `?knnWorkers=N` (whole N ≥ 1), else undefined: the recompute worker's own choice. */
function knnWorkersWanted(): number | undefined {
  const n = Number(new URLSearchParams(location.search).get("knnWorkers") ?? NaN);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

export function recomputeControls(
  data: ExportData,
  handlers: RecomputeHandlers
): {element: HTMLElement; refresh(method: Method, dim: Dim): void; stop(): void} {
  let method: Method = "pca";
  let dim: Dim = 2;
  let job: RecomputeJob | undefined;
  const start = h("button", {type: "button", class: "recompute-start"}, "Recompute");
  const steps = h(
    "select",
    {id: "recompute-steps"},
    h("option", {value: "quick"}, "Quick (t-SNE 300 iterations, UMAP 100 epochs)"),
    h("option", {value: "full"}, "Full (t-SNE 1,000 iterations, UMAP 200 epochs)")
  );
  const bar = h("progress", {max: 1, value: 0, "aria-label": "Recompute progress", hidden: true});
  const cancel = h("button", {type: "button", hidden: true}, "Cancel");
  const status = h("span", {class: "muted recompute-status", role: "status"});

  const idle = (message: string) => {
    job = undefined;
    bar.hidden = cancel.hidden = true;
    start.disabled = steps.disabled = !(method === "tsne" || method === "umap");
    status.textContent = message;
  };

  start.addEventListener("click", () => {
    if (job || !(method === "tsne" || method === "umap")) return;
    const m = method;
    const d = dim;
    const name = `${METHOD_NAMES[m]} ${d}-D`;
    start.disabled = steps.disabled = true;
    bar.hidden = cancel.hidden = false;
    bar.value = 0;
    status.textContent = `${name}: finding neighbours…`;
    job = startRecompute(
      {
        method: m,
        dim: d,
        embeddings: data.embeddings.slice(),
        embeddingDim: data.dim,
        iterations: STEPS[steps.value as keyof typeof STEPS][m],
        liveEvery: LIVE_EVERY,
        knnWorkers: knnWorkersWanted()
      },
      {
        onProgress: (phase, done, total, layout) => {
          // Neighbours are the first tenth of the bar.
          bar.value = phase === "neighbours" ? (0.1 * done) / total : 0.1 + (0.9 * done) / total;
          status.textContent =
            phase === "neighbours"
              ? `${name}: finding neighbours ${Math.round((100 * done) / total)}%`
              : `${name}: ${m === "tsne" ? "iteration" : "epoch"} ${done} of ${total}`;
          if (layout) handlers.live(m, d, layout);
        },
        onDone: (layout, seconds) => {
          idle(`${name} recomputed here in ${seconds.toFixed(1)} s.`);
          handlers.done(m, d, layout);
        },
        onError: (message) => idle(`Recompute failed: ${message}`)
      }
    );
  });
  cancel.addEventListener("click", () => {
    job?.cancel();
    idle("Cancelled.");
    handlers.cancelled();
  });

  const element = h(
    "div",
    {class: "recompute", role: "group", "aria-label": "Recompute the layout"},
    start,
    h("label", {for: "recompute-steps"}, "Steps ", steps),
    bar,
    cancel,
    status
  );
  return {
    element,
    refresh(m, d) {
      method = m;
      dim = d;
      start.textContent = m === "tsne" || m === "umap" ? `Recompute ${METHOD_NAMES[m]} ${d}-D` : "Recompute";
      if (!job) start.disabled = steps.disabled = !(m === "tsne" || m === "umap");
    },
    stop() {
      job?.cancel();
      job = undefined;
    }
  };
}
