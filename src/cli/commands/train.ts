/** `fmnist train`: train the CNN on Fashion-MNIST into a run folder. */
import {join} from "node:path";

import type * as tf from "@tensorflow/tfjs";

import {selectBackend, type BackendName} from "../../node/backend/selectBackend.js";
import {calibrateCommand} from "./calibrate.js";
import {normalise, splitValidation, type Examples} from "../../core/data/dataset.js";
import {loadFashionMnist} from "../../node/data/loadFashionMnist.js";
import {InterruptedError, UsageError, UserError} from "../../core/errors.js";
import {isEnoent} from "../../node/fs/errno.js";
import {writeTrainingPictures} from "../../node/pictures/trainingPictures.js";
import {writeFileAtomic} from "../../node/fs/atomicFile.js";
import {readRegularTextFile} from "../../node/fs/readRegularFile.js";
import {createCnn} from "../../core/model/cnn.js";
import {formatCount, formatModelSummary, modelSummary} from "../../core/model/layerSummary.js";
import {defaultMetadata} from "../../core/formats/metadata.js";
import {writeMetadata} from "../../node/model/metadataFile.js";
import {createAdam} from "../../core/model/fusedAdam.js";
import {confusionMatrix, predictAll} from "../../core/model/metrics.js";
import {
  CONFIG_FILE,
  MAX_RUN_FILE_BYTES,
  MODEL_DIR,
  appendEpochLog,
  ensureRunDir,
  loadModel,
  loadTrainState,
  restoreBestCheckpoint,
  rewriteEpochLogs,
  saveModel,
  saveTrainState
} from "../../node/model/runDir.js";
import {claimRunDir} from "../../node/model/runOwnership.js";
import {initialTrainState, trainModel, type TrainOptions, type TrainState} from "../../core/model/train.js";
import {LOG_DIR, TensorBoardLogger} from "../../node/tensorboard/logger.js";
import type {Effects} from "../../core/effects.js";
import {TRAIN_DEFAULTS} from "../../core/model/trainDefaults.js";
import {formatDuration, formatPercent} from "../tty.js";

/** Options of `fmnist train`. */
export interface TrainCommandOptions extends TrainOptions {
  /** Run folder (default `runs/<timestamp>`). */
  out?: string;
  /** Continue the run in this folder from its last completed epoch. */
  resume?: string;
  /** Replace the run already in `out` (only a folder fmnist made as a run). */
  force?: boolean;
  /** Train on the first N training images only. */
  limit?: number;
  /** `split` (default): hold out 10% of the training set; `test`: validate on the test set like the seed. */
  validation?: "split" | "test";
  /** Fraction held out with `--validation split` (default 0.1). */
  validationFraction?: number;
  dataDir?: string;
  /** Check the dataset's SHA-256 (default true). */
  verify?: boolean;
  backend?: BackendName;
}

/**
 * Runs training; returns the run folder. Throws {@link InterruptedError} when stopped early. The
 * run folder is checked and locked first (../../node/model/runOwnership.ts).
 */
export async function trainCommand(options: TrainCommandOptions, effects: Effects): Promise<string> {
  const {force, ...rest} = options;
  if (force && options.resume) throw new UsageError("--force starts a run over; it cannot be combined with --resume");
  const run = options.resume ?? options.out ?? join("runs", new Date().toISOString().replace(/[:.]/g, "-"));
  const claim = await claimRunDir(run, {resume: options.resume !== undefined, force: force === true});
  let failed = true;
  try {
    const done = await trainInRun(run, rest, effects);
    failed = false;
    return done;
  } finally {
    await claim.release(failed);
  }
}

async function trainInRun(run: string, options: TrainCommandOptions, effects: Effects): Promise<string> {
  const {log: logger, progress} = effects;
  const started = performance.now();
  let config: TrainCommandOptions = {
    ...TRAIN_DEFAULTS,
    validation: "split",
    validationFraction: 0.1,
    ...stripUndefined(options)
  };
  if (options.resume) {
    config = resumeConfig(await readConfig(options.resume), options);
  }
  const backend = await selectBackend(config.backend);
  logger.info(`backend: ${backend}`);

  const trainSplit = await loadFashionMnist("train", {
    dataDir: config.dataDir,
    limit: config.limit,
    verify: config.verify
  });
  const all = normalise(trainSplit);
  let train: Examples;
  let validation: Examples;
  if (config.validation === "test") {
    train = all;
    validation = normalise(await loadFashionMnist("test", {dataDir: config.dataDir, verify: config.verify}));
  } else {
    ({train, validation} = splitValidation(all, config.validationFraction ?? 0.1));
  }
  logger.info(`data: ${train.count} training, ${validation.count} validation images (${config.validation})`);

  await ensureRunDir(run);
  const optimizer = createAdam(config.learningRate);
  let model: tf.LayersModel;
  let state: TrainState;
  if (options.resume) {
    ({model, state} = await loadTrainState(run, optimizer));
    await restoreBestCheckpoint(run, state);
    await rewriteEpochLogs(run, state.history);
    logger.info(`resuming ${run} after epoch ${state.epoch}`);
    if (state.stopped) logger.info("early stopping had already ended this run; nothing to do");
  } else {
    await writeFileAtomic(join(run, CONFIG_FILE), JSON.stringify(config, null, 2) + "\n");
    model = createCnn({seed: config.seed});
    state = initialTrainState();
  }
  for (const line of formatModelSummary(modelSummary(model)).split("\n")) logger.info(line);
  const tensorBoard = await TensorBoardLogger.open(run);
  if (!options.resume) await tensorBoard.logSampleInputs(train);
  logger.info(`TensorBoard logs: tensorboard --logdir ${join(run, LOG_DIR)}`);

  const result = await trainModel(
    model,
    optimizer,
    train,
    validation,
    {
      onEpochBegin(epoch, batches) {
        progress.start(`epoch ${epoch}/${config.epochs}`, batches);
      },
      onBatchEnd(log) {
        tensorBoard.logBatch(log);
        progress.update(
          log.batch,
          `loss ${log.loss.toFixed(4)} acc ${formatPercent(log.accuracy)} ${Math.round(log.imagesPerSecond)} img/s`
        );
      },
      async onEpochEnd(log, val) {
        progress.stop();
        await appendEpochLog(run, log);
        await tensorBoard.logEpoch(log, model, {labels: validation.ys, predicted: val.predicted});
        logger.info(
          `epoch ${log.epoch}: loss ${log.loss.toFixed(4)} acc ${formatPercent(log.accuracy)} ` +
            `val_loss ${log.val_loss.toFixed(4)} val_acc ${formatPercent(log.val_accuracy)} ` +
            `${formatDuration(log.seconds)} (${Math.round(log.images_per_second)} img/s)` +
            (log.checkpoint ? " *checkpoint*" : "")
        );
      },
      async saveCheckpoint(m) {
        await saveModel(m, join(run, MODEL_DIR));
      },
      async saveState(m, opt, s) {
        await saveTrainState(run, m, opt, s);
      },
      shouldStop: () => effects.signal.aborted
    },
    config,
    state
  ).finally(() => {
    progress.stop();
    return tensorBoard.close();
  });
  if (result.interrupted) {
    throw new InterruptedError(
      `Interrupted during epoch ${result.state.epoch + 1}; best checkpoint kept in ${join(run, MODEL_DIR)}. ` +
        `Continue with: fmnist train --resume ${run}`
    );
  }

  // The run's model is the best checkpoint (on --monitor), as Keras' restore_best_weights.
  const best = await loadModel(join(run, MODEL_DIR)).catch((error: unknown) => {
    if (result.state.history.length === 0) throw new UserError("No epoch completed; nothing to save.");
    throw error;
  });
  const test = normalise(await loadFashionMnist("test", {dataDir: config.dataDir, verify: config.verify}));
  const evaluation = await predictAll(best, test, 500);
  const bestLog = result.state.history.find((h) => h.epoch === result.state.earlyStopping.bestEpoch);
  await writeMetadata(join(run, MODEL_DIR), {
    ...defaultMetadata(),
    training: {
      optimizer: "adam",
      loss: "sparse_categorical_crossentropy",
      epochsRun: result.state.epoch,
      stoppedEarly: result.state.stopped,
      trainImages: train.count,
      validationImages: validation.count,
      backend,
      ...stripUndefined({...config, resume: undefined, backend: undefined, dataDir: undefined})
    },
    metrics: {
      bestEpoch: result.state.earlyStopping.bestEpoch,
      valLoss: bestLog?.val_loss,
      valAccuracy: bestLog?.val_accuracy,
      testLoss: evaluation.loss,
      testAccuracy: evaluation.accuracy,
      // This invocation's wall time (a resumed run counts only its own part).
      wallSeconds: Math.round((performance.now() - started) / 1000)
    }
  });
  const nearChance = bestLog !== undefined && bestLog.val_accuracy < NEAR_CHANCE;
  if (nearChance) {
    logger.warn(
      `validation accuracy ${formatPercent(bestLog.val_accuracy)} is near chance (10 classes: 10 %); this model is ` +
        `not usable: train on more images (--limit), for more epochs, or with a lower --learning-rate`
    );
  }
  const pictures = await writeTrainingPictures(run, {
    history: result.state.history,
    bestEpoch: result.state.earlyStopping.bestEpoch,
    confusion: confusionMatrix(test.ys, evaluation.predicted),
    confusionSubtitle:
      `test set, ${formatCount(test.count)} images, best epoch ${result.state.earlyStopping.bestEpoch}: ` +
      `accuracy ${formatPercent(evaluation.accuracy)}`,
    model: modelSummary(best)
  });
  logger.info(`pictures: ${pictures.join(", ")}`);
  best.dispose();
  const oodCount = Math.min(20000, train.count);
  logger.info(`out-of-distribution statistics: embedding ${oodCount} training images…`);
  const ood = await calibrateCommand(
    {model: join(run, MODEL_DIR), count: oodCount, dataDir: config.dataDir, verify: config.verify},
    effects
  );
  logger.info(`out-of-distribution flag: ${formatPercent(ood.testFalseAlarmRate)} false alarms on the test set`);
  logger.info(
    `done: best epoch ${result.state.earlyStopping.bestEpoch}, test accuracy ${formatPercent(evaluation.accuracy)}; model in ${join(run, MODEL_DIR)}`
  );
  return run;
}

/**
 * The recipe of runs started before issue 16 (their config.json has none of these keys): a resumed run
 * keeps the recipe it started with, not today's defaults (a loss-based early-stopping state read as an
 * accuracy-based one would checkpoint anything).
 */
const RECIPE_BEFORE_ISSUE_16: TrainOptions = {
  schedule: "constant",
  warmupEpochs: 0,
  augment: false,
  erase: 0,
  labelSmoothing: 0,
  preciseBatchNorm: 0,
  monitor: "val_loss",
  patience: 3
};

/** The settings of a resumed run: the saved ones win, except the ones a user may sensibly change when resuming. */
export function resumeConfig(saved: TrainCommandOptions, options: TrainCommandOptions): TrainCommandOptions {
  return {...RECIPE_BEFORE_ISSUE_16, ...saved, epochs: options.epochs ?? saved.epochs, resume: options.resume};
}

/** Best validation accuracy below which a run is called near chance (chance is 10 %). */
const NEAR_CHANCE = 0.2;

async function readConfig(run: string): Promise<TrainCommandOptions> {
  try {
    return JSON.parse(
      await readRegularTextFile(join(run, CONFIG_FILE), MAX_RUN_FILE_BYTES, "run config")
    ) as TrainCommandOptions;
  } catch (error) {
    if (isEnoent(error)) throw new UserError(`Cannot resume ${run}: it is not a run folder (no ${CONFIG_FILE})`);
    throw new UserError(`Cannot resume ${run}: ${(error as Error).message}`);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
