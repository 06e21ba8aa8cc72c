/**
 * `fmnist calibrate`: computes the out-of-distribution statistics of a model (see src/core/model/ood.ts)
 * from training images, stores them in its metadata.json, and measures the false-alarm rate on the
 * test set (the share of real Fashion-MNIST test images flagged as unlike Fashion-MNIST).
 */
import type {Effects} from "../../core/effects.js";
import {selectBackend, type BackendName} from "../../node/backend/selectBackend.js";
import {normalise} from "../../core/data/dataset.js";
import {NUM_CLASSES} from "../../core/data/fashionMnist.js";
import {loadFashionMnist} from "../../node/data/loadFashionMnist.js";
import {UserError} from "../../core/errors.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {embedAll} from "../../core/model/embedding.js";
import {loadModel} from "../../node/model/io.js";
import {defaultMetadata} from "../../core/formats/metadata.js";
import {readMetadata, writeMetadata} from "../../node/model/metadataFile.js";
import {computeOodStats, detectOod} from "../../core/model/ood.js";

export interface CalibrateOptions {
  /** TF.js model folder (default: the shipped model); its metadata.json is updated. */
  model?: string;
  /** Training images used for the statistics (default 20000). */
  count?: number;
  /** Percentile of training distances used as the per-class threshold (default 99). */
  percentile?: number;
  dataDir?: string;
  verify?: boolean;
  backend?: BackendName;
}

export interface Calibration {
  samples: number;
  percentile: number;
  /** Fraction of test images flagged. */
  testFalseAlarmRate: number;
  testImages: number;
}

export async function calibrateCommand(options: CalibrateOptions, effects: Effects): Promise<Calibration> {
  await selectBackend(options.backend);
  const dir = options.model ?? DEFAULT_MODEL_DIR;
  if (/\.(h5|hdf5|json)$/i.test(dir))
    throw new UserError("calibrate needs a TF.js model folder (it writes metadata.json)");
  // Read first: a damaged metadata.json is refused before minutes of work, not after.
  const metadata = (await readMetadata(dir)) ?? defaultMetadata();
  const model = await loadModel(dir);
  const count = options.count ?? 20000;
  const train = normalise(
    await loadFashionMnist("train", {dataDir: options.dataDir, limit: count, verify: options.verify})
  );
  const t = await embedAll(model, train, {onBatch: progressOf(effects, "embedding training images", train.count)});
  effects.progress.stop();
  const stats = computeOodStats(t.embeddings, t.dim, train.ys, t.predicted, NUM_CLASSES, options.percentile ?? 99);
  const test = normalise(await loadFashionMnist("test", {dataDir: options.dataDir, verify: options.verify}));
  const r = await embedAll(model, test, {onBatch: progressOf(effects, "false alarms on the test set", test.count)});
  effects.progress.stop();
  model.dispose();
  let flagged = 0;
  for (let i = 0; i < test.count; i++) {
    const probs = r.probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    const emb = r.embeddings.subarray(i * r.dim, (i + 1) * r.dim);
    if (detectOod(probs, emb, r.predicted[i], stats).ood) flagged++;
  }
  const testFalseAlarmRate = flagged / test.count;
  await writeMetadata(dir, {
    ...metadata,
    ood: stats,
    metrics: {...(metadata.metrics ?? {}), oodTestFalseAlarmRate: testFalseAlarmRate}
  });
  return {samples: train.count, percentile: stats.percentile, testFalseAlarmRate, testImages: test.count};
}

/** Starts a progress step and returns the callback that reports it. */
function progressOf(effects: Effects, label: string, total: number): (done: number) => void {
  effects.progress.start(label, total);
  return (done) => effects.progress.update(done);
}
