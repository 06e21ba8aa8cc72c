import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {SeededDropout, seededDropout, withDropoutSeed} from "../../src/core/model/seededDropout.js";
import {withoutLeak} from "../helpers/tensors.js";

/** The layer's training output for x, as an array (no tensors left behind). */
function dropped(layer: tf.layers.Layer, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (layer.apply(x, {training: true}) as tf.Tensor).dataSync() as Float32Array);
}

const same = (a: Float32Array, b: Float32Array) => a.every((v, i) => v === b[i]);

describe("SeededDropout", () => {
  let x: tf.Tensor2D;
  beforeAll(async () => {
    expect(await selectBackend("wasm")).toBe("wasm");
    // Real pixels (4 images, 784 values each): plenty of non-zero inputs to drop.
    const examples = normalise(await loadFashionMnist("test", {limit: 4}));
    x = tf.tensor2d(examples.xs, [4, 784]);
  });

  it("draws the same masks from the same key, other masks from another key or a later call", () => {
    const layer = seededDropout({rate: 0.5});
    const [[a, a2], [b], [c]] = withoutLeak(() => [
      withDropoutSeed("42:1:0", () => [dropped(layer, x), dropped(layer, x)]),
      withDropoutSeed("42:1:0", () => [dropped(layer, x)]),
      withDropoutSeed("42:1:1", () => [dropped(layer, x)])
    ]);
    expect(same(a, b)).toBe(true);
    expect(same(a, a2)).toBe(false);
    expect(same(a, c)).toBe(false);
  });

  it("keeps TF.js' semantics: about `rate` of the values zeroed, the rest scaled by 1 / (1 - rate)", () => {
    const layer = seededDropout({rate: 0.25});
    const input = x.dataSync();
    const out = withDropoutSeed("7:1:0", () => dropped(layer, x));
    let nonZeroIn = 0;
    let zeroed = 0;
    input.forEach((v, i) => {
      if (v === 0) return;
      nonZeroIn++;
      if (out[i] === 0) zeroed++;
      else expect(out[i]).toBeCloseTo(v / 0.75, 5);
    });
    expect(nonZeroIn).toBeGreaterThan(1000);
    expect(zeroed / nonZeroIn).toBeGreaterThan(0.2);
    expect(zeroed / nonZeroIn).toBeLessThan(0.3);
  });

  it("is TF.js' layer outside a seed scope and for inference", () => {
    const layer = seededDropout({rate: 0.5});
    expect(same(dropped(layer, x), dropped(layer, x))).toBe(false);
    const inference = withDropoutSeed("1:1:0", () => tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync()));
    expect(same(inference as Float32Array, x.dataSync() as Float32Array)).toBe(true);
  });

  it("serialises as Dropout, and models loaded from JSON use it", async () => {
    const model = createCnn({filters: 4});
    const layer = model.getLayer("dropout");
    expect(layer).toBeInstanceOf(SeededDropout);
    expect(layer.getClassName()).toBe("Dropout");
    const loaded = await tf.models.modelFromJSON({
      modelTopology: model.toJSON(undefined, false) as tf.io.ModelJSON["modelTopology"]
    });
    expect(loaded.getLayer("dropout")).toBeInstanceOf(SeededDropout);
    const {rate, name} = loaded.getLayer("dropout").getConfig();
    expect({rate, name}).toEqual({rate: 0.5, name: "dropout"});
    model.dispose();
    loaded.dispose();
  });
});
