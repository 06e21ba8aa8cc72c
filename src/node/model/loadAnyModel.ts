/** Loads a model from what the user passed to `--model`: a TF.js model folder, its model.json, or a Keras .h5 file. */
import {stat} from "node:fs/promises";
import {dirname} from "node:path";

import type * as tf from "@tensorflow/tfjs";

import {UserError} from "../../core/errors.js";
import {loadModel} from "./io.js";
import {isHdf5File, loadKerasH5} from "./kerasH5.js";
import type {ModelMetadata} from "../../core/formats/metadata.js";
import {readMetadata} from "./metadataFile.js";

export interface LoadedModel {
  model: tf.LayersModel;
  /** metadata.json beside a TF.js model, if any (undefined for .h5 imports). */
  metadata?: ModelMetadata;
  /** "tfjs" or "keras-h5". */
  format: "tfjs" | "keras-h5";
}

export async function loadAnyModel(path: string): Promise<LoadedModel> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`Model not found: ${path}`);
  if (info.isDirectory()) return {model: await loadModel(path), metadata: await readMetadata(path), format: "tfjs"};
  if (/\.json$/i.test(path)) {
    const dir = dirname(path);
    return {model: await loadModel(dir), metadata: await readMetadata(dir), format: "tfjs"};
  }
  if (/\.(h5|hdf5|keras)$/i.test(path) || (await isHdf5File(path))) {
    return {model: await loadKerasH5(path), format: "keras-h5"};
  }
  throw new UserError(`${path}: not a model (expected a folder with model.json, a model.json, or a Keras .h5 file)`);
}
