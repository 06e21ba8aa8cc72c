/**
 * The blocked exact kNN on real data: the 64-d embeddings of the first 2,000 test images from the
 * shipped model. On one thread and over worker threads (the native path: knnNative.test.ts) it must give the same bytes, and the
 * neighbours of a plain sort of all distances (difference form, ties: lower index first).
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";

import {exactKnn} from "../../src/core/embed/knn.js";
import type {Points} from "../../src/core/embed/points.js";
import {InterruptedError} from "../../src/core/errors.js";
import {parallelKnn} from "../../src/node/embed/knnPool.js";

const COUNT = 2000;
const K = 90;
const haveModel = haveRealModel("knnPool.test.ts");

let x: Points;

/** The `k` nearest other points of row `i` by sorting all distances. */
function naive(i: number, k: number): {j: number; d: number}[] {
  const all: {j: number; d: number}[] = [];
  for (let j = 0; j < x.count; j++) {
    if (j === i) continue;
    let s = 0;
    for (let d = 0; d < x.dim; d++) s += (x.data[i * x.dim + d] - x.data[j * x.dim + d]) ** 2;
    all.push({j, d: Math.sqrt(s)});
  }
  return all.sort((a, b) => a.d - b.d || a.j - b.j).slice(0, k);
}

describe.skipIf(!haveModel)(`exact kNN of ${COUNT} real embeddings`, () => {
  beforeAll(async () => {
    ({points: x} = await realEmbeddings(COUNT));
  }, 120_000);

  it("finds the neighbours of a plain sort of all distances, on one thread and on two", async () => {
    const serial = exactKnn(x, K);
    let progress = 0;
    const parallel = await parallelKnn(x, K, {
      threads: 2,
      native: false,
      onProgress: (done, total) => (progress = done / total)
    });
    expect(progress).toBe(1);
    expect(Buffer.from(parallel.indices.buffer)).toEqual(Buffer.from(serial.indices.buffer));
    expect(Buffer.from(parallel.distances.buffer)).toEqual(Buffer.from(serial.distances.buffer));
    let mismatched = 0;
    let far = 0;
    // Every 5th row against a plain sort (the whole table would take long at test speed).
    for (let i = 0; i < COUNT; i += 5) {
      const want = naive(i, K);
      for (let t = 0; t < K; t++) {
        if (Math.abs(serial.distances[i * K + t] - want[t].d) > 1e-9 * want[t].d) far++;
        if (serial.indices[i * K + t] !== want[t].j) mismatched++;
      }
    }
    expect(far).toBe(0);
    // Real embeddings have no exact ties here: every index matches.
    expect(mismatched).toBe(0);
  });

  it("stops its workers when aborted", async () => {
    const controller = new AbortController();
    const run = parallelKnn(x, K, {
      threads: 2,
      native: false,
      signal: controller.signal,
      onProgress: () => controller.abort()
    });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
  });
});
