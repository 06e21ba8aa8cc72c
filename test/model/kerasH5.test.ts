/**
 * The Keras .h5 importer on the original project's trained model, and on broken or foreign files
 * written here with h5wasm.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import h5wasm from "h5wasm/node";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {IMAGE_SIZE} from "../../src/core/data/fashionMnist.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {UserError, FormatError} from "../../src/core/errors.js";
import {createCnn, LAYER_NAMES} from "../../src/core/model/cnn.js";
import {isHdf5File, loadKerasH5} from "../../src/node/model/kerasH5.js";
import {loadAnyModel} from "../../src/node/model/loadAnyModel.js";
import {SEED_MODEL} from "../helpers/paths.js";
import {rejection} from "../helpers/rejection.js";

let dir: string;
let model: tf.LayersModel;
beforeAll(async () => {
  await selectBackend("wasm");
  await h5wasm.ready;
  dir = mkdtempSync(join(tmpdir(), "fmnist-h5-"));
  model = await loadKerasH5(SEED_MODEL);
});
afterAll(() => {
  model?.dispose();
  rmSync(dir, {recursive: true, force: true});
});

/** Writes an HDF5 file with the given root attributes (and nothing else). */
function writeH5(name: string, attrs: Record<string, string>): string {
  const path = join(dir, name);
  const file = new h5wasm.File(path, "w");
  for (const [key, value] of Object.entries(attrs)) file.create_attribute(key, value);
  file.close();
  return path;
}

/** Awaits a rejection and checks it is a one-line error of `type` naming `path`. */
async function oneLineError(promise: Promise<unknown>, type: typeof UserError, path: string): Promise<string> {
  const {message} = await rejection(promise, type);
  expect(message).toContain(path);
  expect(message).not.toContain("\n");
  return message;
}

describe("loadKerasH5 on the seed model", () => {
  it("has the layers of src/core/model/cnn.ts, with the same names, classes and shapes", () => {
    const ours = createCnn();
    expect(model.layers.map((l) => l.name)).toEqual([...LAYER_NAMES]);
    expect(model.layers.map((l) => l.getClassName())).toEqual(ours.layers.map((l) => l.getClassName()));
    expect(model.layers.map((l) => l.outputShape)).toEqual(ours.layers.map((l) => l.outputShape));
    expect(model.countParams()).toBe(ours.countParams());
    ours.dispose();
  });

  it("loads the trained weights (BatchNormalization moving statistics included)", () => {
    const bn = model.getLayer("batch_normalization");
    expect(bn.getWeights().map((w) => w.shape)).toEqual([[64], [64], [64], [64]]);
    const movingVariance = bn.getWeights()[3].dataSync();
    // Trained statistics, not the initial ones (1.0).
    expect(Array.from(movingVariance).some((v) => Math.abs(v - 1) > 0.01)).toBe(true);
  });

  it("classifies the first 500 test images with accuracy above 0.85", async () => {
    const test = normalise(await loadFashionMnist("test", {limit: 500}));
    let correct = 0;
    for (let start = 0; start < test.count; start += 100) {
      const n = Math.min(100, test.count - start);
      const predicted = tf.tidy(() => {
        const xs = tf.tensor4d(test.xs.subarray(start * 784, (start + n) * 784), [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
        return (model.predict(xs) as tf.Tensor).argMax(-1).dataSync();
      });
      for (let i = 0; i < n; i++) if (predicted[i] === test.ys[start + i]) correct++;
    }
    expect(correct / test.count).toBeGreaterThan(0.85);
  });

  it("is what loadAnyModel returns for a .h5 path, whatever the extension", async () => {
    const copy = join(dir, "seed-model.bin");
    copyFileSync(SEED_MODEL, copy);
    expect(await isHdf5File(copy)).toBe(true);
    const loaded = await loadAnyModel(copy);
    expect(loaded.format).toBe("keras-h5");
    expect(loaded.metadata).toBeUndefined();
    expect(loaded.model.layers).toHaveLength(LAYER_NAMES.length);
    loaded.model.dispose();
  });
});

describe("loadKerasH5 errors", () => {
  it("rejects a file that is not HDF5", async () => {
    const path = join(dir, "text.h5");
    writeFileSync(path, "not a model\n");
    expect(await isHdf5File(path)).toBe(false);
    const message = await oneLineError(loadKerasH5(path), FormatError, path);
    expect(message).toMatch(/not an HDF5 file/);
  });

  it("rejects an HDF5 file without model_config", async () => {
    const path = writeH5("no-config.h5", {note: "hello"});
    expect(await isHdf5File(path)).toBe(true);
    const message = await oneLineError(loadKerasH5(path), FormatError, path);
    expect(message).toMatch(/no model_config attribute/);
  });

  it("names an unsupported layer", async () => {
    const config = {
      class_name: "Sequential",
      config: {
        name: "rnn",
        layers: [
          {class_name: "InputLayer", config: {name: "input_1", batch_input_shape: [null, 28, 28]}},
          {class_name: "LSTM", config: {name: "lstm", units: 8}},
          {class_name: "Dense", config: {name: "dense", units: 10}}
        ]
      }
    };
    const path = writeH5("lstm.h5", {model_config: JSON.stringify(config), keras_version: "2.4.0"});
    const message = await oneLineError(loadKerasH5(path), UserError, path);
    expect(message).toContain("unsupported Keras layer lstm (LSTM)");
    expect(message).toContain("supported: InputLayer, Conv2D");
  });

  it("rejects model_config that is not JSON", async () => {
    const path = writeH5("bad-json.h5", {model_config: "{not json"});
    expect(await oneLineError(loadKerasH5(path), FormatError, path)).toMatch(/model_config is not valid JSON/);
  });

  it("rejects a model_config whose weights are missing", async () => {
    const config = JSON.parse(readModelConfig()) as unknown;
    const path = writeH5("no-weights.h5", {model_config: JSON.stringify(config)});
    expect(await oneLineError(loadKerasH5(path), FormatError, path)).toMatch(/no model_weights group|missing weights/);
  });

  it("rejects a truncated copy of the seed model with the HDF5 library's reason, on one line", async () => {
    const path = join(dir, "truncated.h5");
    writeFileSync(path, readFileSync(SEED_MODEL).subarray(0, 100_000));
    const message = await oneLineError(loadKerasH5(path), FormatError, path);
    expect(message).toMatch(/cannot open HDF5 file \(truncated file: eof = 100000/);
  });

  it("rejects a seed model whose weights were overwritten, on one line", async () => {
    const bytes = readFileSync(SEED_MODEL);
    bytes.fill(0, 300_000);
    const path = join(dir, "zeroed.h5");
    writeFileSync(path, bytes);
    await oneLineError(loadKerasH5(path), FormatError, path);
    // The importer still works afterwards.
    const again = await loadKerasH5(SEED_MODEL);
    expect(again.layers).toHaveLength(LAYER_NAMES.length);
    again.dispose();
  });
});

/** The seed model's model_config attribute. */
function readModelConfig(): string {
  const file = new h5wasm.File(SEED_MODEL, "r");
  try {
    const value = file.attrs["model_config"].value;
    return typeof value === "string" ? value : new TextDecoder().decode(value as Uint8Array);
  } finally {
    file.close();
  }
}
