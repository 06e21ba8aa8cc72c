/** Loads a model from what the user passed to `--model`: a TF.js model folder, its model.json, or a Keras .h5 file. */
import {stat} from "node:fs/promises";
import {dirname, join} from "node:path";

import type * as tf from "@tensorflow/tfjs";

import {FormatError, UserError} from "../../core/errors.js";
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
  if (info.isDirectory()) return loadTfjs(path);
  // A FIFO would block the HDF5 signature check; a device (a link to /dev/zero) never ends.
  if (!info.isFile()) throw new FormatError(`${path}: not a regular file; expected a model folder, model.json or .h5`);
  if (/\.json$/i.test(path)) return loadTfjs(dirname(path));
  if (/\.(h5|hdf5|keras)$/i.test(path) || (await isHdf5File(path))) {
    return {model: await loadKerasH5(path), format: "keras-h5"};
  }
  throw new UserError(`${path}: not a model (expected a folder with model.json, a model.json, or a Keras .h5 file)`);
}

/** A TF.js model folder and its metadata.json, which must name one class per output. */
async function loadTfjs(dir: string): Promise<LoadedModel> {
  const metadata = await readMetadata(dir); // first: a damaged file is refused before the model is built
  const model = await loadModel(dir);
  const outputs = model.outputs[0]?.shape.at(-1);
  if (metadata && typeof outputs === "number" && metadata.classNames.length !== outputs) {
    model.dispose();
    throw new FormatError(
      `${join(dir, "metadata.json")}: field "classNames" has ${metadata.classNames.length} names but the model has ${outputs} outputs`
    );
  }
  return {model, metadata, format: "tfjs"};
}
