/** checkImageClassifier (src/core/model/imageClassifier.ts) on the shipped model, the Keras fixture and models of other shapes. */
import * as tf from "@tensorflow/tfjs";
import {describe, expect, it} from "vitest";

import {UserError} from "../../src/core/errors.js";
import {checkImageClassifier} from "../../src/core/model/imageClassifier.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {loadModel} from "../../src/node/model/io.js";
import {loadKerasH5} from "../../src/node/model/kerasH5.js";

describe("checkImageClassifier", () => {
  it("accepts the shipped model and the original project's Keras model", async () => {
    for (const model of [await loadModel(DEFAULT_MODEL_DIR), await loadKerasH5("../shared/keras/seed-model.h5")]) {
      expect(() => checkImageClassifier(model, "m")).not.toThrow();
      model.dispose();
    }
  });

  it("names the shapes of a model that takes colour images or gives other classes", () => {
    const colour = tf.sequential({
      layers: [tf.layers.flatten({inputShape: [32, 32, 3]}), tf.layers.dense({units: 10})]
    });
    expect(() => checkImageClassifier(colour, "cifar.h5")).toThrow(UserError);
    expect(() => checkImageClassifier(colour, "cifar.h5")).toThrow(
      /^cifar\.h5 is not an image classifier .*input is \[batch, 32, 32, 3\] \(needed: \[batch, 28, 28, 1\]\) and its output \[batch, 10\]/
    );
    const digits = tf.sequential({layers: [tf.layers.flatten({inputShape: [28, 28, 1]}), tf.layers.dense({units: 5})]});
    expect(() => checkImageClassifier(digits, "m")).toThrow(/output \[batch, 5\] \(needed: \[batch, 10\]\)/);
    colour.dispose();
    digits.dispose();
  });
});
