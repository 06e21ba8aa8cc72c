/** The model served at /model/ (a TF.js layers model with our metadata.json), loaded once. */
import * as tf from "@tensorflow/tfjs";

import {METADATA_FILE, parseMetadataJson, type ModelMetadata} from "../../../src/core/formats/metadata.js";
import {FormatError} from "../../../src/core/errors.js";
import {mountedUrl} from "../../../src/core/formats/mounts.js";
import type {OodStats} from "../../../src/core/model/ood.js";
import {initBackend} from "../backend.js";
import {DataError, fetchText, once} from "./fetchData.js";

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
    fetchText(mountedUrl("model", METADATA_FILE)).then((text) => {
      const where = mountedUrl("model", METADATA_FILE);
      const hint = "Serve a model folder with a valid metadata.json (`fmnist serve --model DIR`).";
      try {
        return parseMetadataJson(text, where, "it is damaged");
      } catch (error) {
        throw error instanceof FormatError ? new DataError(error.message, hint) : error;
      }
    })
  ]);
  return {model, metadata, ood: metadata.ood as OodStats | undefined};
}

/** The model, loaded once (a failed load is retried on the next call). */
export const loadModel = once(load);
