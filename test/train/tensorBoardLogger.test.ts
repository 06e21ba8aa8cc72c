import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {createCnn} from "../../src/core/model/cnn.js";
import type {EpochLog} from "../../src/core/formats/metricsLog.js";
import {listEventFiles, readEventFile, scalarSeries, tagCounts} from "../../src/node/tensorboard/reader.js";
import {TensorBoardLogger, TRAIN_LOG_DIR, VALIDATION_LOG_DIR} from "../../src/node/tensorboard/logger.js";

const run = mkdtempSync(join(tmpdir(), "fmnist-tblogger-"));
afterAll(() => rmSync(run, {recursive: true, force: true}));

function epochLog(epoch: number): EpochLog {
  return {
    epoch,
    loss: 1 / epoch,
    accuracy: 0.5 + epoch / 10,
    val_loss: 1.5 / epoch,
    val_accuracy: 0.4 + epoch / 10,
    learning_rate: 0.001,
    seconds: 1,
    images_per_second: 100,
    checkpoint: true
  };
}

async function read(dir: string) {
  const files = await Promise.all((await listEventFiles(join(run, dir))).map(readEventFile));
  for (const f of files) expect(f.error).toBeUndefined();
  return files;
}

describe("TensorBoardLogger", () => {
  let model: tf.Sequential;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    model = createCnn({filters: 2});
    const logger = await TensorBoardLogger.open(run, {hostname: "test"});
    const examples = {
      xs: new Float32Array(20 * IMAGE_PIXELS).fill(0.5),
      ys: Uint8Array.from({length: 20}, (_, i) => i % 10),
      count: 20
    };
    await logger.logSampleInputs(examples);
    for (const epoch of [1, 2]) {
      for (let batch = 1; batch <= 3; batch++) {
        logger.logBatch({epoch, batch, batches: 3, loss: epoch + batch / 10, accuracy: batch / 4, imagesPerSecond: 1});
      }
      await logger.logEpoch(epochLog(epoch), model, {labels: [0, 1, 2, 2], predicted: [0, 1, 2, 1]});
    }
    // An interrupted third epoch: its batches must not reach the files.
    logger.logBatch({epoch: 3, batch: 1, batches: 3, loss: 9, accuracy: 0, imagesPerSecond: 1});
    await logger.close();
  });
  afterAll(() => model.dispose());

  it("logs batch and epoch scalars in train with Keras' tags and steps", async () => {
    const scalars = scalarSeries(await read(TRAIN_LOG_DIR));
    expect(Object.keys(scalars).sort()).toEqual([
      "batch_accuracy",
      "batch_loss",
      "epoch_accuracy",
      "epoch_learning_rate",
      "epoch_loss"
    ]);
    expect(scalars.batch_loss.map((p) => [p.step, p.value])).toEqual(
      [1.1, 1.2, 1.3, 2.1, 2.2, 2.3].map((v, i) => [i + 1, Math.fround(v)])
    );
    expect(scalars.epoch_loss.map((p) => [p.step, p.value])).toEqual([
      [1, 1],
      [2, 0.5]
    ]);
    expect(scalars.epoch_learning_rate.map((p) => p.value)).toEqual([Math.fround(0.001), Math.fround(0.001)]);
  });

  it("logs validation loss and accuracy per epoch", async () => {
    const scalars = scalarSeries(await read(VALIDATION_LOG_DIR));
    expect(scalars.epoch_loss.map((p) => [p.step, p.value])).toEqual([
      [1, 1.5],
      [2, 0.75]
    ]);
    expect(scalars.epoch_accuracy.map((p) => p.value)).toEqual([Math.fround(0.5), Math.fround(0.6)]);
  });

  it("logs a histogram of every weight of every layer per epoch", async () => {
    const histograms = tagCounts(await read(TRAIN_LOG_DIR), "histo");
    const expected = model.layers.flatMap((l) => l.weights.map((w) => `${l.name}/${w.originalName.split("/").pop()}`));
    expect(expected).toContain("conv2d/kernel");
    expect(expected).toContain("batch_normalization/moving_variance");
    expect(histograms).toEqual(Object.fromEntries(expected.map((t) => [t, 2])));
    const files = await read(TRAIN_LOG_DIR);
    const dense = files[0].events.flatMap((e) => e.event.summary?.value ?? []).find((v) => v.tag === "dense/kernel");
    expect(dense?.histo?.num).toBe(2 * 10);
  });

  it("logs the sample grid once and the validation confusion matrix per epoch, as PNG", async () => {
    expect(tagCounts(await read(TRAIN_LOG_DIR), "image")).toEqual({sample_inputs: 1});
    const files = await read(VALIDATION_LOG_DIR);
    expect(tagCounts(files, "image")).toEqual({confusion_matrix: 2});
    const image = files[0].events.flatMap((e) => e.event.summary?.value ?? []).find((v) => v.image)?.image;
    expect(image?.width).toBeGreaterThan(400);
    expect(Array.from(image?.encodedImageString.subarray(1, 4) ?? [])).toEqual([0x50, 0x4e, 0x47]); // "PNG"
  });
});
