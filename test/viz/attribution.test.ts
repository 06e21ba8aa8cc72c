/**
 * The attribution methods against their definitions, with the shipped model on real Fashion-MNIST
 * test images (no model-specific numbers: the model may be retrained).
 */
import type * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {IMAGE_PIXELS, IMAGE_SIZE} from "../../src/core/data/fashionMnist.js";
import {forward} from "../../src/core/model/forward.js";
import {batchLogits, classProbabilities} from "../../src/core/viz/attribution/batch.js";
import {counterfactual} from "../../src/core/viz/attribution/counterfactual.js";
import {faithfulness, pixelOrder, randomPixelOrder} from "../../src/core/viz/attribution/faithfulness.js";
import {inputGradient} from "../../src/core/viz/attribution/gradient.js";
import {integratedGradients} from "../../src/core/viz/attribution/integratedGradients.js";
import {occlusion, patchStarts} from "../../src/core/viz/attribution/occlusion.js";
import {scoreCam} from "../../src/core/viz/attribution/scoreCam.js";
import {smoothGrad} from "../../src/core/viz/attribution/smoothGrad.js";
import {activationOf, gradCam} from "../../src/core/viz/cam.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {loadAnyModel} from "../../src/node/model/loadAnyModel.js";
import {SHIPPED_MODEL} from "../helpers/paths.js";
import {withoutLeak} from "../helpers/tensors.js";

let model: tf.LayersModel;
let test: Examples;
const image = (i: number) => test.xs.slice(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
/** The first test image of `label`. */
const firstOf = (label: number) => test.ys.indexOf(label);

beforeAll(async () => {
  await selectBackend("wasm");
  model = (await loadAnyModel(SHIPPED_MODEL)).model;
  test = normalise(await loadFashionMnist("test", {limit: 40}));
});
afterAll(() => model?.dispose());

const logitOf = (x: Float32Array, c: number) => batchLogits(model, x, 1, 10)[c];

describe("gradients", () => {
  it("the input gradient matches central finite differences on its largest pixels", () => {
    const x = image(0);
    const c = test.ys[0];
    const g = withoutLeak(() => inputGradient(model, x, c));
    // Small enough not to cross a ReLU or max-pool switch on the way (0.01 did on this model), large enough for float32.
    const h = 0.002;
    for (const p of pixelOrder(g.importance).slice(0, 4)) {
      const up = Float32Array.from(x);
      const down = Float32Array.from(x);
      up[p] += h;
      down[p] -= h;
      const fd = (logitOf(up, c) - logitOf(down, c)) / (2 * h);
      expect(Math.abs(fd - g.values[p]), `pixel ${p}: ${fd} vs ${g.values[p]}`).toBeLessThan(
        0.1 * Math.abs(g.values[p])
      );
    }
  });

  it("SmoothGrad without noise is the input gradient, and its noise is seeded", () => {
    const x = image(1);
    const plain = inputGradient(model, x, 3);
    const still = withoutLeak(() => smoothGrad(model, x, 3, {samples: 3, noise: 0}));
    for (let p = 0; p < IMAGE_PIXELS; p++) expect(still.values[p]).toBeCloseTo(plain.values[p], 4);
    const a = smoothGrad(model, x, 3, {samples: 4, seed: 7});
    expect(smoothGrad(model, x, 3, {samples: 4, seed: 7}).values).toEqual(a.values);
    expect(smoothGrad(model, x, 3, {samples: 4, seed: 8}).values).not.toEqual(a.values);
  });

  it("Integrated Gradients sum to logit(x) - logit(black) within 2 % (completeness)", () => {
    for (const i of [0, 2]) {
      const x = image(i);
      const ig = withoutLeak(() => integratedGradients(model, x, test.ys[i]));
      const c = ig.completeness;
      expect(c.inputLogit).toBeCloseTo(logitOf(x, test.ys[i]), 4);
      expect(c.baselineLogit).toBeCloseTo(logitOf(new Float32Array(IMAGE_PIXELS), test.ys[i]), 4);
      const sum = ig.values.reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - c.expected) / Math.abs(c.expected), `image ${i}`).toBeLessThan(0.02);
      expect(c.relativeError).toBeCloseTo(Math.abs(sum - c.expected) / Math.abs(c.expected), 3);
      // A black pixel is no different from the baseline: it gets nothing.
      for (let p = 0; p < IMAGE_PIXELS; p++) if (x[p] === 0) expect(ig.values[p]).toBe(0);
    }
  });
});

describe("occlusion and Score-CAM", () => {
  it("occlusion covers the image with 13 x 13 squares and gives exactly 0 where every square was already black", () => {
    expect(patchStarts(4, 2)).toHaveLength(13);
    const x = image(3);
    const map = withoutLeak(() => occlusion(model, x, test.ys[3]));
    const starts = patchStarts(4, 2);
    const blackSquare = (y0: number, x0: number) => {
      for (let y = y0; y < y0 + 4; y++)
        for (let xx = x0; xx < x0 + 4; xx++) if (x[y * IMAGE_SIZE + xx] !== 0) return false;
      return true;
    };
    let checked = 0;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let xx = 0; xx < IMAGE_SIZE; xx++) {
        const covering = starts
          .flatMap((sy) => starts.map((sx) => [sy, sx]))
          .filter(([sy, sx]) => y >= sy && y < sy + 4 && xx >= sx && xx < sx + 4);
        if (covering.every(([sy, sx]) => blackSquare(sy, sx))) {
          expect(map.values[y * IMAGE_SIZE + xx]).toBe(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(Math.max(...map.values)).toBeGreaterThan(0); // hiding the garment costs probability
  });

  it("Score-CAM weights each feature map by the probability its masked image adds, and points at the garment", () => {
    const x = image(4);
    const pass = forward(model, x);
    const map = withoutLeak(() => scoreCam(model, pass, x, pass.predicted));
    expect(map.layer).toBe(
      activationOf(
        model,
        pass,
        model.layers.findIndex((l) => l.name === map.layer)
      ).name
    );
    expect(Math.min(...map.values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...map.importance)).toBe(1);
    let weighted = 0;
    let weight = 0;
    let mean = 0;
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      weighted += map.importance[p] * x[p];
      weight += map.importance[p];
      mean += x[p] / IMAGE_PIXELS;
    }
    expect(weighted / weight).toBeGreaterThan(mean);
  });

  it("contrastive Grad-CAM is ReLU of the feature maps weighted by the difference of the two classes' dense weights", () => {
    const x = image(5);
    const pass = forward(model, x);
    const [a, b] = [pass.predicted, (pass.predicted + 1) % 10];
    const map = withoutLeak(() => gradCam(model, pass, a, undefined, b));
    expect(map.against).toBe(b);
    const index = model.layers.findIndex((l) => l.name === map.layer);
    const features = activationOf(model, pass, index);
    const kernel = model.layers
      .find((l) => l.getClassName() === "Dense")!
      .getWeights()[0]
      .dataSync();
    // The shipped architecture normalises the last convolution's maps before pooling: a fixed
    // per-channel scale gamma / sqrt(variance + epsilon) in inference.
    const bn = model.layers[index + 1];
    expect(bn.getClassName()).toBe("BatchNormalization");
    const [gamma, , , variance] = bn.getWeights().map((t) => t.dataSync());
    const epsilon = (bn.getConfig() as {epsilon: number}).epsilon;
    const [h, w, k] = features.shape;
    const expected = new Float32Array(h * w);
    for (let p = 0; p < h * w; p++) {
      let s = 0;
      for (let c = 0; c < k; c++) {
        const scale = gamma[c] / Math.sqrt(variance[c] + epsilon);
        s += features.values[p * k + c] * scale * (kernel[c * 10 + a] - kernel[c * 10 + b]);
      }
      expected[p] = Math.max(0, s);
    }
    const max = Math.max(...expected);
    const min = Math.min(...expected);
    for (let p = 0; p < h * w; p++) expect(map.values[p]).toBeCloseTo((expected[p] - min) / (max - min), 4);
  });
});

describe("faithfulness and counterfactuals", () => {
  it("deletion runs from p(x) to p(black image), insertion the other way, areas in [0, 1]", () => {
    const x = image(6);
    const c = test.ys[6];
    const [px, blank] = classProbabilities(model, Float32Array.from([...x, ...new Float32Array(IMAGE_PIXELS)]), 2, c);
    const order = pixelOrder(inputGradient(model, x, c).importance);
    for (const f of [
      withoutLeak(() => faithfulness(model, x, order, c)),
      faithfulness(model, x, randomPixelOrder(), c)
    ]) {
      expect(f.deletion.fractions[0]).toBe(0);
      expect(f.deletion.fractions.at(-1)).toBe(1);
      expect(f.deletion.probabilities[0]).toBeCloseTo(px, 5);
      expect(f.deletion.probabilities.at(-1)).toBeCloseTo(blank, 5);
      expect(f.insertion.probabilities[0]).toBeCloseTo(blank, 5);
      expect(f.insertion.probabilities.at(-1)).toBeCloseTo(px, 5);
      for (const curve of [f.deletion, f.insertion]) {
        expect(curve.area).toBeGreaterThanOrEqual(0);
        expect(curve.area).toBeLessThanOrEqual(1);
      }
    }
  });

  it("targeted PGD stays within epsilon and [0, 1] and turns a pullover into a coat", () => {
    const i = firstOf(2);
    expect(i).toBeGreaterThanOrEqual(0);
    const x = image(i);
    const cf = withoutLeak(() => counterfactual(model, x, 4, {epsilon: 0.1}));
    expect(cf.reached).toBe(true);
    expect(cf.predicted).toBe(4);
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      expect(Math.abs(cf.difference[p])).toBeLessThanOrEqual(0.1 + 1e-6);
      expect(cf.image[p]).toBeGreaterThanOrEqual(0);
      expect(cf.image[p]).toBeLessThanOrEqual(1);
      expect(cf.difference[p]).toBeCloseTo(cf.image[p] - x[p], 6);
    }
    expect(forward(model, cf.image).predicted).toBe(4);
  });
});
