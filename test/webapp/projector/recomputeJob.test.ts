import {describe, expect, it} from "vitest";

import type {RecomputeMessage, RecomputeRequest} from "../../../web/src/views/projector/recomputeProtocol.js";
import {runRecompute} from "../../../web/src/views/projector/recomputeJob.js";
import {firstTestImages} from "./testImages.js";

const {vectors, labels, dim} = firstTestImages(300);

/** Share of points whose nearest other point in the layout has the same label. */
function nearestSameLabel(layout: Float32Array, d: number): number {
  const n = layout.length / d;
  let same = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += (layout[i * d + k] - layout[j * d + k]) ** 2;
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    if (labels[best] === labels[i]) same++;
  }
  return same / n;
}

/** Recomputes a layout of the 300 images; returns it with every message the job posted. */
async function recompute(request: Omit<RecomputeRequest, "embeddings" | "embeddingDim">) {
  const messages: RecomputeMessage[] = [];
  const layout = await runRecompute({...request, embeddings: vectors.slice(), embeddingDim: dim}, (m) =>
    messages.push(m)
  );
  return {layout, messages};
}

describe("projector recompute job", () => {
  it("runs t-SNE with neighbour and layout progress and live layouts, and keeps classes together", async () => {
    const {layout, messages} = await recompute({method: "tsne", dim: 2, iterations: 300, liveEvery: 100});
    expect(layout).toHaveLength(300 * 2);
    expect(layout.every(Number.isFinite)).toBe(true);
    const progress = messages.filter((m) => m.type === "progress");
    expect(progress[0]).toMatchObject({phase: "neighbours"});
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({phase: "layout", done: 300, total: 300});
    const live = progress.filter((m) => m.layout);
    expect(live.map((m) => m.done)).toEqual([100, 200]);
    expect(live[0].layout).toHaveLength(600);
    // Raw pixels of 10 classes: the nearest point shares the label far more often than chance (10%).
    expect(nearestSameLabel(layout, 2)).toBeGreaterThan(0.6);
  });

  it("runs a 3-D UMAP with epoch progress", async () => {
    const {layout, messages} = await recompute({method: "umap", dim: 3, iterations: 100, liveEvery: 0});
    expect(layout).toHaveLength(300 * 3);
    const epochs = messages.flatMap((m) => (m.type === "progress" && m.phase === "layout" ? [m.done] : []));
    expect(epochs[epochs.length - 1]).toBe(100);
    expect(nearestSameLabel(layout, 3)).toBeGreaterThan(0.6);
  });
});
