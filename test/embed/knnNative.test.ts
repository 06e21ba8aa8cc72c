/**
 * The native exact kNN (native/knn.cc, src/node/embed/knnNative.ts) on real data: the 64-d
 * embeddings of the first 2,000 test images from the shipped model. It must give the same bytes as
 * the JavaScript kNN on 1, 2 and 3 threads, for a row count that fills no tile evenly, and stop when
 * aborted; parallelKnn uses it. Runs where the addon can be built (libdnnl-dev installed), and then
 * fails if `npm run build` has not built it.
 */
import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";
import {DNNL_INSTALLED} from "../helpers/kernelCheck.js";

import {exactKnn, type Neighbors} from "../../src/core/embed/knn.js";
import type {Points} from "../../src/core/embed/points.js";
import {InterruptedError} from "../../src/core/errors.js";
import {parallelKnn} from "../../src/node/embed/knnPool.js";
import {nativeKnn, nativeKnnAvailable} from "../../src/node/embed/knnNative.js";

const COUNT = 2000;
const haveModel = haveRealModel("knnNative.test.ts");

let x: Points;

const firstRows = (p: Points, n: number): Points => ({data: p.data.subarray(0, n * p.dim), count: n, dim: p.dim});
const bytes = (nb: Neighbors) => [Buffer.from(nb.indices.buffer), Buffer.from(nb.distances.buffer)];

describe.skipIf(!DNNL_INSTALLED || !haveModel)(`native exact kNN of ${COUNT} real embeddings`, () => {
  beforeAll(async () => {
    ({points: x} = await realEmbeddings(COUNT));
  }, 120_000);

  it("is in the addon (built by `npm run build`)", () => {
    expect(nativeKnnAvailable(), "native/build/fmnist_native.node lacks kNN: run `npm run build`").toBe(true);
  });

  it("gives the same bytes as the JavaScript kNN on 1, 2 and 3 threads, and parallelKnn uses it", async () => {
    for (const [n, k] of [
      [COUNT, 90],
      [1337, 14]
    ] as const) {
      const points = firstRows(x, n);
      const want = bytes(exactKnn(points, k));
      for (const threads of [1, 2, 3]) {
        let progress = 0;
        const got = await nativeKnn(points, k, {threads, onProgress: (done, total) => (progress = done / total)});
        expect(got, "the addon has kNN").toBeDefined();
        expect(bytes(got as Neighbors), `${n} points, k ${k}, ${threads} threads`).toEqual(want);
        expect(progress).toBe(1);
      }
      expect(bytes(await parallelKnn(points, k))).toEqual(want);
    }
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    const run = nativeKnn(x, 90, {signal: controller.signal, onProgress: () => controller.abort()});
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
  });
});
