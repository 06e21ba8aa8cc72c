/**
 * t-SNE with its repulsion on two worker threads (the path without the native addon, which
 * tsneNative.test.ts covers) gives the same bytes as on one, on real data: the 64-d embeddings of
 * the first 1,000 test images from the shipped model, in 2-D and 3-D.
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";

import {exactKnn, type Neighbors} from "../../src/core/embed/knn.js";
import type {Points} from "../../src/core/embed/points.js";
import {Tsne} from "../../src/core/embed/tsne.js";
import {createRandom} from "../../src/core/random.js";
import {createTsneThreads} from "../../src/node/embed/tsneThreads.js";

const COUNT = 1000;
const haveModel = haveRealModel("tsneThreads.test.ts");

let x: Points;
let neighbors: Neighbors;

/** The layout, and how many runs of points the worker computed. */
async function layout(dim: 2 | 3, threads: number): Promise<{layout: Points; workerRuns: number}> {
  const pool = threads > 1 ? createTsneThreads(COUNT, dim, threads, {native: false}) : undefined;
  try {
    const tsne = new Tsne({dim, iterations: 150, random: createRandom(4), repulsion: pool?.runner});
    tsne.setPrecomputedKnn(neighbors);
    const total = tsne.initialize(x);
    // The workers start once P is known; wait for them so that they surely take part.
    await pool?.ready();
    for (let i = 0; i < total; i++) tsne.step();
    return {layout: tsne.getEmbedding(), workerRuns: pool?.workerRuns() ?? 0};
  } finally {
    pool?.close();
  }
}

describe.skipIf(!haveModel)(`t-SNE of ${COUNT} real embeddings on two threads`, () => {
  beforeAll(async () => {
    ({points: x} = await realEmbeddings(COUNT));
    neighbors = exactKnn(x, 90);
  }, 120_000);

  it.each([2, 3] as const)("gives the same bytes as one thread in %i-D", async (dim) => {
    const serial = (await layout(dim, 1)).layout;
    const {layout: parallel, workerRuns} = await layout(dim, 2);
    // The worker took part (it starts while the first iterations run here).
    expect(workerRuns).toBeGreaterThan(0);
    expect(parallel.count).toBe(COUNT);
    expect(Buffer.from(parallel.data.buffer).equals(Buffer.from(serial.data.buffer))).toBe(true);
    // And a layout that moved: not the 1e-4-wide initial one.
    expect(Math.max(...Array.from(serial.data, Math.abs))).toBeGreaterThan(1);
  });
});
