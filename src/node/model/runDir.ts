/**
 * A training run folder:
 *   model/          best checkpoint (TF.js layers format + metadata.json)
 *   last/           resumable state after the last completed epoch: state.json, and beside it
 *                   epoch-NNNN/ (model and optimizer after that epoch, and after the best epoch)
 *   metrics.jsonl   one JSON line per completed epoch
 *   config.json     the options the run was started with
 */
import {appendFile, mkdir, readdir, rm, stat} from "node:fs/promises";
import {basename, join} from "node:path";

import * as tf from "@tensorflow/tfjs";

import {UserError, FormatError} from "../../core/errors.js";
import {isEnoent} from "../fs/errno.js";
import {writeFileAtomic} from "../fs/atomicFile.js";
import {readRegularFile, readRegularTextFile} from "../fs/readRegularFile.js";
import {loadModel, MAX_WEIGHT_BYTES, saveModel} from "./io.js";
import {epochLine, METRICS_FILE, parseMetricsLog, type EpochLog} from "../../core/formats/metricsLog.js";
import type {TrainState} from "../../core/model/train.js";

export const MODEL_DIR = "model";
export const LAST_DIR = "last";
export const CONFIG_FILE = "config.json";
/** Largest metrics log, state or config file read (a 30-epoch run's metrics log is 9 KB). */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

export async function ensureRunDir(run: string): Promise<void> {
  await mkdir(join(run, MODEL_DIR), {recursive: true});
  await mkdir(join(run, LAST_DIR), {recursive: true});
}

/** Appends one epoch line to the metrics log. */
export async function appendEpochLog(run: string, log: EpochLog): Promise<void> {
  await appendFile(join(run, METRICS_FILE), epochLine(log, new Date()));
}

/** Reads the epoch lines of the metrics log, skipping lines that are torn, damaged or not epoch lines. */
export async function readEpochLogs(run: string): Promise<EpochLog[]> {
  try {
    return parseMetricsLog(await readRegularTextFile(join(run, METRICS_FILE), MAX_RUN_FILE_BYTES, "metrics log"));
  } catch (error) {
    if (isEnoent(error)) return [];
    throw error;
  }
}

/** Rewrites the metrics log so it holds exactly the epochs in `history` (used on resume). */
export async function rewriteEpochLogs(run: string, history: EpochLog[]): Promise<void> {
  await writeFileAtomic(join(run, METRICS_FILE), history.map((log) => epochLine(log)).join(""));
}

/** The folder in `run/last` holding the model and optimizer after `epoch`. */
function generationDir(run: string, epoch: number): string {
  return join(run, LAST_DIR, `epoch-${String(epoch).padStart(4, "0")}`);
}

/**
 * Saves model and optimizer into a new `run/last/epoch-NNNN` folder, then commits it by atomically
 * replacing `run/last/state.json`: a crash at any point leaves a state.json whose epoch folder is
 * complete and from that same epoch. Older folders are removed after the commit, except the best
 * epoch's, which {@link restoreBestCheckpoint} needs.
 */
export async function saveTrainState(
  run: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainState
): Promise<void> {
  const dir = generationDir(run, state.epoch);
  await saveModel(model, dir);
  const named = await optimizer.getWeights();
  // getWeights() returns the optimizer's own variables plus a new iteration-count tensor.
  const {data, specs} = await tf.io.encodeWeights(named).finally(() => {
    for (const {tensor} of named) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  });
  await writeFileAtomic(join(dir, "optimizer.bin"), new Uint8Array(tf.io.CompositeArrayBuffer.join(data)));
  await writeFileAtomic(join(dir, "optimizer.json"), JSON.stringify(specs));
  await writeFileAtomic(join(run, LAST_DIR, "state.json"), JSON.stringify(state, null, 2) + "\n");
  const keep = new Set(["state.json", basename(dir), basename(generationDir(run, state.earlyStopping.bestEpoch))]);
  for (const name of await readdir(join(run, LAST_DIR))) {
    if (!keep.has(name)) await rm(join(run, LAST_DIR, name), {recursive: true, force: true});
  }
}

/** Loads what {@link saveTrainState} wrote, for `--resume`. */
export async function loadTrainState(
  run: string,
  optimizer: tf.Optimizer
): Promise<{model: tf.LayersModel; state: TrainState}> {
  const last = join(run, LAST_DIR);
  let state: TrainState;
  try {
    state = JSON.parse(
      await readRegularTextFile(join(last, "state.json"), MAX_RUN_FILE_BYTES, "state file")
    ) as TrainState;
  } catch (error) {
    if (isEnoent(error))
      throw new UserError(`Cannot resume ${run}: no completed epoch saved (${last}/state.json missing)`);
    throw new FormatError(`${last}/state.json: ${(error as Error).message}`);
  }
  // Runs saved before epoch folders existed keep model and optimizer in last/ itself.
  const generation = generationDir(run, state.epoch);
  const dir = (await isDirectory(generation)) ? generation : last;
  const model = await loadModel(dir);
  const specs = JSON.parse(
    await readRegularTextFile(join(dir, "optimizer.json"), MAX_RUN_FILE_BYTES, "optimizer state")
  ) as tf.io.WeightsManifestEntry[];
  const bytes = await readRegularFile(join(dir, "optimizer.bin"), MAX_WEIGHT_BYTES * 3, "optimizer state");
  const weights = tf.io.decodeWeights(new Uint8Array(bytes).buffer, specs);
  // The optimizer keeps copies (its variables hold references), so the decoded tensors can go.
  await optimizer
    .setWeights(Object.entries(weights).map(([name, tensor]) => ({name, tensor})))
    .finally(() => tf.dispose(Object.values(weights)));
  return {model, state};
}

/**
 * Makes `run/model` the best epoch's weights again, as the saved state records them. A crash after
 * a new best checkpoint was written but before its epoch was committed leaves `run/model` one
 * epoch ahead; the resumed run redoes that epoch, which may then not be the best. Does nothing
 * for runs saved before epoch folders existed.
 */
export async function restoreBestCheckpoint(run: string, state: TrainState): Promise<void> {
  const best = generationDir(run, state.earlyStopping.bestEpoch);
  if (state.earlyStopping.bestEpoch === 0 || !(await isDirectory(best))) return;
  const model = await loadModel(best);
  try {
    await saveModel(model, join(run, MODEL_DIR));
  } finally {
    model.dispose();
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}

export {loadModel, saveModel};
