/**
 * Small hostile files that used to make the loaders allocate gigabytes or hang (issue 14, item
 * 14), each now refused quickly with a one-line error before anything large is read: a model.json
 * listing one weights file 4,000 times or declaring weights far beyond what its files hold, 50,000
 * no-op layers, weights / model.json / metadata.json / event files that are a symbolic link to
 * /dev/zero or a FIFO (opening a FIFO for reading blocks until a writer comes: never, here).
 */
import {execFileSync} from "node:child_process";
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {UserError} from "../../src/core/errors.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {loadModel} from "../../src/node/model/io.js";
import {loadAnyModel} from "../../src/node/model/loadAnyModel.js";
import {readEventFile} from "../../src/node/tensorboard/reader.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-hostile-files-"));
let counter = 0;
beforeAll(() => selectBackend("cpu"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

interface ModelJson {
  modelTopology: {config: {layers: unknown[]}};
  weightsManifest: {paths: string[]; weights: {name: string; shape: number[]; dtype: string}[]}[];
}

function copyOfShipped(): {dir: string; json: ModelJson; weights: string} {
  const dir = join(root, `m${counter++}`);
  cpSync(DEFAULT_MODEL_DIR, dir, {recursive: true, filter: (src) => !src.includes("/run")});
  const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as ModelJson;
  return {dir, json, weights: json.weightsManifest[0].paths[0]};
}

/** Expects a one-line UserError within `ms`, with the heap growing by less than 100 MB. */
async function refusedQuickly(load: Promise<unknown>, message: string | RegExp, ms = 10_000): Promise<void> {
  const heap = process.memoryUsage().rss;
  const started = performance.now();
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms));
  const error = await Promise.race([load, timeout]).then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain("\n");
  expect(performance.now() - started).toBeLessThan(ms);
  expect(process.memoryUsage().rss - heap).toBeLessThan(100 * 1024 * 1024);
}

describe("model files that ask for huge allocations", () => {
  it("a weights file listed 4,000 times", async () => {
    const {dir, json, weights} = copyOfShipped();
    json.weightsManifest[0].paths = Array.from({length: 4000}, () => weights);
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    await refusedQuickly(loadModel(dir), `weights file ${weights} is listed twice`);
  });

  it("a manifest declaring 4,000 times the weights its one file holds", async () => {
    const {dir, json} = copyOfShipped();
    const specs = json.weightsManifest[0].weights;
    json.weightsManifest[0].weights = Array.from({length: 4000}, (_, i) =>
      specs.map((s) => ({...s, name: `${i}/${s.name}`}))
    ).flat();
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    await refusedQuickly(loadModel(dir), /the manifest declares \d+ bytes of weights, over the \d+ limit/);
  });

  it("50,000 no-op layers", async () => {
    const {dir, json} = copyOfShipped();
    const layers = json.modelTopology.config.layers;
    const noop = {
      class_name: "Activation",
      config: {name: "noop", activation: "linear", trainable: true, dtype: "float32"}
    };
    const many = Array.from({length: 50_000}, (_, i) => ({...noop, config: {...noop.config, name: `noop_${i}`}}));
    json.modelTopology.config.layers = [layers[0], ...many, ...layers.slice(1)];
    writeFileSync(join(dir, "model.json"), JSON.stringify(json));
    await refusedQuickly(
      loadModel(dir),
      "model.json: more than 512 layers (building them would take minutes and gigabytes)"
    );
  });
});

describe("files that are not regular files", () => {
  const fifo = (path: string) => execFileSync("mkfifo", [path]);

  it("weights: a link to /dev/zero, a FIFO", async () => {
    for (const make of [(p: string) => symlinkSync("/dev/zero", p), fifo]) {
      const {dir, weights} = copyOfShipped();
      rmSync(join(dir, weights));
      make(join(dir, weights));
      await refusedQuickly(loadModel(dir), `weights file ${weights} is not a regular file`);
    }
  });

  it("model.json and metadata.json: a link to /dev/zero, a FIFO", async () => {
    for (const name of ["model.json", "metadata.json"]) {
      for (const make of [(p: string) => symlinkSync("/dev/zero", p), fifo]) {
        const {dir} = copyOfShipped();
        rmSync(join(dir, name));
        make(join(dir, name));
        await refusedQuickly(
          loadAnyModel(dir),
          new RegExp(`${name}: (a device|a FIFO), not a ${name}; refusing to read it`)
        );
      }
    }
  });

  it("an event file or a --model .h5 that is a FIFO or a link to /dev/zero", async () => {
    const dir = join(root, "events");
    mkdirSync(dir);
    symlinkSync("/dev/zero", join(dir, "events.out.tfevents.1.zero"));
    fifo(join(dir, "events.out.tfevents.2.fifo"));
    await refusedQuickly(
      readEventFile(join(dir, "events.out.tfevents.1.zero")),
      /a device, not a TensorBoard event file/
    );
    await refusedQuickly(
      readEventFile(join(dir, "events.out.tfevents.2.fifo")),
      /a FIFO, not a TensorBoard event file/
    );
    fifo(join(dir, "model.h5"));
    await refusedQuickly(loadAnyModel(join(dir, "model.h5")), /model\.h5: not a regular file/);
  });
});
