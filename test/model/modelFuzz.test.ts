/**
 * Fuzzing the model loaders with broken copies of real models: the shipped TF.js model with fields
 * of model.json removed, added or given the wrong type and its weights cut short, and the
 * original project's Keras .h5 with groups, datasets and attributes left out. Every case must end
 * in a model or a one-line {@link UserError}, never another exception, a hang or a huge allocation.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import h5wasm from "h5wasm/node";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {UserError} from "../../src/core/errors.js";
import {loadKerasH5} from "../../src/node/model/kerasH5.js";
import {loadAnyModel} from "../../src/node/model/loadAnyModel.js";
import {SEED_MODEL} from "../helpers/paths.js";
import {withoutLeak} from "../helpers/tensors.js";

const SEED = 20261129;
const MODEL_DIR = new URL("../../models/fashion-cnn/", import.meta.url).pathname;

let dir: string;
beforeAll(async () => {
  await selectBackend("wasm");
  await h5wasm.ready;
  dir = mkdtempSync(join(tmpdir(), "fmnist-model-fuzz-"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Loads with `load`; a model is fine (disposed), a one-line UserError is fine, anything else fails. */
async function outcome(load: () => Promise<tf.LayersModel>): Promise<"model" | "error"> {
  return withoutLeak(async () => {
    try {
      const model = await load();
      model.dispose();
      return "model" as const;
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).not.toContain("\n");
      return "error" as const;
    }
  });
}

type Json = null | boolean | number | string | Json[] | {[key: string]: Json};
type Path = (string | number)[];

/** Every path to a value inside `value` (objects and arrays alike), the root excluded. */
function paths(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((k) => [[...prefix, k], ...paths((value as Record<string, Json>)[k], [...prefix, k])]);
}

function parentOf(root: Json, path: Path): Record<string | number, Json> {
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  return node;
}

type Mutation =
  | {kind: "delete"; at: number}
  | {kind: "retype"; at: number; value: Json}
  | {kind: "extra"; at: number; key: string; value: Json};

function mutate(root: Json, m: Mutation): void {
  const all = paths(root);
  if (all.length === 0) return;
  const path = all[m.at % all.length];
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.kind === "retype") {
    parent[key] = m.value;
  } else {
    const target = parent[key];
    if (target !== null && typeof target === "object" && !Array.isArray(target)) target[m.key] = m.value;
  }
}

/** Values a field may be replaced with: wrong types, empty containers, hostile numbers. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, "", "float32", "../weights.bin", [], {}, [null], -1, 0, 1.5, 1e6, 2 ** 31, NaN),
  fc.jsonValue({maxDepth: 2}) as fc.Arbitrary<Json>
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({kind: fc.constant("delete" as const), at: fc.nat()}),
  fc.record({kind: fc.constant("retype" as const), at: fc.nat(), value: hostileValue}),
  fc.record({kind: fc.constant("extra" as const), at: fc.nat(), key: fc.string({maxLength: 12}), value: hostileValue})
);

describe("loadAnyModel on a damaged copy of the shipped TF.js model", () => {
  const NUM_RUNS = 150;
  it(`ends in a model or a one-line UserError (${NUM_RUNS} cases)`, async () => {
    const json = JSON.parse(readFileSync(join(MODEL_DIR, "model.json"), "utf8")) as {
      weightsManifest: {paths: string[]}[];
    };
    const weightsFile = json.weightsManifest[0].paths[0];
    const weights = readFileSync(join(MODEL_DIR, weightsFile));
    const counts = {model: 0, error: 0};
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutationArb, {minLength: 0, maxLength: 3}),
        fc.option(fc.nat({max: weights.length - 1}), {freq: 3}),
        async (mutations, cut) => {
          const copy = JSON.parse(JSON.stringify(json)) as Json;
          for (const m of mutations) mutate(copy, m);
          const caseDir = join(dir, `tfjs-${n++}`);
          mkdirSync(caseDir);
          writeFileSync(join(caseDir, "model.json"), JSON.stringify(copy));
          writeFileSync(join(caseDir, weightsFile), cut === null ? weights : weights.subarray(0, cut));
          counts[await outcome(async () => (await loadAnyModel(caseDir)).model)]++;
          rmSync(caseDir, {recursive: true, force: true});
        }
      ),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    console.log(`model.json fuzz: ${n} cases, ${counts.model} loaded, ${counts.error} one-line errors`);
    expect(n).toBe(NUM_RUNS);
    expect(counts.error).toBeGreaterThan(0);
  }, 120_000);
});

type H5Entity = InstanceType<typeof h5wasm.Group> | InstanceType<typeof h5wasm.Dataset>;

/** Every group, dataset and attribute path in an HDF5 file ("path" or "path@attr"). */
function h5Items(group: InstanceType<typeof h5wasm.Group>, prefix = ""): string[] {
  const items = Object.keys(group.attrs).map((a) => `${prefix}@${a}`);
  for (const name of group.keys()) {
    const entity = group.get(name) as H5Entity;
    const path = `${prefix}/${name}`;
    items.push(path, ...Object.keys(entity.attrs).map((a) => `${path}@${a}`));
    if (entity instanceof h5wasm.Group) items.push(...h5Items(entity, path).filter((i) => !i.startsWith(`${path}@`)));
  }
  return items;
}

/** Copies `source` into `target`, leaving out the items in `skip` (and everything below them). */
function copyH5(
  source: InstanceType<typeof h5wasm.Group>,
  target: InstanceType<typeof h5wasm.Group>,
  skip: Set<string>,
  prefix = "",
  replaced: Record<string, string> = {}
): void {
  for (const [name, attr] of Object.entries(source.attrs)) {
    const value = replaced[`${prefix}@${name}`] ?? (attr.value as string | string[]);
    if (!skip.has(`${prefix}@${name}`)) target.create_attribute(name, value);
  }
  for (const name of source.keys()) {
    const path = `${prefix}/${name}`;
    if (skip.has(path)) continue;
    const entity = source.get(name) as H5Entity;
    if (entity instanceof h5wasm.Group) {
      copyH5(entity, target.create_group(name), skip, path, replaced);
    } else {
      const dataset = target.create_dataset({
        name,
        data: entity.value as Float32Array,
        shape: entity.shape ?? undefined,
        dtype: entity.dtype as string
      });
      for (const [a, attr] of Object.entries(entity.attrs)) {
        if (!skip.has(`${path}@${a}`)) dataset.create_attribute(a, attr.value as string | string[]);
      }
    }
  }
}

describe("loadKerasH5 on the seed model with groups, datasets or attributes left out", () => {
  const NUM_RUNS = 40;
  it(`ends in a model or a one-line UserError (${NUM_RUNS} cases)`, async () => {
    const local = join(dir, "seed.h5");
    copyFileSync(SEED_MODEL, local);
    const source = new h5wasm.File(local, "r");
    const items = h5Items(source);
    const counts = {model: 0, error: 0};
    let n = 0;
    try {
      // Always leave something out; weights of the model are the interesting part, so they are likelier.
      const weightItems = items.filter((i) => i.startsWith("/model_weights") || i.startsWith("@"));
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.constantFrom(...weightItems, ...items), {minLength: 1, maxLength: 3}),
          async (skipped) => {
            const path = join(dir, `case-${n++}.h5`);
            const target = new h5wasm.File(path, "w");
            copyH5(source, target, new Set(skipped));
            target.close();
            counts[await outcome(() => loadKerasH5(path))]++;
            rmSync(path);
          }
        ),
        {seed: SEED, numRuns: NUM_RUNS}
      );
    } finally {
      source.close();
    }
    console.log(
      `.h5 fuzz: ${n} cases from ${items.length} items, ${counts.model} loaded, ${counts.error} one-line errors`
    );
    expect(n).toBe(NUM_RUNS);
    expect(counts.error).toBeGreaterThan(0);
  }, 120_000);
});

describe("model files asking for huge layers", () => {
  // Building the model allocates every weight before TF.js compares shapes: 3x3x64x1e6 floats is 2.3 GB.
  it("rejects a model.json whose conv2d_1 has 1,000,000 filters before building it", async () => {
    const caseDir = join(dir, "huge-tfjs");
    mkdirSync(caseDir);
    const json = JSON.parse(readFileSync(join(MODEL_DIR, "model.json"), "utf8")) as {
      modelTopology: {config: {layers: {config: Record<string, unknown>}[]}};
      weightsManifest: {paths: string[]}[];
    };
    json.modelTopology.config.layers[1].config.filters = 1_000_000;
    const weightsFile = json.weightsManifest[0].paths[0];
    copyFileSync(join(MODEL_DIR, weightsFile), join(caseDir, weightsFile));
    writeFileSync(join(caseDir, "model.json"), JSON.stringify(json));
    const before = tf.memory().numBytes;
    await expect(loadAnyModel(caseDir)).rejects.toThrow(
      /layer conv2d_1: filters 1000000 does not match its kernel weights \(\[3, 3, 64, 64\]\)/
    );
    expect(tf.memory().numBytes).toBe(before);
  });

  it("rejects a .h5 whose model_config asks for a 100000x100000 input or 1,000,000 units", async () => {
    const local = join(dir, "seed-for-sizes.h5");
    copyFileSync(SEED_MODEL, local);
    const source = new h5wasm.File(local, "r");
    const config = JSON.parse(source.attrs.model_config.value as string) as {
      config: {layers: {class_name: string; config: Record<string, unknown>}[]};
    };
    const variants: [string, (c: typeof config) => void, RegExp][] = [
      ["input", (c) => (c.config.layers[0].config.batch_input_shape = [null, 100000, 100000, 1]), /input shape/],
      ["units", (c) => (c.config.layers.at(-1)!.config.units = 1_000_000), /units 1000000 does not match/]
    ];
    try {
      for (const [name, change, message] of variants) {
        const copy = JSON.parse(JSON.stringify(config)) as typeof config;
        change(copy);
        const path = join(dir, `huge-${name}.h5`);
        const target = new h5wasm.File(path, "w");
        copyH5(source, target, new Set(), "", {"@model_config": JSON.stringify(copy)});
        target.close();
        await expect(loadKerasH5(path)).rejects.toThrow(message);
      }
    } finally {
      source.close();
    }
  });
});
