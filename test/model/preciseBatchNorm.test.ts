/** Precise batch-norm statistics on real training images: each layer's moving statistics become its input's exact moments. */
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {batchTensor} from "../../src/core/model/metrics.js";
import {recomputeBatchNormStatistics} from "../../src/core/model/preciseBatchNorm.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";

let data: Examples;
beforeAll(async () => {
  await selectBackend("wasm");
  data = normalise(await loadFashionMnist("train", {limit: 600}));
});

function movingStats(layer: tf.layers.Layer): {mean: Float32Array; variance: Float32Array} {
  const read = (suffix: string) =>
    layer.weights
      .find((w) => w.originalName.endsWith(suffix))
      ?.read()
      .dataSync() as Float32Array;
  return {mean: read("moving_mean"), variance: read("moving_variance")};
}

describe("recomputeBatchNormStatistics(model, examples, count)", () => {
  it("sets every batch-norm layer to the mean and variance of its input over the sample, in order", () => {
    const model = createCnn({filters: 8, seed: 3});
    const count = 500; // two chunks of 256 and a partial one
    const weightsBefore = model.weights.map((w) => ({name: w.originalName, values: w.read().dataSync().slice()}));
    const before = tf.memory().numTensors;
    recomputeBatchNormStatistics(model, data, count);
    // Only the moving statistics change: every other weight is bit for bit the same.
    for (const [i, w] of model.weights.entries()) {
      const moving = /moving_(mean|variance)$/.test(w.originalName);
      const same = w
        .read()
        .dataSync()
        .every((v, j) => v === weightsBefore[i].values[j]);
      expect(same, w.originalName).toBe(!moving);
    }
    expect(tf.memory().numTensors).toBe(before);
    const bnIndices = model.layers.flatMap((l, i) => (l.getClassName() === "BatchNormalization" ? [i] : []));
    expect(bnIndices).toHaveLength(3);
    for (const index of bnIndices) {
      // The definition, in one batch: the input of layer `index` in inference mode, moments over all but channels.
      const [mean, variance] = tf.tidy(() => {
        let x: tf.Tensor = batchTensor(data, 0, count);
        for (const l of model.layers.slice(0, index)) x = l.apply(x, {training: false}) as tf.Tensor;
        const m = tf.moments(x, [0, 1, 2]);
        const n = x.size / (x.shape[3] ?? 1);
        return [m.mean.dataSync(), tf.mul(m.variance, n / (n - 1)).dataSync()];
      });
      const got = movingStats(model.layers[index]);
      for (let c = 0; c < mean.length; c++) {
        expect(got.mean[c]).toBeCloseTo(mean[c], 4);
        expect(got.variance[c]).toBeCloseTo(variance[c], 4);
      }
      // Not the initial values (mean 0, variance 1).
      expect(Math.max(...got.mean.map(Math.abs))).toBeGreaterThan(1e-3);
    }
    model.dispose();
  });
});
