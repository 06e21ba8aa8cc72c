/**
 * Saving and loading models in the TF.js layers format (`model.json` + a binary weights file),
 * without tfjs-node's file system handler.
 *
 * Crash safety: weights go to a new uniquely named file first, then `model.json` is atomically
 * replaced to point at it, and only then are older weight files removed. A reader therefore
 * always finds a `model.json` whose weights file is complete.
 */
import {readdir, readFile, rm, mkdir} from "node:fs/promises";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";

import {UserError, FormatError} from "../../core/errors.js";
import {isEnoent} from "../fs/errno.js";
import {writeFileAtomic} from "../fs/atomicFile.js";
import {disposeVariablesOnFailure} from "../../core/model/leakFree.js";
import {checkTopologySizes} from "../../core/model/topologyCheck.js";

interface ModelJson {
  format?: string;
  generatedBy?: string;
  modelTopology: object;
  weightsManifest: {paths: string[]; weights: tf.io.WeightsManifestEntry[]}[];
}

function joinWeightData(data: tf.io.WeightData): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data);
}

/** Saves `model` into `dir` (created if needed). */
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
  const weightsFile = `weights-${Date.now().toString(36)}-${process.pid}.bin`;
  await writeFileAtomic(join(dir, weightsFile), new Uint8Array(joinWeightData(artifacts.weightData)));
  const json: ModelJson = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs} (fmnist-vis)`,
    modelTopology: artifacts.modelTopology as object,
    weightsManifest: [{paths: [weightsFile], weights: artifacts.weightSpecs}]
  };
  await writeFileAtomic(join(dir, "model.json"), JSON.stringify(json));
  for (const name of await readdir(dir)) {
    if (/^weights-.*\.bin$/.test(name) && name !== weightsFile) await rm(join(dir, name), {force: true});
  }
}

/** Reads `dir/model.json` and its weights; throws a one-line {@link UserError} on any problem. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, "model.json");
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, "utf8")) as ModelJson;
  } catch (error) {
    if (isEnoent(error))
      throw new UserError(`No model at ${dir} (missing model.json); train one with \`fmnist train\`.`);
    throw new FormatError(`${jsonPath}: not a valid model.json (${oneLine(error)})`);
  }
  if (!json || typeof json !== "object" || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new FormatError(`${jsonPath}: not a TF.js layers model (needs modelTopology and weightsManifest)`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
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
    for (const p of group.paths) {
      if (typeof p !== "string" || p.includes("..") || p.startsWith("/")) {
        throw new FormatError(`${jsonPath}: weights path ${JSON.stringify(p)} must be a file beside model.json`);
      }
      try {
        buffers.push(await readFile(join(dir, p)));
      } catch (error) {
        throw new UserError(`${jsonPath}: cannot read weights file ${p}: ${(error as Error).message}`);
      }
    }
  }
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype), 0);
  if (total !== expected) {
    throw new FormatError(`${jsonPath}: weights are ${total} bytes but the manifest declares ${expected}`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.length;
  }
  checkTopologySizes(jsonPath, json.modelTopology, (layer) => specs.find((s) => s.name === `${layer}/kernel`)?.shape);
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
