/**
 * A model the user brings into the web app: a TF.js `model.json` with its weight files, or a Keras
 * `.h5` file, read in the browser with the same importer the CLI uses
 * (../../../src/core/model/kerasImport.ts, on h5wasm's browser build, loaded only when needed:
 * it is 4 MB), then checked to be a 28×28×1 image classifier into the ten classes. Out-of-distribution
 * statistics dropped with it (`ood-stats.bin`, or `NAME.h5.ood-stats.bin` beside a Keras file) come along.
 */
import * as tf from "@tensorflow/tfjs";

import {UserError} from "../../../src/core/errors.js";
import {METADATA_FILE} from "../../../src/core/formats/metadata.js";
import {OOD_STATS_FILE, OOD_STATS_SUFFIX, parseOodStats, type OodStats} from "../../../src/core/formats/oodStats.js";
import {checkImageClassifier} from "../../../src/core/model/imageClassifier.js";
import {hasHdf5Signature, modelFromKerasH5, notHdf5Error} from "../../../src/core/model/kerasImport.js";

const KERAS_FILE = /\.(h5|hdf5|keras)$/i;

let uploads = 0;

async function fromKerasFile(file: File): Promise<tf.LayersModel> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!hasHdf5Signature(bytes)) throw notHdf5Error(file.name);
  const {default: h5wasm} = await import("h5wasm");
  const {FS} = await h5wasm.ready;
  // h5wasm reads from its in-memory file system: the bytes go there under a name of our own.
  const path = `/upload-${++uploads}.h5`;
  FS.writeFile(path, bytes);
  try {
    let opened: InstanceType<typeof h5wasm.File>;
    try {
      opened = new h5wasm.File(path, "r");
    } catch (error) {
      throw new UserError(`${file.name}: cannot open HDF5 file (${String(error).split("\n")[0]})`);
    }
    if (opened.file_id < 0n) throw new UserError(`${file.name}: cannot open HDF5 file (damaged or truncated)`);
    try {
      return await modelFromKerasH5(h5wasm, opened, file.name);
    } finally {
      opened.close();
    }
  } finally {
    FS.unlink(path);
  }
}

/** The weight files model.json names (a dropped folder may hold others: metadata.json, ood-stats.bin). */
async function weightFiles(json: File, others: File[]): Promise<File[]> {
  let paths: string[];
  try {
    const manifest = (JSON.parse(await json.text()) as {weightsManifest?: {paths?: unknown}[]}).weightsManifest;
    paths = (manifest ?? []).flatMap((group) => (Array.isArray(group.paths) ? group.paths.map(String) : []));
  } catch {
    throw new UserError(`${json.name}: not a TF.js model.json (not valid JSON)`);
  }
  return paths.map((path) => {
    const name = path.split("/").pop() ?? path;
    const file = others.find((f) => f.name === name);
    if (!file) throw new UserError(`${json.name} names the weight file ${name}: drop it together with model.json`);
    return file;
  });
}

async function fromTfjsFiles(json: File, others: File[]): Promise<tf.LayersModel> {
  const weights = await weightFiles(json, others);
  try {
    return await tf.loadLayersModel(tf.io.browserFiles([json, ...weights]));
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    throw new UserError(
      `${json.name}: cannot load this TF.js model (${reason}); drop model.json together with its .bin weight files`
    );
  }
}

/** The model in the dropped or chosen `files`; throws a {@link UserError} that says what to drop. */
export async function modelFromFiles(
  files: readonly File[]
): Promise<{model: tf.LayersModel; name: string; ood?: OodStats}> {
  const keras = files.find((f) => KERAS_FILE.test(f.name));
  const json = files.find((f) => /\.json$/i.test(f.name) && f.name !== METADATA_FILE);
  let model: tf.LayersModel;
  let name: string;
  const statsOnly = (f: File) => f === keras || f.name.endsWith(OOD_STATS_SUFFIX);
  if (keras && files.every(statsOnly)) {
    model = await fromKerasFile(keras);
    name = keras.name;
  } else if (json) {
    model = await fromTfjsFiles(
      json,
      files.filter((f) => f !== json)
    );
    name = json.name;
  } else {
    throw new UserError(
      `${files.map((f) => f.name).join(", ") || "nothing"}: drop one Keras .h5 file, or a TF.js model.json together with its .bin weight files`
    );
  }
  try {
    checkImageClassifier(model, name);
    const statsFile = files.find((f) => f.name === OOD_STATS_FILE || f.name.endsWith(OOD_STATS_SUFFIX));
    const ood = statsFile ? parseOodStats(new Uint8Array(await statsFile.arrayBuffer()), statsFile.name) : undefined;
    return {model, name, ...(ood ? {ood} : {})};
  } catch (error) {
    model.dispose();
    throw error;
  }
}
