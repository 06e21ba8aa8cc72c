/**
 * Importer for Keras 2 HDF5 models saved with `model.save("model.h5")`, read with h5wasm.
 *
 * The file's `model_config` attribute holds the Keras architecture as JSON, which TF.js layers
 * deserialises directly (its layer configs mirror Keras'); the weights live in
 * `model_weights/<layer>/` with a `weight_names` attribute giving their order, which is also the
 * order TF.js layers expect (kernel, bias; gamma, beta, moving mean, moving variance).
 * Only the layers this project supports are accepted, so an unsupported model fails up front with
 * a message naming the layer instead of deep inside TF.js.
 */
import fs from "node:fs";
import {open} from "node:fs/promises";

import * as tf from "@tensorflow/tfjs";
import h5wasm from "h5wasm/node";

import {UserError, FormatError} from "../../core/errors.js";
import {disposeVariablesOnFailure} from "../../core/model/leakFree.js";
import {checkTopologySizes} from "../../core/model/topologyCheck.js";

export const SUPPORTED_KERAS_LAYERS = [
  "InputLayer",
  "Conv2D",
  "MaxPooling2D",
  "BatchNormalization",
  "GlobalAveragePooling2D",
  "Dropout",
  "Dense",
  "Flatten",
  "Activation"
] as const;

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

interface KerasLayerConfig {
  class_name: string;
  config: {name: string; [key: string]: unknown};
}

interface KerasModelConfig {
  class_name: string;
  config: {name?: string; layers: KerasLayerConfig[]} | KerasLayerConfig[];
}

/** True when the file starts with the HDF5 signature (Keras .h5 files keep the superblock at offset 0). */
export async function isHdf5File(path: string): Promise<boolean> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return false;
  try {
    const {buffer, bytesRead} = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return bytesRead === 8 && HDF5_SIGNATURE.every((b, i) => buffer[i] === b);
  } finally {
    await handle.close();
  }
}

/**
 * Runs `fn` with the HDF5 C library's error stack kept off stderr. h5wasm's Node build maps the C
 * library's stderr straight to file descriptor 2 with `fs.writeSync` (Emscripten NODERAWFS), so
 * patching `process.stderr.write` is not enough. Returns the result and the text the library wrote.
 */
function quietly<T>(fn: () => T): {result: T; diagnostics: string} {
  const write = process.stderr.write;
  const writeSync = fs.writeSync;
  let diagnostics = "";
  process.stderr.write = (() => true) as typeof process.stderr.write;
  fs.writeSync = ((fd: number, buffer: Uint8Array | string, ...rest: unknown[]): number => {
    if (fd !== 2) return (writeSync as (...args: unknown[]) => number)(fd, buffer, ...rest);
    if (typeof buffer === "string") {
      diagnostics += buffer;
      return Buffer.byteLength(buffer);
    }
    const offset = typeof rest[0] === "number" ? rest[0] : 0;
    const length = typeof rest[1] === "number" ? rest[1] : buffer.byteLength - offset;
    diagnostics += Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).toString("utf8");
    return length;
  }) as typeof fs.writeSync;
  try {
    return {result: fn(), diagnostics};
  } finally {
    process.stderr.write = write;
    fs.writeSync = writeSync;
  }
}

/** The most specific message of an HDF5 error stack ("truncated file: eof = ..."), or "". */
function hdf5Reason(diagnostics: string): string {
  const frames = diagnostics.match(/#\d+:.*? in [\w.]+\(\): (.*)/g) ?? [];
  const last = frames.at(-1);
  return last ? last.replace(/^#\d+:.*? in [\w.]+\(\): /, "").trim() : "";
}

type H5Group = InstanceType<typeof h5wasm.Group>;
type H5Entity = ReturnType<H5Group["get"]>;

function attrString(entity: {attrs: Record<string, {value: unknown}>}, name: string): string | undefined {
  const value = entity.attrs[name]?.value;
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

function attrStrings(entity: {attrs: Record<string, {value: unknown}>}, name: string): string[] {
  const value = entity.attrs[name]?.value;
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.map(String);
  return [];
}

/** Loads a Keras .h5 model as a TF.js LayersModel; throws a one-line error naming the file on any problem. */
export async function loadKerasH5(path: string): Promise<tf.LayersModel> {
  if (!(await isHdf5File(path))) {
    throw new FormatError(`${path}: not an HDF5 file (no HDF5 signature); expected a Keras model saved as .h5`);
  }
  await h5wasm.ready;
  let opened: {result: InstanceType<typeof h5wasm.File>; diagnostics: string};
  try {
    opened = quietly(() => new h5wasm.File(path, "r"));
  } catch (error) {
    throw new FormatError(`${path}: cannot open HDF5 file (${(error as Error).message.split("\n")[0]})`);
  }
  // h5wasm does not throw when H5Fopen fails (a truncated or damaged file): it returns a negative id.
  if (opened.result.file_id < 0n) {
    const reason = hdf5Reason(opened.diagnostics) || "damaged or truncated";
    throw new FormatError(`${path}: cannot open HDF5 file (${reason})`);
  }
  const file = opened.result;
  try {
    const configText = quietly(() => attrString(file, "model_config")).result;
    if (!configText) {
      throw new FormatError(`${path}: no model_config attribute; is this a Keras model saved with model.save()?`);
    }
    let config: KerasModelConfig;
    try {
      config = JSON.parse(configText) as KerasModelConfig;
    } catch (error) {
      throw new FormatError(`${path}: model_config is not valid JSON (${(error as Error).message})`);
    }
    const layers = Array.isArray(config.config) ? config.config : config.config?.layers;
    if (!Array.isArray(layers)) throw new FormatError(`${path}: model_config has no layer list`);
    const unsupported = layers.filter((l) => !(SUPPORTED_KERAS_LAYERS as readonly string[]).includes(l?.class_name));
    if (unsupported.length > 0) {
      const names = unsupported.map((l) => `${l?.config?.name ?? "?"} (${l?.class_name})`).join(", ");
      throw new UserError(`${path}: unsupported Keras layer ${names}; supported: ${SUPPORTED_KERAS_LAYERS.join(", ")}`);
    }
    quietly(() => checkTopologySizes(path, config, (layer) => kernelShapeInFile(file, layer)));
    let model: tf.LayersModel;
    try {
      model = await disposeVariablesOnFailure(() =>
        tf.models.modelFromJSON({modelTopology: config as unknown as tf.io.ModelJSON["modelTopology"]})
      );
    } catch (error) {
      throw new FormatError(`${path}: cannot build the model from model_config (${firstLine(error)})`);
    }
    try {
      quietly(() => setWeightsFromFile(path, file, model));
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  } catch (error) {
    if (error instanceof UserError) throw error;
    // A file that opens but is damaged inside: h5wasm throws plain strings or errors from the C library.
    throw new FormatError(`${path}: cannot read the Keras model (${firstLine(error)})`);
  } finally {
    quietly(() => file.close());
  }
}

/** Shape of a layer's kernel in `model_weights/<layer>/`, if it has one. */
function kernelShapeInFile(file: InstanceType<typeof h5wasm.File>, layer: string): number[] | undefined {
  const root = (file.get("model_weights") ?? file) as H5Entity;
  const group = root instanceof h5wasm.Group ? root.get(layer) : undefined;
  if (!(group instanceof h5wasm.Group)) return undefined;
  const name = attrStrings(group, "weight_names").find((n) => /kernel(:0)?$/.test(n));
  const dataset = name === undefined ? undefined : group.get(name);
  return dataset instanceof h5wasm.Dataset ? (dataset.shape ?? undefined) : undefined;
}

/** Copies each layer's weights from `model_weights/<layer>/` into `model`. */
function setWeightsFromFile(path: string, file: InstanceType<typeof h5wasm.File>, model: tf.LayersModel): void {
  const weightsRoot = (file.get("model_weights") ?? file) as H5Entity;
  if (!(weightsRoot instanceof h5wasm.Group)) throw new FormatError(`${path}: no model_weights group`);
  for (const layer of model.layers) {
    const expected = layer.getWeights().length;
    if (expected === 0) continue;
    const group = weightsRoot.get(layer.name);
    if (!(group instanceof h5wasm.Group)) {
      throw new FormatError(`${path}: missing weights group model_weights/${layer.name}`);
    }
    const names = attrStrings(group, "weight_names");
    if (names.length !== expected) {
      throw new FormatError(
        `${path}: layer ${layer.name} has ${names.length} weights in the file, the model needs ${expected}`
      );
    }
    // Disposed also when a later weight of the layer is missing or malformed.
    const tensors: tf.Tensor[] = [];
    try {
      names.forEach((name, i) => {
        const dataset = group.get(name);
        if (!(dataset instanceof h5wasm.Dataset)) {
          throw new FormatError(`${path}: missing dataset model_weights/${layer.name}/${name}`);
        }
        const shape = dataset.shape ?? [];
        const want = layer.weights[i].shape;
        if (shape.join("x") !== want.join("x")) {
          throw new FormatError(
            `${path}: ${layer.name}/${name} has shape [${shape.join(", ")}], expected [${want.join(", ")}]`
          );
        }
        const value = dataset.value;
        if (!(value instanceof Float32Array || value instanceof Float64Array)) {
          throw new FormatError(`${path}: ${layer.name}/${name} is not a float dataset`);
        }
        tensors.push(tf.tensor(Float32Array.from(value), shape));
      });
      layer.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}
