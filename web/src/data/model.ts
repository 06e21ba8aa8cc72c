/** The model served at /model/ (a TF.js layers model with our metadata.json), loaded once. */
import * as tf from "@tensorflow/tfjs";

import {METADATA_FILE, type ModelMetadata} from "../../../src/core/formats/metadata.js";
import {mountedUrl} from "../../../src/core/formats/mounts.js";
import type {OodStats} from "../../../src/core/model/ood.js";
import {initBackend} from "../backend.js";
import {DataError, fetchJson, once} from "./fetchData.js";

export interface LoadedModel {
  model: tf.LayersModel;
  metadata: ModelMetadata;
  /** Out-of-distribution statistics, when the model has been calibrated. */
  ood?: OodStats;
}

async function load(): Promise<LoadedModel> {
  await initBackend();
  const [model, metadata] = await Promise.all([
    tf.loadLayersModel(mountedUrl("model", "model.json")).catch((error: unknown) => {
      throw new DataError(
        `cannot load ${mountedUrl("model", "model.json")}: ${(error as Error).message}`,
        "Serve a TF.js model folder with `fmnist serve --model DIR`."
      );
    }),
    fetchJson<ModelMetadata>(mountedUrl("model", METADATA_FILE))
  ]);
  return {model, metadata, ood: metadata.ood as OodStats | undefined};
}

/** The model, loaded once (a failed load is retried on the next call). */
export const loadModel = once(load);
