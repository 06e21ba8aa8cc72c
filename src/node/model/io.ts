/**
 * Saving and loading models in the TF.js layers format (`model.json` + a binary weights file),
 * without tfjs-node's file system handler.
 *
 * Crash safety: weights go to a file named by their content first, then `model.json` is atomically
 * replaced to point at it, and only then are older weight files removed. A reader therefore
 * always finds a `model.json` whose weights file is complete (or, when a save removed it in the
 * instant between the two reads, a newer model.json, and retries).
 *
 * Hostile files: model.json and the weights are read only as regular files (never a FIFO or a
 * device), and the weights only up to what the manifest's shapes need, checked against `stat`
 * before any is read.
 */
import {createHash} from "node:crypto";
import {mkdir, readdir, rm, stat} from "node:fs/promises";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";

import {FormatError, UserError} from "../../core/errors.js";
import {disposeVariablesOnFailure} from "../../core/model/leakFree.js";
import {checkTopologySizes} from "../../core/model/topologyCheck.js";
import {removeStaleTemps, writeFileAtomic} from "../fs/atomicFile.js";
import {isEnoent} from "../fs/errno.js";
import {lockFolder} from "../fs/lock.js";
import {readRegularFile, readRegularTextFile} from "../fs/readRegularFile.js";

interface ModelJson {
  format?: string;
  generatedBy?: string;
  modelTopology: object;
  weightsManifest: {paths: string[]; weights: tf.io.WeightsManifestEntry[]}[];
}

function joinWeightData(data: tf.io.WeightData): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data);
}

/** Largest accepted model.json (the shipped one is 8 KB). */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;
/** Largest accepted total of weights (the shipped model has 0.7 MB). */
export const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;
/** Weight files saveModel writes (named by their content) or wrote before (named by time and PID). */
const OUR_WEIGHTS_FILE = /^weights-([0-9a-f]{16}|[0-9a-z]+-\d+)\.bin$/;

/**
 * Saves `model` into `dir` (created if needed). The weights file is named by its content, written
 * atomically, and referenced by an atomically replaced `model.json`; only then are weight files no
 * longer referenced removed. Saves into one folder take turns (its lock), so a save never removes
 * the weights another save is about to reference; readers never lock (see {@link loadModel}).
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, {recursive: true});
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
    })
  );
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error("saveModel: TF.js returned no weights");
  const bytes = new Uint8Array(joinWeightData(artifacts.weightData));
  const weightsFile = `weights-${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.bin`;
  const json: ModelJson = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (fmnist-vis)`,
    modelTopology: artifacts.modelTopology as object,
    weightsManifest: [{paths: [weightsFile], weights: artifacts.weightSpecs}]
  };
  const lock = await lockFolder(dir, {what: "model folder", waitMs: 60_000});
  try {
    // Same name, same bytes: an identical earlier save is reused rather than rewritten.
    const existing = await stat(join(dir, weightsFile)).catch(() => undefined);
    if (existing?.size !== bytes.length) await writeFileAtomic(join(dir, weightsFile), bytes);
    await writeFileAtomic(join(dir, "model.json"), JSON.stringify(json));
    for (const name of await readdir(dir)) {
      if (OUR_WEIGHTS_FILE.test(name) && name !== weightsFile) await rm(join(dir, name), {force: true});
    }
    await removeStaleTemps(dir);
  } finally {
    await lock.release();
  }
}

/**
 * Reads `dir/model.json` and its weights; throws a one-line {@link UserError} on any problem. A
 * save may replace the model between reading model.json and opening its weights file (which that
 * save then removes): the load is then retried with the new model.json.
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  for (let attempt = 1; ; attempt++) {
    const text = await readModelJson(dir);
    try {
      return await loadModelFrom(dir, text);
    } catch (error) {
      const replaced = isEnoent((error as Error).cause) && (await readModelJson(dir).catch(() => text)) !== text;
      if (!replaced || attempt >= 5) throw error;
    }
  }
}

async function readModelJson(dir: string): Promise<string> {
  const jsonPath = join(dir, "model.json");
  try {
    return await readRegularTextFile(jsonPath, MAX_MODEL_JSON_BYTES, "model.json");
  } catch (error) {
    if (isEnoent(error))
      throw new UserError(`No model at ${dir} (missing model.json); train one with \`fmnist train\`.`);
    if (error instanceof UserError) throw error;
    throw new UserError(`${jsonPath}: cannot read (${oneLine(error)})`, {cause: error});
  }
}

async function loadModelFrom(dir: string, text: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, "model.json");
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (error) {
    throw new FormatError(`${jsonPath}: not a valid model.json (${oneLine(error)})`);
  }
  if (!json || typeof json !== "object" || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new FormatError(`${jsonPath}: not a TF.js layers model (needs modelTopology and weightsManifest)`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const paths: string[] = [];
  for (const group of json.weightsManifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new FormatError(`${jsonPath}: malformed weightsManifest entry`);
    }
    for (const spec of group.weights as unknown[]) {
      if (!isWeightSpec(spec)) {
        throw new FormatError(`${jsonPath}: malformed weight entry ${JSON.stringify(spec)?.slice(0, 80)}`);
      }
      specs.push(spec);
    }
    for (const p of group.paths as unknown[]) {
      if (typeof p !== "string" || p.includes("..") || p.startsWith("/")) {
        throw new FormatError(`${jsonPath}: weights path ${JSON.stringify(p)} must be a file beside model.json`);
      }
      if (paths.includes(p)) throw new FormatError(`${jsonPath}: weights file ${p} is listed twice`);
      paths.push(p);
    }
  }
  // What the shapes need decides how much is read: never more, whatever the files or paths claim.
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype), 0);
  if (expected > MAX_WEIGHT_BYTES) {
    throw new FormatError(
      `${jsonPath}: the manifest declares ${expected} bytes of weights, over the ${MAX_WEIGHT_BYTES} limit`
    );
  }
  checkTopologySizes(jsonPath, json.modelTopology, (layer) => specs.find((s) => s.name === `${layer}/kernel`)?.shape);
  const sizes: number[] = [];
  for (const p of paths) {
    const info = await stat(join(dir, p)).catch((error: unknown) => {
      throw new UserError(`${jsonPath}: cannot read weights file ${p}: ${oneLine(error)}`, {cause: error});
    });
    if (!info.isFile()) throw new FormatError(`${jsonPath}: weights file ${p} is not a regular file`);
    sizes.push(info.size);
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== expected) {
    throw new FormatError(`${jsonPath}: weights are ${total} bytes but the manifest declares ${expected}`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const [i, p] of paths.entries()) {
    let b: Buffer;
    try {
      b = await readRegularFile(join(dir, p), sizes[i], "weights file");
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`${jsonPath}: cannot read weights file ${p}: ${oneLine(error)}`, {cause: error});
    }
    if (b.length !== sizes[i]) throw new FormatError(`${jsonPath}: weights file ${p} changed while it was read`);
    weightData.set(b, offset);
    offset += b.length;
  }
  try {
    return await disposeVariablesOnFailure(async () => {
      const topology = json.modelTopology as tf.io.ModelJSON["modelTopology"];
      const model = await tf.models.modelFromJSON({modelTopology: topology});
      // Decoded here rather than by tf.loadLayersModel, so they are disposed when loading fails too.
      const weights = tf.io.decodeWeights(weightData.buffer, specs);
      try {
        model.loadWeights(weights);
      } finally {
        tf.dispose(Object.values(weights));
      }
      return model;
    });
  } catch (error) {
    throw new FormatError(`${jsonPath}: cannot build the model: ${oneLine(error)}`);
  }
}

/** A weight entry needs a name, a shape of whole numbers and a dtype; anything else is left to TF.js. */
function isWeightSpec(spec: unknown): spec is tf.io.WeightsManifestEntry {
  if (spec === null || typeof spec !== "object") return false;
  const {name, shape, dtype} = spec as Record<string, unknown>;
  return (
    typeof name === "string" &&
    typeof dtype === "string" &&
    Array.isArray(shape) &&
    shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
  );
}

/** TF.js messages may span lines; the CLI prints errors as one. */
function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " ").trim();
}

function bytesPerElement(dtype: string): number {
  if (dtype === "float32" || dtype === "int32") return 4;
  if (dtype === "bool" || dtype === "uint8") return 1;
  if (dtype === "float16" || dtype === "uint16" || dtype === "int16") return 2;
  throw new FormatError(`unsupported weight dtype ${dtype}`);
}
