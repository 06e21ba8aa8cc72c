import {cpSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync} from "node:fs";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {UserError, FormatError} from "../../src/core/errors.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {loadModel, saveModel} from "../../src/node/model/io.js";
import {batchTensor} from "../../src/core/model/metrics.js";
import {rejection} from "../helpers/rejection.js";
import {tempDirForFile} from "../helpers/tempDir.js";

/** Bytes of the default model's float32 weights (186698 parameters). */
const WEIGHT_BYTES = 186698 * 4;

const root = tempDirForFile("io");
let counter = 0;
let examples: Examples;
/** A saved model directory, copied by the error tests before they damage it. */
const savedDir = join(root, "saved");

beforeAll(async () => {
  await selectBackend("wasm");
  examples = normalise(await loadFashionMnist("test", {limit: 8}));
  const model = createCnn({seed: 3});
  await saveModel(model, savedDir);
  model.dispose();
});

/** A fresh path under the test's tmp dir (not created). */
const freshPath = (): string => join(root, `d${counter++}`);

/** A copy of the saved model directory. */
function copyOfSaved(): string {
  const dir = freshPath();
  cpSync(savedDir, dir, {recursive: true});
  return dir;
}

interface ModelJsonFile {
  modelTopology: unknown;
  weightsManifest: {paths: string[]; weights: unknown[]}[];
}

const readModelJson = (dir: string): ModelJsonFile =>
  JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as ModelJsonFile;

const predictions = (model: tf.LayersModel): Float32Array =>
  tf.tidy(() => (model.predict(batchTensor(examples, 0, examples.count)) as tf.Tensor).dataSync() as Float32Array);

/** Adds seeded positive noise to every weight, so that weights differ from what the initialisers give. */
function perturb(model: tf.LayersModel, seed: number): void {
  const next = model.getWeights().map((w, i) => tf.add(w, tf.randomUniform(w.shape, 0, 0.1, "float32", seed + i)));
  model.setWeights(next);
  tf.dispose(next);
}

describe("saveModel(model, dir) and loadModel(dir)", () => {
  it("round-trip a model to identical weights and predictions", async () => {
    const model = createCnn({seed: 5});
    perturb(model, 100);
    const dir = join(freshPath(), "nested", "model"); // created by saveModel
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      model.getWeights().map((w) => Array.from(w.dataSync()))
    );
    const expected = predictions(model);
    expect(predictions(loaded)).toEqual(expected);
    // The perturbed weights matter: a freshly initialised model with the same seed predicts differently.
    const fresh = createCnn({seed: 5});
    expect(predictions(fresh)).not.toEqual(expected);
    for (const m of [model, loaded, fresh]) m.dispose();
  });

  it("writes model.json and one weights file of the declared size", async () => {
    const files = readdirSync(savedDir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe("model.json");
    expect(files[1]).toMatch(/^weights-.*\.bin$/);
    const json = readModelJson(savedDir);
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([files[1]]);
    expect(readFileSync(join(savedDir, files[1])).length).toBe(WEIGHT_BYTES);
  });

  it("replaces the weights file on a second save and removes the old one", async () => {
    const dir = freshPath();
    const model = createCnn({seed: 6});
    await saveModel(model, dir);
    const first = readModelJson(dir).weightsManifest[0].paths[0];
    perturb(model, 200);
    await saveModel(model, dir);
    const second = readModelJson(dir).weightsManifest[0].paths[0];
    expect(second).not.toBe(first);
    // No old weights and no temporary files of the atomic writes are left behind.
    expect(readdirSync(dir).sort()).toEqual(["model.json", second]);
    const loaded = await loadModel(dir);
    expect(predictions(loaded)).toEqual(predictions(model));
    model.dispose();
    loaded.dispose();
  });

  it("leaves files other than weights-*.bin alone", async () => {
    const dir = freshPath();
    const model = createCnn({seed: 6});
    await saveModel(model, dir);
    writeFileSync(join(dir, "metadata.json"), "{}");
    writeFileSync(join(dir, "weights.bin.bak"), "keep");
    await saveModel(model, dir);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(4);
    expect(files).toEqual(expect.arrayContaining(["metadata.json", "model.json", "weights.bin.bak"]));
    model.dispose();
  });
});

describe("loadModel(dir) errors", () => {
  it("reports a missing model directory as a UserError naming model.json", async () => {
    const dir = freshPath();
    const error = await rejection(loadModel(dir), UserError);
    expect(error).not.toBeInstanceOf(FormatError);
    expect(error.message).toMatch(/^No model at .*d\d+ \(missing model\.json\)/);
    expect(error.message).toContain("fmnist train");
  });

  it("reports a corrupt model.json as a FormatError with its path", async () => {
    const dir = copyOfSaved();
    writeFileSync(join(dir, "model.json"), '{"modelTopology": {');
    const error = await rejection(loadModel(dir), FormatError);
    expect(error.message).toContain(join(dir, "model.json"));
    expect(error.message).toMatch(/not a valid model\.json \(.+\)/);
  });

  it("reports JSON that is not a layers model", async () => {
    const dir = copyOfSaved();
    writeFileSync(join(dir, "model.json"), JSON.stringify({format: "graph-model", weightsManifest: []}));
    const error = await rejection(loadModel(dir), FormatError);
    expect(error.message).toMatch(/not a TF\.js layers model \(needs modelTopology and weightsManifest\)/);
  });

  it("reports truncated weights with the actual and declared sizes", async () => {
    const dir = copyOfSaved();
    const weightsFile = readModelJson(dir).weightsManifest[0].paths[0];
    truncateSync(join(dir, weightsFile), 1000);
    const error = await rejection(loadModel(dir), FormatError);
    expect(error.message).toContain(`weights are 1000 bytes but the manifest declares ${WEIGHT_BYTES}`);
  });

  it("reports a missing weights file with its name", async () => {
    const dir = copyOfSaved();
    const weightsFile = readModelJson(dir).weightsManifest[0].paths[0];
    rmSync(join(dir, weightsFile));
    const error = await rejection(loadModel(dir), UserError);
    expect(error.message).toContain(`cannot read weights file ${weightsFile}`);
  });

  for (const path of ["../weights.bin", "sub/../../weights.bin", "/etc/passwd"]) {
    it(`refuses the weights path ${JSON.stringify(path)}`, async () => {
      const dir = copyOfSaved();
      const json = readModelJson(dir);
      json.weightsManifest[0].paths = [path];
      writeFileSync(join(dir, "model.json"), JSON.stringify(json));
      const error = await rejection(loadModel(dir), FormatError);
      expect(error.message).toContain(`weights path ${JSON.stringify(path)} must be a file beside model.json`);
    });
  }

  it("reports a malformed weightsManifest entry", async () => {
    const dir = copyOfSaved();
    const json = readModelJson(dir);
    writeFileSync(join(dir, "model.json"), JSON.stringify({...json, weightsManifest: [{paths: "weights.bin"}]}));
    const error = await rejection(loadModel(dir), FormatError);
    expect(error.message).toMatch(/malformed weightsManifest entry/);
  });
});
