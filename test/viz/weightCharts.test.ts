/** Weight pictures of the Model view, on the shipped model's real weights. */
import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadModel} from "../../src/node/model/io.js";
import {
  binCount,
  describeWeights,
  divergingColor,
  histogram,
  histogramSvg,
  kernelGrid,
  kernelTiles,
  weightStats
} from "../../src/core/viz/weightCharts.js";

const MODEL_DIR = new URL("../../models/fashion-cnn", import.meta.url).pathname;

let model: tf.LayersModel;
const weightsOf = (layer: string, i: number) => model.getLayer(layer).getWeights()[i];

beforeAll(async () => {
  await selectBackend("wasm");
  model = await loadModel(MODEL_DIR);
});
afterAll(() => model?.dispose());

describe("weightStats and histogram", () => {
  it("agree with TF.js on the dense kernel", () => {
    const kernel = weightsOf("dense", 0);
    const values = kernel.dataSync() as Float32Array;
    const s = weightStats(values);
    const moments = tf.moments(kernel);
    expect(s.count).toBe(640);
    expect(s.min).toBeCloseTo(tf.min(kernel).dataSync()[0], 6);
    expect(s.max).toBeCloseTo(tf.max(kernel).dataSync()[0], 6);
    expect(s.mean).toBeCloseTo(moments.mean.dataSync()[0], 5);
    expect(s.std).toBeCloseTo(Math.sqrt(moments.variance.dataSync()[0]), 5);
    const h = histogram(values, 40);
    expect(h.counts).toHaveLength(40);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(640);
    expect(h.min).toBe(s.min);
    expect(h.max).toBeCloseTo(s.max, 6);
    // Each bin holds exactly the values inside its edges (the maximum in the last).
    h.counts.forEach((count, i) => {
      const lo = h.min + i * h.binWidth;
      const hi = lo + h.binWidth;
      const inside = values.filter((v) => v >= lo - 1e-9 && (i === 39 ? v <= hi + 1e-9 : v < hi - 1e-9)).length;
      expect(Math.abs(count - inside)).toBeLessThanOrEqual(1); // float edges may move one value over
    });
    expect(describeWeights("dense kernel", [64, 10], s)).toMatch(/^dense kernel: 640 values, shape \[64, 10\], from -/);
  });

  it("keeps a constant input in one bin and picks fewer bins for few values", () => {
    const h = histogram(new Float32Array(12).fill(0.5), 8);
    expect(h.counts[0]).toBe(12);
    expect(h.counts.slice(1).every((c) => c === 0)).toBe(true);
    expect(binCount(10)).toBe(6);
    expect(binCount(64)).toBe(16);
    expect(binCount(36_864)).toBe(40);
    expect(binCount(1)).toBe(5);
  });

  it("draws one bar per bin in the SVG, with the title escaped", () => {
    const bias = weightsOf("dense", 1).dataSync() as Float32Array;
    const svg = histogramSvg(bias, "bias <10>");
    expect(svg.match(/fill="#4c78a8"/g)).toHaveLength(binCount(10));
    expect(svg).toContain("bias &lt;10&gt;");
    expect(svg).toContain("weight value");
  });
});

describe("kernelTiles and kernelGrid", () => {
  it("takes each filter's 3×3 kernel of one input channel or their mean, as TF.js slicing does", () => {
    const kernel = weightsOf("conv2d_1", 0); // [3, 3, 64, 64]
    const values = kernel.dataSync() as Float32Array;
    const mean = kernelTiles(values, kernel.shape, "mean");
    const expectedMean = tf.transpose(tf.mean(kernel, 2), [2, 0, 1]).arraySync() as number[][][];
    expect(mean).toHaveLength(64);
    for (const o of [0, 17, 63]) {
      expect(Array.from(mean[o])).toEqual(expectedMean[o].flat().map((v) => expect.closeTo(v, 6)));
    }
    const channel5 = kernelTiles(values, kernel.shape, 5);
    const slice = tf.transpose(tf.squeeze(tf.slice(kernel, [0, 0, 5, 0], [3, 3, 1, 64]), [2]), [2, 0, 1]);
    const expected = slice.arraySync() as number[][][];
    expect(Array.from(channel5[9])).toEqual(expected[9].flat().map((v) => expect.closeTo(v, 7)));
    expect(() => kernelTiles(values, kernel.shape, 64)).toThrow(RangeError);
  });

  it("lays 64 filters out 8 by 8 on a scale symmetric about zero", () => {
    const kernel = weightsOf("conv2d", 0); // [3, 3, 1, 64]
    const tiles = kernelTiles(kernel.dataSync() as Float32Array, kernel.shape, 0);
    const grid = kernelGrid(tiles, 3, 3, 8, 3);
    expect([grid.columns, grid.rows]).toEqual([8, 8]);
    expect([grid.raster.width, grid.raster.height]).toEqual([8 * 24 + 21, 8 * 24 + 21]);
    expect(grid.limit).toBeCloseTo(tf.max(tf.abs(kernel)).dataSync()[0], 6);
    // The first weight of filter 0 is the top-left tile's top-left 8×8 block.
    const pixel = Array.from(grid.raster.data.subarray(0, 3));
    expect(pixel).toEqual(divergingColor(tiles[0][0], grid.limit));
    // Gaps are mid-grey, so tiles of near-zero (white) weights stay apart.
    expect(Array.from(grid.raster.data.subarray(24 * 3, 24 * 3 + 3))).toEqual([160, 160, 160]);
  });

  it("colours negative blue, zero near white and positive red", () => {
    const [nr, , nb] = divergingColor(-1, 1);
    const [pr, , pb] = divergingColor(2, 1);
    expect(nb).toBeGreaterThan(nr);
    expect(pr).toBeGreaterThan(pb);
    expect(divergingColor(0, 1)).toEqual([247, 247, 247]);
    expect(divergingColor(5, 0)).toEqual([247, 247, 247]);
  });
});
