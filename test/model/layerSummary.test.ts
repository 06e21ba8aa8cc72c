import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {createCnn, LAYER_NAMES} from "../../src/core/model/cnn.js";
import {formatCount, formatModelSummary, formatShape, modelSummary} from "../../src/core/model/layerSummary.js";

describe("modelSummary(model)", () => {
  let model: tf.Sequential;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    model = createCnn({filters: 4});
  });
  afterAll(() => model.dispose());

  it("lists the input layer, then every layer in order, each fed by the one before", () => {
    const summary = modelSummary(model);
    expect(summary.layers.map((l) => l.name)).toEqual(["conv2d_input", ...LAYER_NAMES]);
    expect(summary.layers[0]).toMatchObject({className: "InputLayer", outputShape: [null, 28, 28, 1], inputs: []});
    summary.layers.slice(1).forEach((l, i) => expect(l.inputs).toEqual([summary.layers[i].name]));
  });

  it("gives output shapes, parameter counts and settings", () => {
    const byName = Object.fromEntries(modelSummary(model).layers.map((l) => [l.name, l]));
    expect(byName.conv2d).toMatchObject({
      className: "Conv2D",
      outputShape: [null, 26, 26, 4],
      params: 3 * 3 * 4 + 4,
      trainableParams: 40,
      details: "4 filters 3x3, valid, relu"
    });
    expect(byName.batch_normalization).toMatchObject({params: 16, trainableParams: 8});
    expect(byName.max_pooling2d.details).toBe("pool 2x2");
    expect(byName.dense).toMatchObject({outputShape: [null, 10], details: "10 units, softmax"});
  });

  it("adds up to the model's own parameter count", () => {
    const summary = modelSummary(model);
    expect(summary.totalParams).toBe(model.countParams());
    const trainable = model.trainableWeights.reduce((n, w) => n + w.read().size, 0);
    expect(summary.trainableParams).toBe(trainable);
  });

  it("prints a table like Keras' model.summary()", () => {
    const text = formatModelSummary(modelSummary(model));
    const lines = text.split("\n");
    expect(lines[0]).toBe('Model: "fashion_cnn"');
    expect(lines[2]).toMatch(/^Layer \(type\) +Output Shape +Param #$/);
    expect(text).toMatch(/^conv2d \(Conv2D\) +\(None, 26, 26, 4\) +40$/m);
    expect(text).toContain(`Total params: ${formatCount(model.countParams())}`);
    expect(text).toMatch(/^Non-trainable params: 24$/m); // 3 batch norms x 4 channels x (moving mean, variance)
  });
});

describe("formatShape and formatCount", () => {
  it("write Keras' shape notation and thousands separators", () => {
    expect(formatShape([null, 28, 28, 1])).toBe("(None, 28, 28, 1)");
    expect(formatCount(186698)).toBe("186,698");
    expect(formatCount(650)).toBe("650");
  });
});
