/**
 * Builds a TF.js model from an opened Keras 2 HDF5 file (`model.save("model.h5")`). The file's
 * `model_config` attribute holds the Keras architecture as JSON, which TF.js layers deserialises
 * directly (its layer configs mirror Keras'); the weights live in `model_weights/<layer>/` with a
 * `weight_names` attribute giving their order, which is also the order TF.js layers expect
 * (kernel, bias; gamma, beta, moving mean, moving variance). Only the layers this project supports
 * are accepted, so an unsupported model fails up front with a message naming the layer.
 *
 * Isomorphic: the HDF5 library (h5wasm's Node or browser build) is passed in, so the CLI
 * (../../node/model/kerasH5.ts) and the web app (a dropped file) share this one importer.
 */
import * as tf from "@tensorflow/tfjs";

import {FormatError, UserError} from "../errors.js";
import {disposeVariablesOnFailure} from "./leakFree.js";
import {checkTopologySizes} from "./topologyCheck.js";

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

/** The first eight bytes of every HDF5 file that keeps its superblock at offset 0, as Keras writes them. */
export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a] as const;

export function hasHdf5Signature(bytes: ArrayLike<number>): boolean {
  return bytes.length >= 8 && HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** The error for a file without that signature, named `where` (the CLI's path, the browser's file name). */
export function notHdf5Error(where: string): FormatError {
  return new FormatError(`${where}: not an HDF5 file (no HDF5 signature); expected a Keras model saved as .h5`);
}

/** What the importer uses of h5wasm (its Node and browser builds both have it). */
interface H5Attributed {
  attrs: Record<string, {value: unknown}>;
}
export interface H5Group extends H5Attributed {
  get(name: string): unknown;
}
export interface H5Dataset extends H5Attributed {
  shape: number[] | null;
  value: unknown;
}
export interface H5Library {
  Group: abstract new (...args: never[]) => H5Group;
  Dataset: abstract new (...args: never[]) => H5Dataset;
}

interface KerasLayerConfig {
  class_name: string;
  config: {name: string; [key: string]: unknown};
}

interface KerasModelConfig {
  class_name: string;
  config: {name?: string; layers: KerasLayerConfig[]} | KerasLayerConfig[];
}

function attrString(entity: H5Attributed, name: string): string | undefined {
  const value = entity.attrs[name]?.value;
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

function attrStrings(entity: H5Attributed, name: string): string[] {
  const value = entity.attrs[name]?.value;
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.map(String);
  return [];
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}

/**
 * Runs a synchronous stretch of HDF5 calls; the Node build passes one that keeps the C library's
 * error stack off stderr (it writes there directly).
 */
export type H5Guard = <T>(fn: () => T) => T;

/**
 * The model in the opened `file` (the root group); `where` names it in errors. Problems are one-line
 * {@link FormatError}s, an unsupported layer a {@link UserError}.
 */
export async function modelFromKerasH5(
  lib: H5Library,
  file: H5Group,
  where: string,
  guard: H5Guard = (fn) => fn()
): Promise<tf.LayersModel> {
  try {
    const configText = guard(() => attrString(file, "model_config"));
    if (!configText) {
      throw new FormatError(`${where}: no model_config attribute; is this a Keras model saved with model.save()?`);
    }
    let config: KerasModelConfig;
    try {
      config = JSON.parse(configText) as KerasModelConfig;
    } catch (error) {
      throw new FormatError(`${where}: model_config is not valid JSON (${(error as Error).message})`);
    }
    const layers = Array.isArray(config.config) ? config.config : config.config?.layers;
    if (!Array.isArray(layers)) throw new FormatError(`${where}: model_config has no layer list`);
    const unsupported = layers.filter((l) => !(SUPPORTED_KERAS_LAYERS as readonly string[]).includes(l?.class_name));
    if (unsupported.length > 0) {
      const names = unsupported.map((l) => `${l?.config?.name ?? "?"} (${l?.class_name})`).join(", ");
      throw new UserError(
        `${where}: unsupported Keras layer ${names}; supported: ${SUPPORTED_KERAS_LAYERS.join(", ")}`
      );
    }
    guard(() => checkTopologySizes(where, config, (layer) => kernelShapeInFile(lib, file, layer)));
    let model: tf.LayersModel;
    try {
      model = await disposeVariablesOnFailure(() =>
        tf.models.modelFromJSON({modelTopology: config as unknown as tf.io.ModelJSON["modelTopology"]})
      );
    } catch (error) {
      throw new FormatError(`${where}: cannot build the model from model_config (${firstLine(error)})`);
    }
    try {
      guard(() => setWeightsFromFile(lib, where, file, model));
    } catch (error) {
      model.dispose();
      throw error;
    }
    return model;
  } catch (error) {
    if (error instanceof UserError) throw error;
    // A file that opens but is damaged inside: h5wasm throws plain strings or errors from the C library.
    throw new FormatError(`${where}: cannot read the Keras model (${firstLine(error)})`);
  }
}

/** The group holding the layers' weight groups: `model_weights/`, or the root in weights-only files. */
function weightsRoot(lib: H5Library, file: H5Group): H5Group | undefined {
  const root = file.get("model_weights") ?? file;
  return root instanceof lib.Group ? root : undefined;
}

/** Shape of a layer's kernel in `model_weights/<layer>/`, if it has one. */
function kernelShapeInFile(lib: H5Library, file: H5Group, layer: string): number[] | undefined {
  const group = weightsRoot(lib, file)?.get(layer);
  if (!(group instanceof lib.Group)) return undefined;
  const name = attrStrings(group, "weight_names").find((n) => /kernel(:0)?$/.test(n));
  const dataset = name === undefined ? undefined : group.get(name);
  return dataset instanceof lib.Dataset ? (dataset.shape ?? undefined) : undefined;
}

/** Copies each layer's weights from `model_weights/<layer>/` into `model`. */
function setWeightsFromFile(lib: H5Library, where: string, file: H5Group, model: tf.LayersModel): void {
  const root = weightsRoot(lib, file);
  if (!root) throw new FormatError(`${where}: no model_weights group`);
  for (const layer of model.layers) {
    const expected = layer.getWeights().length;
    if (expected === 0) continue;
    const group = root.get(layer.name);
    if (!(group instanceof lib.Group)) {
      throw new FormatError(`${where}: missing weights group model_weights/${layer.name}`);
    }
    const names = attrStrings(group, "weight_names");
    if (names.length !== expected) {
      throw new FormatError(
        `${where}: layer ${layer.name} has ${names.length} weights in the file, the model needs ${expected}`
      );
    }
    // Disposed also when a later weight of the layer is missing or malformed.
    const tensors: tf.Tensor[] = [];
    try {
      names.forEach((name, i) => {
        const dataset = group.get(name);
        if (!(dataset instanceof lib.Dataset)) {
          throw new FormatError(`${where}: missing dataset model_weights/${layer.name}/${name}`);
        }
        const shape = dataset.shape ?? [];
        const want = layer.weights[i].shape;
        if (shape.join("x") !== want.join("x")) {
          throw new FormatError(
            `${where}: ${layer.name}/${name} has shape [${shape.join(", ")}], expected [${want.join(", ")}]`
          );
        }
        const value = dataset.value;
        if (!(value instanceof Float32Array || value instanceof Float64Array)) {
          throw new FormatError(`${where}: ${layer.name}/${name} is not a float dataset`);
        }
        tensors.push(tf.tensor(Float32Array.from(value), shape));
      });
      layer.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }
}
