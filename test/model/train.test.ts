import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise, splitValidation, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {learningRateAt} from "../../src/core/model/schedule.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {LAST_DIR, loadTrainState, saveTrainState} from "../../src/node/model/runDir.js";
import {
  initialTrainState,
  trainModel,
  type BatchLog,
  type TrainEffects,
  type TrainState
} from "../../src/core/model/train.js";
import type {EpochLog} from "../../src/core/formats/metricsLog.js";

const BATCH_SIZE = 48;
/** 160 real images split 128/32: 3 batches per epoch, the last one of 32. */
const BATCHES = 3;

let train: Examples;
let validation: Examples;
let root: string;

beforeAll(async () => {
  await selectBackend("wasm");
  ({train, validation} = splitValidation(normalise(await loadFashionMnist("train", {limit: 160})), 0.2));
  root = mkdtempSync(join(tmpdir(), "fmnist-train-"));
});
afterAll(() => {
  rmSync(root, {recursive: true, force: true});
});

/** Effects that record every call; `numTensors` is sampled when the state is saved. */
function recordingEffects(stopAfterBatches = Infinity) {
  const calls = {
    epochBegin: [] as [number, number][],
    batches: [] as BatchLog[],
    epochEnd: [] as EpochLog[],
    checkpoints: [] as number[],
    states: [] as TrainState[],
    numTensors: [] as number[]
  };
  const effects: TrainEffects = {
    onEpochBegin: (epoch, batches) => void calls.epochBegin.push([epoch, batches]),
    onBatchEnd: (log) => void calls.batches.push(log),
    onEpochEnd: (log) => void calls.epochEnd.push(log),
    saveCheckpoint: async (_model, log) => void calls.checkpoints.push(log.epoch),
    saveState: async (_model, _optimizer, state) => {
      calls.states.push(structuredClone(state));
      calls.numTensors.push(tf.memory().numTensors);
    },
    shouldStop: () => calls.batches.length >= stopAfterBatches
  };
  return {calls, effects};
}

describe("trainModel(model, optimizer, train, validation, effects, options)", () => {
  let model: tf.LayersModel;
  let optimizer: tf.Optimizer;
  let result: Awaited<ReturnType<typeof trainModel>>;
  let calls: ReturnType<typeof recordingEffects>["calls"];

  beforeAll(async () => {
    expect([train.count, validation.count]).toEqual([128, 32]);
    model = createCnn();
    optimizer = tf.train.adam(0.001);
    const recording = recordingEffects();
    calls = recording.calls;
    result = await trainModel(model, optimizer, train, validation, recording.effects, {
      epochs: 2,
      batchSize: BATCH_SIZE
    });
  });

  it("runs 2 epochs and returns their history", () => {
    expect(result.interrupted).toBe(false);
    expect(result.state.epoch).toBe(2);
    expect(result.state.stopped).toBe(false);
    expect(result.state.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(calls.epochBegin).toEqual([
      [1, BATCHES],
      [2, BATCHES]
    ]);
    expect(calls.epochEnd).toEqual(result.state.history);
  });

  it("logs plausible metrics, and the training loss falls", () => {
    for (const h of result.state.history) {
      for (const v of [h.loss, h.val_loss]) expect(v > 0 && v < 10, `loss ${v}`).toBe(true);
      for (const v of [h.accuracy, h.val_accuracy]) expect(v >= 0 && v <= 1, `accuracy ${v}`).toBe(true);
      // The default schedule: warm-up over epoch 1, cosine over epoch 2; the log holds each epoch's last rate.
      const schedule = {schedule: "cosine", peak: 0.002, epochs: 2, warmupEpochs: 1, stepsPerEpoch: BATCHES} as const;
      expect(h.learning_rate).toBe(learningRateAt(h.epoch * BATCHES - 1, schedule));
      expect(h.images_per_second * h.seconds).toBeCloseTo(128, 6);
    }
    const [first, second] = result.state.history;
    expect(second.loss).toBeLessThan(first.loss);
  });

  it("reports every batch with running averages", () => {
    expect(calls.batches).toHaveLength(BATCHES * 2);
    expect(calls.batches.map((b) => [b.epoch, b.batch, b.batches])).toEqual(
      [1, 2].flatMap((epoch) => [1, 2, 3].map((batch) => [epoch, batch, BATCHES]))
    );
    // The last batch's running averages are the epoch's metrics.
    for (const epoch of [1, 2]) {
      const last = calls.batches[epoch * BATCHES - 1];
      const log = result.state.history[epoch - 1];
      expect(last.loss).toBeCloseTo(log.loss, 10);
      expect(last.accuracy).toBeCloseTo(log.accuracy, 10);
    }
  });

  it("saves the state after each epoch, with the epoch counter and history growing", () => {
    expect(calls.states.map((s) => s.epoch)).toEqual([1, 2]);
    expect(calls.states.map((s) => s.history.length)).toEqual([1, 2]);
    expect(calls.states[1].history[0]).toEqual(calls.states[0].history[0]);
    expect(calls.states[1]).toEqual(result.state);
    expect(calls.states[1].earlyStopping.bestEpoch).toBe(
      result.state.history[1].val_loss < result.state.history[0].val_loss ? 2 : 1
    );
  });

  it("saves a checkpoint exactly on the epochs where val_accuracy reached a new maximum", () => {
    const [first, second] = result.state.history;
    const expected = second.val_accuracy > first.val_accuracy ? [1, 2] : [1];
    expect(calls.checkpoints).toEqual(expected);
    expect(result.state.history.filter((h) => h.checkpoint).map((h) => h.epoch)).toEqual(expected);
  });

  it("leaks no tensors from one epoch to the next", () => {
    expect(calls.numTensors).toHaveLength(2);
    expect(calls.numTensors[1]).toBe(calls.numTensors[0]);
  });

  it("stops mid-epoch when shouldStop() says so, leaving the state at the last completed epoch", async () => {
    const {calls: stopped, effects} = recordingEffects(2);
    const before = structuredClone(result.state);
    const r = await trainModel(
      model,
      optimizer,
      train,
      validation,
      effects,
      {epochs: 3, batchSize: BATCH_SIZE},
      before
    );
    expect(r.interrupted).toBe(true);
    expect(r.state.epoch).toBe(2);
    expect(r.state).toEqual(result.state);
    expect(stopped.batches.map((b) => [b.epoch, b.batch])).toEqual([
      [3, 1],
      [3, 2]
    ]);
    expect(stopped.states).toEqual([]);
    expect(stopped.checkpoints).toEqual([]);
    expect(stopped.epochEnd).toEqual([]);
  });

  it("does nothing when the state has already reached the epoch limit or stopped", async () => {
    const {calls: none, effects} = recordingEffects();
    const done = await trainModel(model, optimizer, train, validation, effects, {epochs: 2}, result.state);
    const stoppedState: TrainState = {...initialTrainState(), stopped: true};
    const stopped = await trainModel(model, optimizer, train, validation, effects, {epochs: 2}, stoppedState);
    expect(done).toEqual({state: result.state, interrupted: false});
    expect(stopped).toEqual({state: stoppedState, interrupted: false});
    expect(none.batches).toEqual([]);
  });
});

describe("trainModel() resumed with saveTrainState() and loadTrainState()", () => {
  it("continues from the saved epoch, as if it had never stopped", async () => {
    // Dropout included (its masks follow seed, epoch and batch); 16 filters keep it quick.
    const options = {epochs: 2, batchSize: BATCH_SIZE};
    const straight = await trainModel(
      createCnn({filters: 16}),
      tf.train.adam(0.001),
      train,
      validation,
      recordingEffects().effects,
      options
    );

    const run = join(root, "run");
    const first = recordingEffects();
    first.effects.saveState = (model, optimizer, state) => saveTrainState(run, model, optimizer, state);
    // Stopped as Ctrl-C stops it, at the start of epoch 2: the same 2-epoch learning-rate schedule as `straight`.
    let secondEpoch = false;
    first.effects.onEpochBegin = (epoch) => {
      secondEpoch = epoch === 2;
    };
    first.effects.shouldStop = () => secondEpoch;
    const partial = await trainModel(
      createCnn({filters: 16}),
      tf.train.adam(0.001),
      train,
      validation,
      first.effects,
      options
    );
    expect(partial.interrupted).toBe(true);
    expect(partial.state.epoch).toBe(1);
    expect(JSON.parse(readFileSync(join(run, LAST_DIR, "state.json"), "utf8"))).toEqual(partial.state);

    const optimizer = tf.train.adam(0.001);
    const loaded = await loadTrainState(run, optimizer);
    expect(loaded.state).toEqual(partial.state);
    expect(optimizer.iterations).toBe(BATCHES);

    const second = recordingEffects();
    const resumed = await trainModel(loaded.model, optimizer, train, validation, second.effects, options, loaded.state);
    expect(resumed.interrupted).toBe(false);
    expect(resumed.state.epoch).toBe(2);
    expect(resumed.state.history).toHaveLength(2);
    expect(resumed.state.history[0]).toEqual(partial.state.history[0]);
    expect(second.calls.batches.map((b) => b.epoch)).toEqual([2, 2, 2]);

    // Same batches and dropout masks (by seed, epoch and batch), weights and Adam moments: exactly
    // the same second epoch.
    const [a, b] = [straight.state.history[1], resumed.state.history[1]];
    for (const key of ["loss", "accuracy", "val_loss", "val_accuracy"] as const) expect(b[key], key).toBe(a[key]);
    expect(resumed.state.earlyStopping).toEqual(straight.state.earlyStopping);
  });

  it("is reproducible: the same seed gives the same weights, another seed other ones", async () => {
    const weightsAfter = async (seed: number) => {
      const model = createCnn({filters: 16});
      await trainModel(model, tf.train.adam(0.001), train, validation, recordingEffects().effects, {
        epochs: 1,
        batchSize: BATCH_SIZE,
        seed
      });
      const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return weights;
    };
    const [a, b, c] = [await weightsAfter(5), await weightsAfter(5), await weightsAfter(6)];
    expect(b).toEqual(a);
    // Seeds 5 and 6 start from the same initial weights (createCnn's own seed): only order and dropout differ.
    expect(c).not.toEqual(a);
  });
});
