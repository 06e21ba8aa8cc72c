/**
 * The training loop: Adam on sparse categorical cross-entropy (optionally label-smoothed), a
 * learning-rate schedule, seeded shuffling, augmentation and dropout, precise batch-norm statistics
 * and validation after every epoch, Keras-style checkpointing and early stopping, and a resumable
 * state saved after every epoch. All I/O goes through {@link TrainEffects}, so the loop
 * itself is testable and the CLI only renders progress.
 */
import * as tf from "@tensorflow/tfjs";

import {IMAGE_PIXELS} from "../data/fashionMnist.js";
import type {Examples} from "../data/dataset.js";
import {createRandom, permutation} from "../random.js";
import {withDropoutSeed} from "./seededDropout.js";
import {augmentBatch} from "./augment.js";
import {initialEarlyStopping, updateEarlyStopping, type EarlyStoppingState, type Monitor} from "./earlyStopping.js";
import {batchTensor, predictAll, sparseCategoricalCrossentropy, type Predictions} from "./metrics.js";
import {recomputeBatchNormStatistics} from "./preciseBatchNorm.js";
import {learningRateAt, type ScheduleName} from "./schedule.js";
import {TRAIN_DEFAULTS} from "./trainDefaults.js";
import type {EpochLog} from "../formats/metricsLog.js";

/** Options for {@link trainModel}; every field has a default ({@link TRAIN_DEFAULTS}). */
export interface TrainOptions {
  /** Maximum number of epochs (default 30; early stopping usually ends sooner). */
  epochs?: number;
  /** Batch size (default 128). */
  batchSize?: number;
  /** Adam's (peak) learning rate (default 0.002). */
  learningRate?: number;
  /** Learning-rate schedule (default cosine). */
  schedule?: ScheduleName;
  /** Epochs of linear warm-up before the cosine decay (default 1). */
  warmupEpochs?: number;
  /** Seed for shuffling and augmentation (default 42). */
  seed?: number;
  /** Random shifts of up to 2 px and horizontal flips (default true). */
  augment?: boolean;
  /** Probability of random erasing per image (default 0: off). */
  erase?: number;
  /** Label smoothing of the cross-entropy targets (default 0). */
  labelSmoothing?: number;
  /** Training images whose exact batch-norm statistics replace the moving averages after each epoch (default 4096; 0: off). */
  preciseBatchNorm?: number;
  /** The metric that picks the checkpoint and drives early stopping (default val_accuracy). */
  monitor?: Monitor;
  /** Early-stopping patience in epochs (default 0: never stop early). */
  patience?: number;
  /** Early-stopping minimum improvement of the monitored metric (default 0.01). */
  minDelta?: number;
}

/** Progress of one batch. */
export interface BatchLog {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
}

/** Resumable state saved after each completed epoch. */
export interface TrainState {
  /** Number of completed epochs. */
  epoch: number;
  earlyStopping: EarlyStoppingState;
  history: EpochLog[];
  stopped: boolean;
}

/** Side effects of training, injected by the caller. */
export interface TrainEffects {
  onBatchEnd?(log: BatchLog): void;
  onEpochBegin?(epoch: number, batches: number): void;
  /**
   * Called with the epoch's metrics before the state is saved (append it to the log here), and the
   * predictions on the validation set they were computed from.
   */
  onEpochEnd?(log: EpochLog, validation: Predictions): Promise<void> | void;
  /** Saves the model as the best checkpoint. */
  saveCheckpoint(model: tf.LayersModel, log: EpochLog): Promise<void>;
  /** Saves the resumable state (model, optimizer, state) after an epoch. */
  saveState(model: tf.LayersModel, optimizer: tf.Optimizer, state: TrainState): Promise<void>;
  /** Checked after every batch; when true the epoch is abandoned and training stops. */
  shouldStop?(): boolean;
}

/** How a run ended. */
export interface TrainResult {
  state: TrainState;
  /** True when {@link TrainEffects.shouldStop} interrupted an epoch. */
  interrupted: boolean;
}

export function initialTrainState(): TrainState {
  return {epoch: 0, earlyStopping: initialEarlyStopping(), history: [], stopped: false};
}

/**
 * Trains `model` on `train`, validating on `validation` after every epoch. Starts after
 * `state.epoch` completed epochs, so a saved state resumes where it left off.
 */
export async function trainModel(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  train: Examples,
  validation: Examples,
  effects: TrainEffects,
  options: TrainOptions = {},
  state: TrainState = initialTrainState()
): Promise<TrainResult> {
  const epochs = options.epochs ?? TRAIN_DEFAULTS.epochs;
  const batchSize = options.batchSize ?? TRAIN_DEFAULTS.batchSize;
  const seed = options.seed ?? TRAIN_DEFAULTS.seed;
  const batches = Math.ceil(train.count / batchSize);
  const schedule = {
    schedule: options.schedule ?? TRAIN_DEFAULTS.schedule,
    peak: options.learningRate ?? TRAIN_DEFAULTS.learningRate,
    epochs,
    warmupEpochs: options.warmupEpochs ?? TRAIN_DEFAULTS.warmupEpochs,
    stepsPerEpoch: batches
  };
  const augment = {
    shiftFlip: options.augment ?? TRAIN_DEFAULTS.augment,
    erase: options.erase ?? TRAIN_DEFAULTS.erase
  };
  const smoothing = options.labelSmoothing ?? TRAIN_DEFAULTS.labelSmoothing;
  const preciseCount = options.preciseBatchNorm ?? TRAIN_DEFAULTS.preciseBatchNorm;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const xsBuffer = new Float32Array(batchSize * IMAGE_PIXELS);
  const ysBuffer = new Int32Array(batchSize);

  while (state.epoch < epochs && !state.stopped) {
    const epoch = state.epoch + 1;
    // Shuffle order depends only on (seed, epoch): a resumed run sees the same batches.
    const order = permutation(train.count, createRandom(seed * 7919 + epoch));
    const augmentRandom = createRandom(seed * 104729 + epoch);
    effects.onEpochBegin?.(epoch, batches);
    const started = performance.now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    let learningRate = schedule.peak;
    for (let b = 0; b < batches; b++) {
      learningRate = learningRateAt((epoch - 1) * batches + b, schedule);
      setLearningRate(optimizer, learningRate);
      const n = Math.min(batchSize, train.count - b * batchSize);
      for (let i = 0; i < n; i++) {
        const j = order[b * batchSize + i];
        xsBuffer.set(train.xs.subarray(j * IMAGE_PIXELS, (j + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS);
        ysBuffer[i] = train.ys[j];
      }
      if (augment.shiftFlip || augment.erase > 0)
        augmentBatch(xsBuffer, n, augmentRandom, {shiftFlip: augment.shiftFlip, erase: augment.erase});
      // Dropout masks depend only on (seed, epoch, batch), like the order: runs are reproducible.
      const {loss, correct} = withDropoutSeed(`${seed}:${epoch}:${b}`, () =>
        trainStep(model, optimizer, vars, xsBuffer, ysBuffer, n, smoothing)
      );
      lossSum += loss * n;
      correctSum += correct;
      seen += n;
      const elapsed = (performance.now() - started) / 1000;
      effects.onBatchEnd?.({
        epoch,
        batch: b + 1,
        batches,
        loss: lossSum / seen,
        accuracy: correctSum / seen,
        imagesPerSecond: seen / elapsed
      });
      if (effects.shouldStop) {
        // A training step is synchronous: without this pause a Ctrl-C handler would only run at
        // the end of the epoch (minutes on the full data set).
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (effects.shouldStop()) return {state, interrupted: true};
      }
    }
    // Exact statistics of the (unaugmented) training images, in a fixed order: what inference will see.
    if (preciseCount > 0) recomputeBatchNormStatistics(model, train, preciseCount);
    const seconds = (performance.now() - started) / 1000;
    const val = await predictAll(model, validation, 500);
    const es = updateEarlyStopping(
      state.earlyStopping,
      epoch,
      {valLoss: val.loss, valAccuracy: val.accuracy},
      {
        monitor: options.monitor ?? TRAIN_DEFAULTS.monitor,
        minDelta: options.minDelta ?? TRAIN_DEFAULTS.minDelta,
        patience: options.patience ?? TRAIN_DEFAULTS.patience
      }
    );
    const log: EpochLog = {
      epoch,
      loss: lossSum / seen,
      accuracy: correctSum / seen,
      val_loss: val.loss,
      val_accuracy: val.accuracy,
      learning_rate: learningRate,
      seconds,
      images_per_second: seen / seconds,
      checkpoint: es.checkpoint
    };
    if (es.checkpoint) await effects.saveCheckpoint(model, log);
    await effects.onEpochEnd?.(log, val);
    state = {epoch, earlyStopping: es.state, history: [...state.history, log], stopped: es.stop};
    await effects.saveState(model, optimizer, state);
  }
  return {state, interrupted: false};
}

/**
 * TF.js optimizers read their public-in-Python but protected-in-TypeScript `learningRate` field at
 * every step (Adam, SGD, RMSProp alike) and have no setter: writing it is how a schedule drives them.
 */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as {learningRate: number}).learningRate = rate;
}

function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  vars: tf.Variable[],
  xsBuffer: Float32Array,
  ysBuffer: Int32Array,
  n: number,
  smoothing: number
): {loss: number; correct: number} {
  let correctTensor: tf.Scalar | undefined;
  const lossTensor = tf.tidy(() => {
    const xs = batchTensor({xs: xsBuffer, ys: new Uint8Array(0), count: n}, 0, n);
    const ys = tf.tensor1d(ysBuffer.subarray(0, n), "int32");
    return optimizer.minimize(
      () => {
        const probs = model.apply(xs, {training: true}) as tf.Tensor2D;
        correctTensor = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), ys), "int32")));
        return smoothing > 0 ? smoothedCrossentropy(probs, ys, smoothing) : sparseCategoricalCrossentropy(probs, ys);
      },
      true,
      vars
    ) as tf.Scalar;
  });
  const loss = lossTensor.dataSync()[0];
  lossTensor.dispose();
  const correct = correctTensor ? correctTensor.dataSync()[0] : 0;
  correctTensor?.dispose();
  return {loss, correct};
}

/** Cross-entropy against targets (1 − ε) one-hot + ε / classes (Szegedy et al. 2016, "label smoothing"). */
function smoothedCrossentropy(probs: tf.Tensor2D, ys: tf.Tensor1D, epsilon: number): tf.Scalar {
  const classes = probs.shape[1];
  const targets = tf.add(tf.mul(tf.oneHot(ys, classes), 1 - epsilon), epsilon / classes);
  const logProbs = tf.log(tf.clipByValue(probs, 1e-7, 1));
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, logProbs), 1)));
}
