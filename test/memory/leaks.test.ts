/**
 * Tensor leaks: many classify, predict, embed, CAM and model-loading calls on the shipped model
 * must leave `tf.memory().numTensors` where it started, including calls that fail.
 */
import {cpSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {classifyCommand} from "../../src/cli/commands/classify.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {embedAll} from "../../src/core/model/embedding.js";
import {loadModel} from "../../src/node/model/io.js";
import {predictAll} from "../../src/core/model/metrics.js";
import {forward, predictOne} from "../../src/core/model/forward.js";
import {cam, gradCam} from "../../src/core/viz/cam.js";
import {quietEffects} from "../../src/core/effects.js";
import {tempDirForFile} from "../helpers/tempDir.js";

const SAMPLES = ["black_bag.jpg", "sneaker.jpg", "dress.webp", "ankle_boot.png"].map(
  (f) => new URL(`../../sample_images/${f}`, import.meta.url).pathname
);

const dir = tempDirForFile("leaks");
let test: Examples;
beforeAll(async () => {
  await selectBackend("wasm");
  test = normalise(await loadFashionMnist("test", {limit: 100}));
});

/** Runs `round` `rounds` times and checks the tensor count after each against the count before. */
async function expectNoLeak(rounds: number, round: (i: number) => Promise<void>): Promise<void> {
  const baseline = tf.memory().numTensors;
  for (let i = 0; i < rounds; i++) {
    await round(i);
    expect(tf.memory().numTensors, `after round ${i + 1}`).toBe(baseline);
  }
  console.log(`${rounds} rounds, numTensors stayed at ${baseline}`);
}

describe("tensor count over repeated calls", () => {
  it("classifyCommand: 10 runs over the sample images and a broken file, 2 with plots", async () => {
    const broken = join(dir, "broken.png");
    writeFileSync(broken, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    let results = 0;
    let errors = 0;
    await expectNoLeak(10, async (i) => {
      const {ok, failed} = await classifyCommand(
        {images: [...SAMPLES, broken], savePlots: i < 2, plotDir: join(dir, `plots-${i}`)},
        {...quietEffects(), onResult: () => void results++, onError: () => void errors++}
      );
      expect([ok, failed]).toEqual([SAMPLES.length, 1]);
    });
    expect([results, errors]).toEqual([10 * SAMPLES.length, 10]);
  }, 120_000);

  describe("the shipped model, loaded once", () => {
    let model: tf.LayersModel;
    beforeAll(async () => {
      model = await loadModel(DEFAULT_MODEL_DIR);
    });
    afterAll(() => model.dispose());

    it("predict, predictAll and embedAll: 8 rounds", async () => {
      await expectNoLeak(8, async () => {
        tf.tidy(() => model.predict(tf.zeros([8, 28, 28, 1])) as tf.Tensor).dispose();
        const predictions = await predictAll(model, test, 64);
        expect(predictions.accuracy).toBeGreaterThan(0.85);
        const embedded = await embedAll(model, test, {batchSize: 64});
        expect(embedded.count).toBe(test.count);
      });
    }, 120_000);

    it("the forward walk, CAM and Grad-CAM: 30 rounds", async () => {
      const input = test.xs.slice(0, 784);
      await expectNoLeak(30, async (i) => {
        const pass = forward(model, input);
        expect(pass.layers.length).toBe(model.layers.length);
        await predictOne(model, input);
        cam(model, pass, i % 10);
        gradCam(model, pass, i % 10);
      });
    }, 120_000);
  });

  it("loadModel: 20 loads and disposals, and 20 loads failing half-way through building the model", async () => {
    // A layer whose initializer has no class_name: TF.js fails after building the layers before it.
    const bad = join(dir, "bad-model");
    cpSync(DEFAULT_MODEL_DIR, bad, {recursive: true});
    const json = JSON.parse(readFileSync(join(bad, "model.json"), "utf8")) as {
      modelTopology: {config: {layers: {config: {bias_initializer?: {class_name?: string}}}[]}};
    };
    delete json.modelTopology.config.layers[9].config.bias_initializer?.class_name;
    writeFileSync(join(bad, "model.json"), JSON.stringify(json));
    await expectNoLeak(20, async () => {
      (await loadModel(DEFAULT_MODEL_DIR)).dispose();
      await expect(loadModel(bad)).rejects.toThrow(/cannot build the model/);
    });
  }, 120_000);
});
