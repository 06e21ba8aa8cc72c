/**
 * t-SNE's iterations in the native addon (native/tsne.cc, src/node/embed/tsneNative.ts) give the
 * same bytes as the JavaScript path, on real data: the 64-d embeddings of the first 2,000 test
 * images from the shipped model (2-D, the default 1,000 iterations) and of the first 1,000 (3-D),
 * on one and two threads, with and without the AVX2 copy of the forces. Runs where the addon can be
 * built (libdnnl-dev installed), and then fails if `npm run build` has not built it.
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";
import {DNNL_INSTALLED} from "../helpers/kernelCheck.js";

import {exactKnn, type Neighbors} from "../../src/core/embed/knn.js";
import type {Points} from "../../src/core/embed/points.js";
import {knnAccuracy, trustworthiness} from "../../src/core/embed/quality.js";
import {Tsne, type TsneOptions} from "../../src/core/embed/tsne.js";
import {symmetricP} from "../../src/core/embed/tsneAffinities.js";
import {createRandom} from "../../src/core/random.js";
import {createNativeTsne, loadTsneAddon, type NativeTsneOptions} from "../../src/node/embed/tsneNative.js";
import {createTsneThreads} from "../../src/node/embed/tsneThreads.js";

const COUNT = 2000;
const haveModel = haveRealModel("tsneNative.test.ts");

let x: Points;
let labels: Uint8Array;
let neighbors: Neighbors;

const firstRows = (p: Points, n: number): Points => ({data: p.data.subarray(0, n * p.dim), count: n, dim: p.dim});
const sameBytes = (a: Points, b: Points) => Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer));

/** The layout of the first `n` points, on the JavaScript path or natively with `native` options. */
function layout(n: number, options: TsneOptions, native?: NativeTsneOptions): Points {
  const repulsion = native ? createNativeTsne(n, options.dim ?? 2, native) : undefined;
  if (native) expect(repulsion).toBeDefined();
  try {
    const tsne = new Tsne({...options, random: createRandom(4), repulsion});
    tsne.setPrecomputedKnn(n === COUNT ? neighbors : exactKnn(firstRows(x, n), 90));
    return tsne.fit(firstRows(x, n));
  } finally {
    repulsion?.close();
  }
}

describe.skipIf(!DNNL_INSTALLED || !haveModel)(`native t-SNE of ${COUNT} real embeddings`, () => {
  beforeAll(async () => {
    ({points: x, labels} = await realEmbeddings(COUNT));
    neighbors = exactKnn(x, 90);
  }, 120_000);

  it("is in the addon (built by `npm run build`), and createTsneThreads uses it", () => {
    expect(loadTsneAddon(), "native/build/fmnist_native.node lacks t-SNE: run `npm run build`").toBeDefined();
    const threads = createTsneThreads(COUNT, 2);
    expect(threads.native).toBe(true);
    threads.close();
  });

  it("gives the same bytes as JavaScript in 2-D, on 1 and 2 threads, with and without AVX2", () => {
    const js = layout(COUNT, {});
    const one = layout(COUNT, {}, {threads: 1, simd: false});
    const two = layout(COUNT, {}, {threads: 2, simd: true});
    expect(sameBytes(one, js)).toBe(true);
    expect(sameBytes(two, js)).toBe(true);
    // A real layout, of the quality t-SNE has on these points (shared by both paths, being the same bytes).
    expect(Math.max(...Array.from(js.data, Math.abs))).toBeGreaterThan(10);
    expect(trustworthiness(x, js, {k: 10, sample: 1000, random: createRandom(7)})).toBeGreaterThan(0.99);
    expect(knnAccuracy(js, labels, {k: 10, sample: 2000, random: createRandom(8)})).toBeGreaterThan(0.85);
  }, 120_000);

  it("gives the same bytes as JavaScript in 3-D", () => {
    const options: TsneOptions = {dim: 3, iterations: 300};
    const js = layout(1000, options);
    expect(sameBytes(layout(1000, options, {threads: 2}), js)).toBe(true);
    expect(sameBytes(layout(1000, options, {threads: 1, simd: false}), js)).toBe(true);
  }, 120_000);

  it("stops when fitAsync's callback says so, and the layout is then that iteration's", async () => {
    const runner = createNativeTsne(COUNT, 2);
    const tsne = new Tsne({random: createRandom(4), repulsion: runner});
    tsne.setPrecomputedKnn(neighbors);
    const stopped = await tsne.fitAsync(x, (iteration) => iteration < 40);
    runner?.close();
    expect(tsne.getIteration()).toBe(40);
    expect(sameBytes(stopped, layout(COUNT, {iterations: 40}))).toBe(true);
  });

  it("rejects a P that does not fit, an order that is no permutation and a released workspace", () => {
    const addon = loadTsneAddon();
    if (!addon) throw new Error("no native t-SNE");
    const p = symmetricP({...neighbors, count: 100, indices: neighbors.indices.map((j) => j % 100)}, 30);
    const badCols = p.cols.slice();
    badCols[3] = 100;
    expect(() => addon.tsneWorkspace(2, p.rowStart, badCols, p.values, true)).toThrow(/bad column/);
    const workspace = addon.tsneWorkspace(2, p.rowStart, p.cols, p.values, true);
    const y = new Float64Array(200).map((_, t) => Math.sin(t));
    const order = Int32Array.from({length: 100}, (_, i) => i);
    order[5] = 6;
    const state = () => [new Float64Array(200), new Float64Array(200).fill(1)] as const;
    expect(() => addon.tsneStep(workspace, y, ...state(), order, 0.5, 12, 0.5, 50, 1)).toThrow(/permutation/);
    expect(() => addon.tsneStep(workspace, y.subarray(2), ...state(), order, 0.5, 12, 0.5, 50, 1)).toThrow(/match/);
    order[5] = 5;
    expect(addon.tsneStep(workspace, y, ...state(), order, 0.5, 12, 0.5, 50, 2)).toBeGreaterThan(0);
    addon.tsneRelease(workspace);
    expect(() => addon.tsneStep(workspace, y, ...state(), order, 0.5, 12, 0.5, 50, 2)).toThrow(/released/);
  });
});
