/** The model served at /model/ (a TF.js layers model with our metadata.json), loaded once. */
import * as tf from "@tensorflow/tfjs";

import {METADATA_FILE, parseMetadataJson, type ModelMetadata} from "../../../src/core/formats/metadata.js";
import {FormatError} from "../../../src/core/errors.js";
import {mountedUrl} from "../../../src/core/formats/mounts.js";
import {OOD_STATS_FILE, parseOodStats, type OodStats} from "../../../src/core/formats/oodStats.js";
import {initBackend} from "../backend.js";
import {DataError, fetchText, once} from "./fetchData.js";

export interface LoadedModel {
  model: tf.LayersModel;
  /** The served model's metadata.json (a model the user brought has none). */
  metadata?: ModelMetadata;
  /** Out-of-distribution statistics (ood-stats.bin), when the model has been calibrated. */
  ood?: OodStats;
  /** Set for a model the user brought (./userModel.ts): the file it came from. */
  userFile?: string;
}

async function load(): Promise<LoadedModel> {
  await initBackend();
  const [model, metadata, ood] = await Promise.all([
    tf.loadLayersModel(mountedUrl("model", "model.json")).catch((error: unknown) => {
      throw new DataError(
        `cannot load ${mountedUrl("model", "model.json")}: ${(error as Error).message}`,
        "Serve a TF.js model folder with `fmnist serve --model DIR`."
      );
    }),
    fetchText(mountedUrl("model", METADATA_FILE)).then((text) => {
      const where = mountedUrl("model", METADATA_FILE);
      const hint = "Serve a model folder with a valid metadata.json (`fmnist serve --model DIR`).";
      try {
        return parseMetadataJson(text, where, "it is damaged");
      } catch (error) {
        throw error instanceof FormatError ? new DataError(error.message, hint) : error;
      }
    }),
    loadOodStats()
  ]);
  return {model, metadata, ood};
}

/** The statistics file beside the model, read through its format's owner; undefined when there is none. */
async function loadOodStats(): Promise<OodStats | undefined> {
  const url = mountedUrl("model", OOD_STATS_FILE);
  const hint = "Make the statistics with `fmnist calibrate --model DIR`, then reload.";
  const response = await fetch(url).catch(() => undefined);
  if (!response || response.status === 404) return undefined;
  if (!response.ok) throw new DataError(`${url}: HTTP ${response.status}`, hint);
  try {
    return parseOodStats(new Uint8Array(await response.arrayBuffer()), url);
  } catch (error) {
    throw error instanceof FormatError ? new DataError(error.message, hint) : error;
  }
}

/** The served model, loaded once (a failed load is retried on the next call). */
const loadServedModel = once(load);

let userModel: LoadedModel | undefined;

/** The model every view uses: the user's, when they brought one, else the served one. */
export async function loadModel(): Promise<LoadedModel> {
  return userModel ?? loadServedModel();
}

/** Makes `model` (from `file`) the one every view uses, until {@link useServedModel}; frees the previous one. */
export function useUserModel(model: tf.LayersModel, file: string, ood?: OodStats): void {
  userModel?.model.dispose();
  userModel = {model, userFile: file, ...(ood ? {ood} : {})};
}

/** Back to the served model. */
export function useServedModel(): void {
  userModel?.model.dispose();
  userModel = undefined;
}
