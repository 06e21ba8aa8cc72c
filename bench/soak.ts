/**
 * Memory soak: trains the CNN for 3 epochs on a slice of the real training set with everything a
 * real run does per epoch (checkpoint, resumable state, metrics log, TensorBoard events) and
 * records the process RSS after each epoch. Flat means no epoch after the first ends more than
 * {@link SOAK_MARGIN} above epoch 1 (WASM memory grows during the first epoch and is never given
 * back, so epoch 1 is the reference, not the start).
 *
 * `npx tsx bench/soak.ts` prints a table; `soak(log)` is the same as a library call.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";

import * as tf from "@tensorflow/tfjs";

import {selectBackend} from "../src/node/backend/selectBackend.js";
import {normalise, splitValidation} from "../src/core/data/dataset.js";
import {loadFashionMnist} from "../src/node/data/loadFashionMnist.js";
import {createCnn} from "../src/core/model/cnn.js";
import {createAdam} from "../src/core/model/fusedAdam.js";
import {MODEL_DIR, appendEpochLog, ensureRunDir, saveModel, saveTrainState} from "../src/node/model/runDir.js";
import {trainModel} from "../src/core/model/train.js";
import {TensorBoardLogger} from "../src/node/tensorboard/logger.js";

/** Images of the training set used (10% of them validate). */
export const SOAK_IMAGES = 2000;
export const SOAK_EPOCHS = 3;
/** Largest accepted growth of RSS after epoch 1, as a fraction of epoch 1's RSS. */
export const SOAK_MARGIN = 0.15;

export interface SoakEpoch {
  epoch: number;
  rssMiB: number;
  heapUsedMiB: number;
  numTensors: number;
  seconds: number;
}

export interface SoakResult {
  images: number;
  batchSize: number;
  epochs: SoakEpoch[];
  /** RSS before training started (data loaded, model built). */
  startRssMiB: number;
  margin: number;
  /** Largest RSS after epoch 1 relative to epoch 1 (0.05 = 5% more). */
  growth: number;
  /** True when the tensor count was the same after every epoch. */
  tensorsConstant: boolean;
  flat: boolean;
}

const MIB = 1024 * 1024;

/** Runs the soak; `log` receives one progress line per epoch. */
export async function soak(log: (line: string) => void = () => {}): Promise<SoakResult> {
  await selectBackend();
  const batchSize = 64;
  const {train, validation} = splitValidation(normalise(await loadFashionMnist("train", {limit: SOAK_IMAGES})), 0.1);
  const run = mkdtempSync(join(tmpdir(), "fmnist-soak-"));
  try {
    await ensureRunDir(run);
    const model = createCnn();
    const optimizer = createAdam(0.001);
    const tensorBoard = await TensorBoardLogger.open(run);
    const epochs: SoakEpoch[] = [];
    const startRssMiB = process.memoryUsage().rss / MIB;
    let started = performance.now();
    await trainModel(
      model,
      optimizer,
      train,
      validation,
      {
        onBatchEnd: (b) => tensorBoard.logBatch(b),
        async onEpochEnd(e, val) {
          await appendEpochLog(run, e);
          await tensorBoard.logEpoch(e, model, {labels: validation.ys, predicted: val.predicted});
        },
        saveCheckpoint: (m) => saveModel(m, join(run, MODEL_DIR)),
        async saveState(m, opt, state) {
          await saveTrainState(run, m, opt, state);
          const memory = process.memoryUsage();
          const epoch: SoakEpoch = {
            epoch: state.epoch,
            rssMiB: memory.rss / MIB,
            heapUsedMiB: memory.heapUsed / MIB,
            numTensors: tf.memory().numTensors,
            seconds: (performance.now() - started) / 1000
          };
          epochs.push(epoch);
          log(`epoch ${epoch.epoch}: RSS ${epoch.rssMiB.toFixed(0)} MiB, ${epoch.numTensors} tensors`);
          started = performance.now();
        }
      },
      {epochs: SOAK_EPOCHS, batchSize, patience: SOAK_EPOCHS + 1}
    );
    await tensorBoard.close();
    model.dispose();
    optimizer.dispose();
    const reference = epochs[0].rssMiB;
    const growth = Math.max(...epochs.slice(1).map((e) => e.rssMiB)) / reference - 1;
    const tensorsConstant = epochs.every((e) => e.numTensors === epochs[0].numTensors);
    return {
      images: SOAK_IMAGES,
      batchSize,
      epochs,
      startRssMiB,
      margin: SOAK_MARGIN,
      growth,
      tensorsConstant,
      flat: growth <= SOAK_MARGIN && tensorsConstant
    };
  } finally {
    rmSync(run, {recursive: true, force: true});
  }
}

/** The result as a small text table. */
export function formatSoak(r: SoakResult): string {
  const rows = [
    `memory soak: ${SOAK_EPOCHS} epochs on ${r.images} training images (batch ${r.batchSize}); RSS before training ${r.startRssMiB.toFixed(0)} MiB`,
    "epoch  RSS MiB  heap MiB  tensors  seconds",
    ...r.epochs.map(
      (e) =>
        `${String(e.epoch).padStart(5)}  ${e.rssMiB.toFixed(0).padStart(7)}  ${e.heapUsedMiB.toFixed(0).padStart(8)}  ` +
        `${String(e.numTensors).padStart(7)}  ${e.seconds.toFixed(1).padStart(7)}`
    ),
    `verdict: ${r.flat ? "flat" : "NOT flat"} (largest RSS after epoch 1: ${(r.growth * 100).toFixed(1)}% above it, ` +
      `margin +${(r.margin * 100).toFixed(0)}%; tensor count ${r.tensorsConstant ? "constant" : "changed"})`
  ];
  return rows.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  soak((line) => process.stderr.write(line + "\n")).then(
    (r) => {
      process.stdout.write(formatSoak(r) + "\n");
      process.exit(r.flat ? 0 : 1);
    },
    (error: unknown) => {
      process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  );
}
