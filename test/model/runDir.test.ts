/**
 * The run folder's resumable state: a commit cut short leaves the previous one intact, the best
 * epoch's weights can be put back into `model/`, and runs saved before epoch folders still load.
 */
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {initialTrainState, type TrainState} from "../../src/core/model/train.js";
import {
  LAST_DIR,
  MODEL_DIR,
  loadModel,
  loadTrainState,
  restoreBestCheckpoint,
  saveModel,
  saveTrainState
} from "../../src/node/model/runDir.js";
import {withoutLeak} from "../helpers/tensors.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-rundir-"));
beforeAll(async () => {
  await selectBackend("wasm");
});
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** A state after `epoch` epochs whose best epoch is `best`. */
function stateAfter(epoch: number, best: number): TrainState {
  const s = initialTrainState();
  return {...s, epoch, earlyStopping: {...s.earlyStopping, best: 0.5, bestEpoch: best}};
}

function firstKernel(model: tf.LayersModel): number[] {
  return Array.from(model.getWeights()[0].dataSync().slice(0, 8));
}

describe("saveTrainState() and loadTrainState()", () => {
  it("keeps the last committed epoch's model when the next commit is cut short", async () => {
    const run = join(root, "cut");
    const one = createCnn({seed: 1, filters: 4});
    const two = createCnn({seed: 2, filters: 4});
    await saveTrainState(run, one, tf.train.adam(), stateAfter(1, 1));
    // What a kill during the commit of epoch 2 leaves: its folder, half written, and no new state.json.
    await saveModel(two, join(run, LAST_DIR, "epoch-0002"));
    const {model, state} = await loadTrainState(run, tf.train.adam());
    expect(state.epoch).toBe(1);
    expect(firstKernel(model)).toEqual(firstKernel(one));
    expect(firstKernel(model)).not.toEqual(firstKernel(two));
  });

  it("after a commit keeps only its epoch folder and the best epoch's", async () => {
    const run = join(root, "keep");
    const model = createCnn({seed: 1, filters: 4});
    for (const [epoch, best] of [
      [1, 1],
      [2, 2],
      [3, 2],
      [4, 2]
    ]) {
      await saveTrainState(run, model, tf.train.adam(), stateAfter(epoch, best));
    }
    expect(readdirSync(join(run, LAST_DIR)).sort()).toEqual(["epoch-0002", "epoch-0004", "state.json"]);
  });

  it("restoreBestCheckpoint() puts the best epoch's weights back into model/", async () => {
    const run = join(root, "restore");
    const best = createCnn({seed: 1, filters: 4});
    const later = createCnn({seed: 2, filters: 4});
    await saveTrainState(run, best, tf.train.adam(), stateAfter(1, 1));
    await saveTrainState(run, later, tf.train.adam(), stateAfter(2, 1));
    // A kill after epoch 3 was checkpointed but before it was committed.
    await saveModel(later, join(run, MODEL_DIR));
    await restoreBestCheckpoint(run, stateAfter(2, 1));
    expect(firstKernel(await loadModel(join(run, MODEL_DIR)))).toEqual(firstKernel(best));
  });

  it("leaks no tensors: saving leaves the count as it was, loading adds only the model's and optimizer's", async () => {
    const run = join(root, "leaks");
    const model = createCnn({seed: 1, filters: 4});
    const optimizer = tf.train.adam();
    // One step so that Adam has its moment variables.
    optimizer.minimize(() => tf.tidy(() => (model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).sum()) as tf.Scalar);
    await withoutLeak(async () => {
      for (let epoch = 1; epoch <= 3; epoch++) await saveTrainState(run, model, optimizer, stateAfter(epoch, 1));
    });
    await withoutLeak(async () => {
      const loadedOptimizer = tf.train.adam();
      const loaded = await loadTrainState(run, loadedOptimizer);
      loaded.model.dispose();
      loadedOptimizer.dispose();
    });
  });

  it("still loads a run saved with model and optimizer directly in last/ (the layout before epoch folders)", async () => {
    // That layout, made from the shipped run: its last epoch's folder's files flat in last/.
    const shipped = join("models/fashion-cnn/run", LAST_DIR);
    const savedState = JSON.parse(readFileSync(join(shipped, "state.json"), "utf8")) as TrainState;
    const epochDir = join(shipped, `epoch-${String(savedState.epoch).padStart(4, "0")}`);
    const run = mkdtempSync(join(tmpdir(), "fmnist-flat-run-"));
    mkdirSync(join(run, LAST_DIR));
    for (const name of readdirSync(epochDir)) copyFileSync(join(epochDir, name), join(run, LAST_DIR, name));
    copyFileSync(join(shipped, "state.json"), join(run, LAST_DIR, "state.json"));
    expect(existsSync(join(run, LAST_DIR, "model.json"))).toBe(true);
    const optimizer = tf.train.adam();
    const {model, state} = await loadTrainState(run, optimizer);
    expect(state.epoch).toBe(savedState.epoch);
    expect(optimizer.iterations).toBeGreaterThan(0);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    await restoreBestCheckpoint(run, state); // no epoch folders: leaves model/ alone
    expect(existsSync(join(run, "model"))).toBe(false);
    model.dispose();
    rmSync(run, {recursive: true, force: true});
  });
});
