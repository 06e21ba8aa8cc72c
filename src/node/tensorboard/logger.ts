/**
 * TensorBoard logging for `fmnist train` (Node only), with the tags Keras' TensorBoard callback
 * uses so the dashboards look familiar:
 *
 *   logs/train       batch_loss, batch_accuracy (step: global batch; running means over the epoch, as Keras logs them)
 *                    epoch_loss, epoch_accuracy, epoch_learning_rate (step: epoch)
 *                    <layer>/<weight> histograms of every layer's weights, per epoch (e.g. conv2d/kernel)
 *                    sample_inputs (image, step 0, new runs only)
 *   logs/validation  epoch_loss, epoch_accuracy, confusion_matrix (image) per epoch
 *
 * Batch events are held until the epoch ends and then written together with the epoch's events:
 * an interrupted epoch leaves nothing behind, so a resumed run (which redoes it, into new event
 * files) never shows the same steps twice.
 */
import {join} from "node:path";

import type * as tf from "@tensorflow/tfjs";

import type {Examples} from "../../core/data/dataset.js";
import {confusionMatrixPng, sampleInputsPng} from "../pictures/trainingPictures.js";
import {confusionMatrix} from "../../core/model/metrics.js";
import type {EpochLog} from "../../core/formats/metricsLog.js";
import type {BatchLog} from "../../core/model/train.js";
import {EventFileWriter, type EventWriterOptions} from "./eventWriter.js";

/** The TensorBoard log folder of a run, and its two runs. */
export const LOG_DIR = "logs";
export const TRAIN_LOG_DIR = join(LOG_DIR, "train");
export const VALIDATION_LOG_DIR = join(LOG_DIR, "validation");

/** Writes a training run's TensorBoard events into `RUN/logs/{train,validation}`. */
export class TensorBoardLogger {
  private constructor(
    private readonly train: EventFileWriter,
    private readonly validation: EventFileWriter
  ) {}

  /** Opens new event files in the run folder (also when resuming: old files are left as they are). */
  static async open(run: string, options: EventWriterOptions = {}): Promise<TensorBoardLogger> {
    const train = await EventFileWriter.open(join(run, TRAIN_LOG_DIR), options);
    const validation = await EventFileWriter.open(join(run, VALIDATION_LOG_DIR), options);
    return new TensorBoardLogger(train, validation);
  }

  /** Paths of the two event files. */
  get paths(): string[] {
    return [this.train.path, this.validation.path];
  }

  /** Logs the labelled grid of sample inputs once, at step 0, and flushes. */
  async logSampleInputs(examples: Examples): Promise<void> {
    this.train.image("sample_inputs", await sampleInputsPng(examples), 0);
    await this.train.flush();
  }

  /** Queues the running loss and accuracy after a batch (written at the end of the epoch). */
  logBatch(log: BatchLog): void {
    const step = (log.epoch - 1) * log.batches + log.batch;
    this.train.scalar("batch_loss", log.loss, step);
    this.train.scalar("batch_accuracy", log.accuracy, step);
  }

  /**
   * Logs an epoch: its scalars, the histograms of every layer's weights, and the validation
   * confusion matrix (from the true `labels` and the `predicted` classes); then flushes both files.
   */
  async logEpoch(
    log: EpochLog,
    model: tf.LayersModel,
    validation: {labels: ArrayLike<number>; predicted: ArrayLike<number>}
  ): Promise<void> {
    const step = log.epoch;
    this.train.scalar("epoch_loss", log.loss, step);
    this.train.scalar("epoch_accuracy", log.accuracy, step);
    this.train.scalar("epoch_learning_rate", log.learning_rate, step);
    for (const layer of model.layers) {
      for (const weight of layer.weights) {
        const short = weight.originalName.split("/").pop() ?? weight.originalName;
        this.train.histogram(`${layer.name}/${short}`, weight.read().dataSync(), step);
      }
    }
    this.validation.scalar("epoch_loss", log.val_loss, step);
    this.validation.scalar("epoch_accuracy", log.val_accuracy, step);
    const matrix = confusionMatrix(validation.labels, validation.predicted);
    const subtitle = `validation, epoch ${log.epoch}: accuracy ${(log.val_accuracy * 100).toFixed(2)}%`;
    // Density 72 (1 px per SVG unit): TensorBoard shows images at their pixel size.
    this.validation.image("confusion_matrix", await confusionMatrixPng(matrix, subtitle, 72), step);
    await Promise.all([this.train.flush(), this.validation.flush()]);
  }

  /** Closes both files, dropping the batch events of an unfinished epoch. */
  async close(): Promise<void> {
    await Promise.all([this.train.close({discardPending: true}), this.validation.close({discardPending: true})]);
  }
}
