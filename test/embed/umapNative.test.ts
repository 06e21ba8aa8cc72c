/**
 * UMAP's batch-mode epochs in the native addon (native/umap.cc, src/node/embed/umapNative.ts), on
 * real data: the 64-d embeddings of the first 2,000 test images from the shipped model. The layout
 * is the same bytes on 1, 2 and 3 threads, in 2-D and 3-D; it matches the JavaScript path in
 * quality (not in bytes: exp and log round differently in V8 and glibc). Runs where the addon can
 * be built (libdnnl-dev installed), and then fails if `npm run build` has not built it.
 */
import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";
import {DNNL_INSTALLED} from "../helpers/kernelCheck.js";

import {exactKnn, type Neighbors} from "../../src/core/embed/knn.js";
import type {Points} from "../../src/core/embed/points.js";
import {knnAccuracy, trustworthiness} from "../../src/core/embed/quality.js";
import {umapLayout, umapLayoutAsync} from "../../src/core/embed/umap.js";
import {createRandom} from "../../src/core/random.js";
import {loadNativeAddon} from "../../src/node/backend/nativeAddon.js";
import {createNativeUmap, nativeUmapAvailable} from "../../src/node/embed/umapNative.js";

const COUNT = 2000;
const haveModel = haveRealModel("umapNative.test.ts");

let x: Points;
let labels: Uint8Array;
let neighbors: Neighbors;

const sameBytes = (a: Points, b: Points) => Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer));

/** The layout on the JavaScript path, or natively on `threads` threads. */
function layout(dim: 2 | 3, threads?: number): Points {
  const runner = threads ? createNativeUmap({threads}) : undefined;
  if (threads) expect(runner).toBeDefined();
  try {
    return umapLayout(x, {dim, neighbors, random: createRandom(5), runner});
  } finally {
    runner?.close();
  }
}

const quality = (p: Points) => ({
  trust: trustworthiness(x, p, {k: 10, sample: 1000, random: createRandom(7)}),
  accuracy: knnAccuracy(p, labels, {k: 10, sample: COUNT, random: createRandom(8)})
});

describe.skipIf(!DNNL_INSTALLED || !haveModel)(`native UMAP of ${COUNT} real embeddings`, () => {
  beforeAll(async () => {
    ({points: x, labels} = await realEmbeddings(COUNT));
    neighbors = exactKnn(x, 14);
  }, 120_000);

  it("is in the addon (built by `npm run build`)", () => {
    expect(nativeUmapAvailable(), "native/build/fmnist_native.node lacks UMAP: run `npm run build`").toBe(true);
  });

  it("gives the same bytes on 1, 2 and 3 threads, in 2-D and 3-D", () => {
    for (const dim of [2, 3] as const) {
      const one = layout(dim, 1);
      expect(one.dim).toBe(dim);
      expect(sameBytes(one, layout(dim, 2)), `${dim}-D, 2 threads`).toBe(true);
      expect(sameBytes(one, layout(dim, 3)), `${dim}-D, 3 threads`).toBe(true);
    }
  });

  it("matches the JavaScript path in quality", () => {
    const js = quality(layout(2));
    const native = quality(layout(2, 2));
    console.log(
      `UMAP of ${COUNT}: JavaScript ${js.trust.toFixed(4)} / ${(js.accuracy * 100).toFixed(2)} %, ` +
        `native ${native.trust.toFixed(4)} / ${(native.accuracy * 100).toFixed(2)} %`
    );
    expect(native.trust).toBeGreaterThan(0.985);
    expect(Math.abs(native.trust - js.trust)).toBeLessThan(0.003);
    expect(Math.abs(native.accuracy - js.accuracy)).toBeLessThan(0.015);
  });

  it("stops at the epoch where the callback says so, and frees its workspace on close", async () => {
    const runner = createNativeUmap({threads: 2});
    const seen: number[] = [];
    await umapLayoutAsync(x, {neighbors, random: createRandom(5), runner}, (epoch) => {
      seen.push(epoch);
      return epoch < 7;
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
    runner?.close();
    const addon = loadNativeAddon();
    const rows = Int32Array.of(0, 1, 2);
    const handle = addon?.umapWorkspace?.(2, rows, Int32Array.of(1, 0), Float64Array.of(1, 1), 1.5, 0.9, 3);
    expect(handle).toBeDefined();
    addon?.umapRelease?.(handle as object);
    const y = new Float64Array(4);
    const two = new Float64Array(2);
    expect(() =>
      addon?.umapEpoch?.(handle as object, 0, 1, 0.5, 0.1, y, two, two, new Float64Array(4), new Float64Array(4), y, 1)
    ).toThrow(/released/);
  });
});
