/**
 * Activations, CAM and Grad-CAM with the original project's trained Keras model on real
 * Fashion-MNIST test images.
 */
import type * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {UserError} from "../../src/core/errors.js";
import {resizeBilinear} from "../../src/core/image/raster.js";
import {LAYER_NAMES} from "../../src/core/model/cnn.js";
import {loadAnyModel} from "../../src/node/model/loadAnyModel.js";
import {findLayerIndex, forward, predictOne} from "../../src/core/model/forward.js";
import {cam, convLayerNames, gradCam, type HeatMap} from "../../src/core/viz/cam.js";
import {featureGrid} from "../../src/core/viz/featureGrid.js";
import {argmax, variance} from "../helpers/images.js";
import {SEED_MODEL} from "../helpers/paths.js";

/** Test images the localisation checks run on. */
const COUNT = 20;

let model: tf.LayersModel;
let test: Examples;
const image = (i: number) => test.xs.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);

beforeAll(async () => {
  await selectBackend("wasm");
  model = (await loadAnyModel(SEED_MODEL)).model;
  test = normalise(await loadFashionMnist("test", {limit: COUNT}));
});
afterAll(() => {
  model?.dispose();
});

function expectUnitRange(map: HeatMap): void {
  expect(map.values).toHaveLength(map.height * map.width);
  let min = Infinity;
  let max = -Infinity;
  for (const v of map.values) {
    expect(Number.isFinite(v)).toBe(true);
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  expect(min).toBe(0);
  expect(max).toBe(1);
}

/**
 * Where the map points on the 28x28 input: the upsampled peak must have object pixels (> 0.1)
 * within half a feature-map cell, and the heat-weighted mean brightness must exceed the image's
 * mean brightness (the map concentrates on the garment rather than the black background).
 */
function expectOnObject(map: HeatMap, x: Float32Array, what: string): void {
  const up = resizeBilinear(map.values, map.height, map.width, 28, 28);
  const peak = argmax(up);
  const py = Math.floor(peak / 28);
  const px = peak % 28;
  const radius = Math.max(1, Math.floor(28 / map.height / 2));
  let near = 0;
  for (let y = Math.max(0, py - radius); y <= Math.min(27, py + radius); y++) {
    for (let xx = Math.max(0, px - radius); xx <= Math.min(27, px + radius); xx++)
      near = Math.max(near, x[y * 28 + xx]);
  }
  expect(near, `${what}: peak (${px}, ${py}) is on background`).toBeGreaterThan(0.1);
  let weighted = 0;
  let weight = 0;
  let mean = 0;
  for (let i = 0; i < 784; i++) {
    weighted += up[i] * x[i];
    weight += up[i];
    mean += x[i] / 784;
  }
  expect(weighted / weight, `${what}: heat-weighted brightness`).toBeGreaterThan(mean);
}

describe("the forward walk", () => {
  it("returns every layer's output in order, found by name and type, not index", () => {
    const layers = forward(model, image(0)).layers;
    expect(layers.map((l) => l.name)).toEqual([...LAYER_NAMES]);
    expect(layers[0]).toMatchObject({className: "Conv2D", shape: [26, 26, 64]});
    expect(layers.find((l) => l.name === "batch_normalization_2")?.shape).toEqual([3, 3, 64]);
    expect(layers.find((l) => l.className === "GlobalAveragePooling2D")?.shape).toEqual([64]);
    const probs = layers.at(-1)!.values;
    expect(probs).toHaveLength(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(argmax(probs)).toBe(test.ys[0]);
    for (const l of layers) expect(l.values).toHaveLength(l.shape.reduce((a, b) => a * b, 1));
    expect(findLayerIndex(model, ["Conv2D"])).toBe(LAYER_NAMES.indexOf("conv2d_5"));
    expect(findLayerIndex(model, ["Conv2D"], false)).toBe(0);
    expect(findLayerIndex(model, ["LSTM"])).toBe(-1);
  });

  it("gives the probabilities and the embedding the same way in its quick form", async () => {
    const pass = forward(model, image(1));
    expect(pass.probabilities).toEqual(pass.layers.at(-1)!.values);
    expect(pass.embedding).toEqual(pass.layers.find((l) => l.className === "GlobalAveragePooling2D")!.values);
    expect(pass.predicted).toBe(argmax(pass.probabilities));
    const quick = await predictOne(model, image(1));
    expect(quick).toEqual({probabilities: pass.probabilities, predicted: pass.predicted, embedding: pass.embedding});
  });

  it("gives feature grids of real activations that are not blank", () => {
    const conv = forward(model, image(0)).layers[0];
    const grid = featureGrid(conv.values, conv.shape as [number, number, number]);
    expect([grid.columns, grid.rows]).toEqual([8, 8]);
    expect(grid.max).toBeGreaterThan(grid.min);
    let lit = 0;
    for (let c = 0; c < 64; c++) {
      const x = (c % 8) * (grid.tileWidth + grid.gap);
      const y = Math.floor(c / 8) * (grid.tileHeight + grid.gap);
      if (variance(grid.raster, x, y, grid.tileWidth, grid.tileHeight) > 0) lit++;
    }
    expect(lit).toBeGreaterThan(32);
  });
});

describe("cam", () => {
  it("is the last feature maps weighted by the dense weights of the class, at the feature-map size", () => {
    const x = image(0);
    const map = cam(model, forward(model, x), test.ys[0]);
    expect([map.height, map.width, map.layer, map.classIndex]).toEqual([3, 3, "batch_normalization_2", test.ys[0]]);
    expectUnitRange(map);
    // Recompute from the activations and the dense kernel [64, 10].
    const features = forward(model, x).layers.find((l) => l.name === "batch_normalization_2")!.values;
    const kernel = model.getLayer("dense").getWeights()[0].dataSync();
    const raw = new Float32Array(9);
    for (let p = 0; p < 9; p++)
      for (let k = 0; k < 64; k++) raw[p] += features[p * 64 + k] * kernel[k * 10 + test.ys[0]];
    const lo = Math.min(...raw);
    const hi = Math.max(...raw);
    for (let p = 0; p < 9; p++) expect(map.values[p]).toBeCloseTo((raw[p] - lo) / (hi - lo), 4);
  });

  it(`peaks on the object for the first ${COUNT} test images`, () => {
    for (let i = 0; i < COUNT; i++)
      expectOnObject(cam(model, forward(model, image(i)), test.ys[i]), image(i), `image ${i}`);
  });

  it("depends on the class explained", () => {
    const a = cam(model, forward(model, image(0)), 9).values;
    const b = cam(model, forward(model, image(0)), 1).values;
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it("rejects a class index out of range", () => {
    expect(() => cam(model, forward(model, image(0)), 10)).toThrow(UserError);
    expect(() => cam(model, forward(model, image(0)), 10)).toThrow("class index 10 is not in 0..9");
  });
});

describe("gradCam", () => {
  it("defaults to the last convolution and peaks on the object", () => {
    for (let i = 0; i < COUNT; i++) {
      const map = gradCam(model, forward(model, image(i)), test.ys[i]);
      expect([map.height, map.width, map.layer]).toEqual([3, 3, "conv2d_5"]);
      expectUnitRange(map);
      expectOnObject(map, image(i), `image ${i}`);
    }
  });

  it("works on any convolution layer, at that layer's resolution", () => {
    const first = gradCam(model, forward(model, image(0)), test.ys[0], "conv2d");
    expect([first.height, first.width, first.layer]).toEqual([26, 26, "conv2d"]);
    expectUnitRange(first);
    const middle = gradCam(model, forward(model, image(0)), test.ys[0], "conv2d_3");
    expect([middle.height, middle.width]).toEqual([11, 11]);
  });

  it("names the convolution layers when the layer is unknown", () => {
    expect(convLayerNames(model)).toEqual(["conv2d", "conv2d_1", "conv2d_2", "conv2d_3", "conv2d_4", "conv2d_5"]);
    const error = (() => {
      try {
        gradCam(model, forward(model, image(0)), 0, "conv9");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'no layer named "conv9"; convolution layers: conv2d, conv2d_1, conv2d_2, conv2d_3, conv2d_4, conv2d_5'
    );
  });

  it("refuses a layer without a spatial output", () => {
    expect(() => gradCam(model, forward(model, image(0)), 0, "global_average_pooling2d")).toThrow(
      /expected a feature map/
    );
  });
});
