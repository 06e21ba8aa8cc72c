/**
 * A training run folder:
 *   model/          best checkpoint (TF.js layers format + metadata.json)
 *   last/           resumable state after the last completed epoch (model, optimizer, state.json)
 *   metrics.jsonl   one JSON line per completed epoch
 *   config.json     the options the run was started with
 */
import {appendFile, mkdir, readFile} from "node:fs/promises";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";

import {CliError, FormatError, isEnoent} from "../errors.js";
import {writeFileAtomic} from "../io/atomicWrite.js";
import {loadModel, saveModel} from "./io.js";
import type {EpochLog, TrainState} from "./train.js";

export const MODEL_DIR = "model";
export const LAST_DIR = "last";
export const METRICS_FILE = "metrics.jsonl";
export const CONFIG_FILE = "config.json";

export async function ensureRunDir(run: string): Promise<void> {
  await mkdir(join(run, MODEL_DIR), {recursive: true});
  await mkdir(join(run, LAST_DIR), {recursive: true});
}

/** Appends one epoch line to the metrics log. */
export async function appendEpochLog(run: string, log: EpochLog): Promise<void> {
  await appendFile(
    join(run, METRICS_FILE),
    JSON.stringify({type: "epoch", time: new Date().toISOString(), ...log}) + "\n"
  );
}

/** Reads the epoch lines of the metrics log, ignoring a torn last line. */
export async function readEpochLogs(run: string): Promise<EpochLog[]> {
  let text: string;
  try {
    text = await readFile(join(run, METRICS_FILE), "utf8");
  } catch (error) {
    if (isEnoent(error)) return [];
    throw error;
  }
  const logs: EpochLog[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = JSON.parse(line) as EpochLog & {type?: string};
      if (parsed.type === "epoch") logs.push(parsed);
    } catch {
      // A line torn by a crash mid-append; the state file decides what counts.
    }
  }
  return logs;
}

/** Rewrites the metrics log so it holds exactly the epochs in `history` (used on resume). */
export async function rewriteEpochLogs(run: string, history: EpochLog[]): Promise<void> {
  const text = history.map((log) => JSON.stringify({type: "epoch", ...log}) + "\n").join("");
  await writeFileAtomic(join(run, METRICS_FILE), text);
}

/** Saves model, optimizer and state into `run/last`. The state file is written last: it commits the epoch. */
export async function saveTrainState(
  run: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainState
): Promise<void> {
  const dir = join(run, LAST_DIR);
  await saveModel(model, dir);
  const named = await optimizer.getWeights();
  const {data, specs} = await tf.io.encodeWeights(named);
  await writeFileAtomic(join(dir, "optimizer.bin"), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
  await writeFileAtomic(join(dir, "optimizer.json"), JSON.stringify(specs));
  await writeFileAtomic(join(dir, "state.json"), JSON.stringify(state, null, 2) + "\n");
}

/** Loads what {@link saveTrainState} wrote, for `--resume`. */
export async function loadTrainState(
  run: string,
  optimizer: tf.Optimizer
): Promise<{model: tf.LayersModel; state: TrainState}> {
  const dir = join(run, LAST_DIR);
  let state: TrainState;
  try {
    state = JSON.parse(await readFile(join(dir, "state.json"), "utf8")) as TrainState;
  } catch (error) {
    if (isEnoent(error))
      throw new CliError(`Cannot resume ${run}: no completed epoch saved (${dir}/state.json missing)`);
    throw new FormatError(`${dir}/state.json: ${(error as Error).message}`);
  }
  const model = await loadModel(dir);
  const specs = JSON.parse(await readFile(join(dir, "optimizer.json"), "utf8")) as tf.io.WeightsManifestEntry[];
  const bytes = await readFile(join(dir, "optimizer.bin"));
  const weights = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
  await optimizer.setWeights(Object.entries(weights).map(([name, tensor]) => ({name, tensor})));
  return {model, state};
}

export {loadModel, saveModel};
