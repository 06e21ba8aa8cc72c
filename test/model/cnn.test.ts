import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createCnn, LAYER_NAMES} from "../../src/core/model/cnn.js";
import {batchTensor} from "../../src/core/model/metrics.js";

/** Per layer: class, output shape (batch dimension null) and parameter count, for the default 64 filters. */
const EXPECTED_LAYERS: [string, string, (number | null)[], number][] = [
  ["conv2d", "Conv2D", [null, 26, 26, 64], 1 * 9 * 64 + 64],
  ["conv2d_1", "Conv2D", [null, 26, 26, 64], 64 * 9 * 64 + 64],
  ["max_pooling2d", "MaxPooling2D", [null, 13, 13, 64], 0],
  ["batch_normalization", "BatchNormalization", [null, 13, 13, 64], 4 * 64],
  ["conv2d_2", "Conv2D", [null, 11, 11, 64], 64 * 9 * 64 + 64],
  ["conv2d_3", "Conv2D", [null, 11, 11, 64], 64 * 9 * 64 + 64],
  ["max_pooling2d_1", "MaxPooling2D", [null, 5, 5, 64], 0],
  ["batch_normalization_1", "BatchNormalization", [null, 5, 5, 64], 4 * 64],
  ["conv2d_4", "Conv2D", [null, 3, 3, 64], 64 * 9 * 64 + 64],
  ["conv2d_5", "Conv2D", [null, 3, 3, 64], 64 * 9 * 64 + 64],
  ["batch_normalization_2", "BatchNormalization", [null, 3, 3, 64], 4 * 64],
  ["global_average_pooling2d", "GlobalAveragePooling2D", [null, 64], 0],
  ["dropout", "Dropout", [null, 64], 0],
  ["dense", "Dense", [null, 10], 64 * 10 + 10]
];

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** All weights of `model` as plain arrays, in order. */
const weightValues = (model: tf.LayersModel): number[][] => model.getWeights().map((w) => Array.from(w.dataSync()));

let examples: Examples;
beforeAll(async () => {
  await selectBackend("wasm");
  examples = normalise(await loadFashionMnist("test", {limit: 8}));
});

describe("createCnn()", () => {
  it("maps [n, 28, 28, 1] images to [n, 10] probabilities that sum to 1", () => {
    const model = createCnn();
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    for (const n of [1, 8]) {
      const probs = tf.tidy(() => model.predict(batchTensor(examples, 0, n)) as tf.Tensor);
      expect(probs.shape).toEqual([n, 10]);
      const values = probs.dataSync();
      probs.dispose();
      for (let i = 0; i < n; i++) {
        const row = Array.from(values.subarray(i * 10, (i + 1) * 10));
        for (const p of row) expect(p >= 0 && p <= 1, `probability ${p}`).toBe(true);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }
    model.dispose();
  });

  it("has 186698 parameters, 186314 of them trainable", () => {
    const model = createCnn();
    expect(model.countParams()).toBe(186698);
    expect(model.trainableWeights.reduce((n, w) => n + size(w.shape as number[]), 0)).toBe(186314);
    // The non-trainable rest: moving mean and variance of three 64-channel batch norms.
    expect(model.nonTrainableWeights.reduce((n, w) => n + size(w.shape as number[]), 0)).toBe(3 * 2 * 64);
    model.dispose();
  });

  it("names its layers LAYER_NAMES, in order", () => {
    const model = createCnn();
    expect(model.layers.map((l) => l.name)).toEqual([...LAYER_NAMES]);
    expect(EXPECTED_LAYERS.map(([name]) => name)).toEqual([...LAYER_NAMES]);
    model.dispose();
  });

  it("builds each layer with the seed's class, output shape and parameter count", () => {
    const model = createCnn();
    expect(
      model.layers.map(
        (l) => [l.name, l.getClassName(), l.outputShape, l.countParams()] as [string, string, unknown, number]
      )
    ).toEqual(EXPECTED_LAYERS);
    model.dispose();
  });

  it("uses 3x3 ReLU convolutions (valid, then same), 2x2 pooling and Keras' batch-norm defaults", () => {
    const model = createCnn();
    for (const layer of model.layers) {
      const config = layer.getConfig();
      if (layer.getClassName() === "Conv2D") {
        expect(config.kernelSize).toEqual([3, 3]);
        expect(config.activation).toBe("relu");
        expect(config.padding).toBe(/_[135]$/.test(layer.name) ? "same" : "valid");
      } else if (layer.getClassName() === "MaxPooling2D") {
        expect(config.poolSize).toEqual([2, 2]);
      } else if (layer.getClassName() === "BatchNormalization") {
        expect(config.momentum).toBe(0.99);
        expect(config.epsilon).toBe(1e-3);
      } else if (layer.getClassName() === "Dense") {
        expect(config.activation).toBe("softmax");
      } else if (layer.getClassName() === "Dropout") {
        expect(config.rate).toBe(0.5);
      }
    }
    model.dispose();
  });

  it("honours the filters and dropout options", () => {
    const model = createCnn({filters: 8, dropout: 0.25});
    expect(model.getLayer("conv2d_5").outputShape).toEqual([null, 3, 3, 8]);
    expect(model.getLayer("dense").countParams()).toBe(8 * 10 + 10);
    expect(model.getLayer("dropout").getConfig().rate).toBe(0.25);
    model.dispose();
  });
});

describe("createCnn({seed})", () => {
  it("gives identical weights for the same seed", () => {
    const a = createCnn({seed: 7});
    const b = createCnn({seed: 7});
    expect(weightValues(a)).toEqual(weightValues(b));
    a.dispose();
    b.dispose();
  });

  it("defaults to seed 42", () => {
    const a = createCnn();
    const b = createCnn({seed: 42});
    expect(weightValues(a)).toEqual(weightValues(b));
    a.dispose();
    b.dispose();
  });

  it("gives different kernels for another seed", () => {
    const a = createCnn({seed: 7});
    const b = createCnn({seed: 8});
    for (const name of ["conv2d", "conv2d_3", "dense"]) {
      const ka = a.getLayer(name).getWeights()[0].dataSync();
      const kb = b.getLayer(name).getWeights()[0].dataSync();
      expect(Array.from(ka), name).not.toEqual(Array.from(kb));
    }
    a.dispose();
    b.dispose();
  });

  it("initialises same-shaped layers differently within one model", () => {
    const model = createCnn({seed: 7});
    const kernels = ["conv2d_1", "conv2d_2", "conv2d_3", "conv2d_4", "conv2d_5"].map((name) =>
      Array.from(model.getLayer(name).getWeights()[0].dataSync())
    );
    for (let i = 1; i < kernels.length; i++) expect(kernels[i]).not.toEqual(kernels[0]);
    model.dispose();
  });
});
