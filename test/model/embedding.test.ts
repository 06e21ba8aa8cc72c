import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {UserError} from "../../src/core/errors.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {embedAll, findEmbeddingLayer} from "../../src/core/model/embedding.js";
import {batchTensor} from "../../src/core/model/metrics.js";
import {withoutLeak} from "../helpers/tensors.js";

let examples: Examples;

beforeAll(async () => {
  await selectBackend("wasm");
  examples = normalise(await loadFashionMnist("test", {limit: 21}));
});

describe("embedAll(model, examples, {batchSize, onBatch})", () => {
  it("returns the pooling output and the predictions of one forward pass, batch by batch", async () => {
    const model = createCnn({seed: 5, filters: 8});
    const batches: number[] = [];
    const result = await withoutLeak(() =>
      embedAll(model, examples, {batchSize: 8, onBatch: (done) => batches.push(done)})
    );
    expect(batches).toEqual([8, 16, 21]);
    expect(result.dim).toBe(8);
    expect(result.layerName).toBe("global_average_pooling2d");
    expect(result.embeddings.length).toBe(21 * 8);
    expect(result.probabilities.length).toBe(21 * 10);

    // Same numbers as running the model, and a sub-model up to the pooling layer, separately.
    const xs = batchTensor(examples, 0, 21);
    const probs = (model.predict(xs) as tf.Tensor).dataSync();
    const pooled = tf.model({inputs: model.inputs, outputs: findEmbeddingLayer(model).output as tf.SymbolicTensor});
    const emb = (pooled.predict(xs) as tf.Tensor).dataSync();
    for (let t = 0; t < probs.length; t++) expect(result.probabilities[t]).toBeCloseTo(probs[t], 5);
    for (let t = 0; t < emb.length; t++) expect(result.embeddings[t]).toBeCloseTo(emb[t], 5);
    for (let i = 0; i < 21; i++) {
      const row = Array.from(probs.slice(i * 10, i * 10 + 10));
      expect(result.predicted[i]).toBe(row.indexOf(Math.max(...row)));
    }
    tf.dispose(xs);
    model.dispose();
  });

  it("finds the pooling layer by class, whatever its name", () => {
    const input = tf.input({shape: [28, 28, 1]});
    const conv = tf.layers.conv2d({filters: 4, kernelSize: 3, name: "features"}).apply(input) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({name: "renamed_gap"}).apply(conv) as tf.SymbolicTensor;
    const out = tf.layers.dense({units: 10, activation: "softmax"}).apply(pooled) as tf.SymbolicTensor;
    const model = tf.model({inputs: input, outputs: out});
    expect(findEmbeddingLayer(model).name).toBe("renamed_gap");
    model.dispose();
  });

  it("throws a UserError naming the layer classes when there is no pooling layer", () => {
    const model = tf.sequential({layers: [tf.layers.flatten({inputShape: [28, 28, 1]}), tf.layers.dense({units: 10})]});
    expect(() => findEmbeddingLayer(model)).toThrow(UserError);
    expect(() => findEmbeddingLayer(model)).toThrow(/no GlobalAveragePooling2D layer.*Flatten, Dense/);
    model.dispose();
  });
});
