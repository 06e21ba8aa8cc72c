/**
 * `fmnist calibrate`: fits the out-of-distribution statistics of a model (TF.js folder or Keras
 * .h5) on training images, sets the chosen score's threshold so that 5 % of the even-index test
 * images are flagged, measures the false-alarm rate on the odd-index ones and the AUROC on the
 * offline OOD benchmark (src/core/model/oodEvaluate.ts), and writes the statistics file
 * (src/node/model/oodStatsFile.ts). With test-time augmentation (the default) every score is the
 * smaller of the image's and its mirror image's, as classify computes it.
 */
import {dirname} from "node:path";

import type {Effects} from "../../core/effects.js";
import type {ModelMetadata} from "../../core/formats/metadata.js";
import {normalise} from "../../core/data/dataset.js";
import type {OodMethod} from "../../core/formats/oodStats.js";
import {evaluateMethod} from "../../core/model/oodEvaluate.js";
import {denseHead} from "../../core/model/oodFeatures.js";
import {fitOodStatistics} from "../../core/model/oodScores.js";
import {selectBackend, type BackendName} from "../../node/backend/selectBackend.js";
import {loadFashionMnist} from "../../node/data/loadFashionMnist.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {loadAnyModel} from "../../node/model/loadAnyModel.js";
import {readMetadata, writeMetadata} from "../../node/model/metadataFile.js";
import {assertOodStatsWritable, writeOodStats} from "../../node/model/oodStatsFile.js";
import {oodBenchmarkGroups, viewsOf} from "../../node/ood/benchmark.js";

/** The score chosen by bench/ood.ts (docs/ood.md) and its neighbour count. */
export const DEFAULT_OOD_METHOD: OodMethod = "knn";
export const DEFAULT_OOD_K = 5;

export interface CalibrateOptions {
  /** Model folder, model.json or Keras .h5 (default: the shipped model). */
  model?: string;
  /** Training images used for the statistics (default 20000). */
  count?: number;
  /** Percentile of the old centroid rule (default 99). */
  percentile?: number;
  method?: OodMethod;
  k?: number;
  /** Training embeddings kept for kNN (default 5000). */
  bank?: number;
  /** Score the mirror image too (default true). */
  tta?: boolean;
  dataDir?: string;
  verify?: boolean;
  backend?: BackendName;
}

export interface Calibration {
  samples: number;
  percentile: number;
  method: OodMethod;
  /** Share of the odd-index test images flagged. */
  testFalseAlarmRate: number;
  testImages: number;
  /** AUROC and detection rate on the OOD benchmark. */
  auroc: number;
  detection: number;
  oodInputs: number;
  /** The statistics file written. */
  file: string;
}

export async function calibrateCommand(options: CalibrateOptions, effects: Effects): Promise<Calibration> {
  await selectBackend(options.backend);
  const path = options.model ?? DEFAULT_MODEL_DIR;
  await assertOodStatsWritable(path); // before minutes of work, not after
  const {model, format} = await loadAnyModel(path); // a damaged metadata.json is refused before minutes of work
  const mirror = options.tta ?? true;
  try {
    const head = denseHead(model);
    const train = normalise(
      await loadFashionMnist("train", {dataDir: options.dataDir, limit: options.count ?? 20000, verify: options.verify})
    );
    effects.progress.start("embedding training images", train.count);
    const trainViews = await viewsOf(model, head, train.xs, false, (done) => effects.progress.update(done));
    const fitted = fitOodStatistics(trainViews.given, train.ys, {
      percentile: options.percentile,
      k: options.k ?? DEFAULT_OOD_K,
      bankSize: options.bank ?? 5000
    });
    const test = normalise(await loadFashionMnist("test", {dataDir: options.dataDir, verify: options.verify}));
    effects.progress.start("embedding test images", test.count * (mirror ? 2 : 1));
    const testViews = await viewsOf(model, head, test.xs, mirror, (n) => effects.progress.update(n));
    const groups = await oodBenchmarkGroups(test.xs);
    const groupViews = [];
    for (const g of groups) groupViews.push({name: g.name, views: await viewsOf(model, head, g.xs, mirror)});
    effects.progress.stop();
    const method = options.method ?? DEFAULT_OOD_METHOD;
    const result = evaluateMethod(fitted, method, testViews, groupViews);
    const file = await writeOodStats(path, {
      ...fitted,
      method,
      threshold: result.threshold,
      mirror,
      falseAlarmRate: result.falseAlarmRate,
      auroc: result.auroc
    });
    if (format === "tfjs") await recordInMetadata(path, method, result.falseAlarmRate, result.auroc);
    return {
      samples: train.count,
      percentile: options.percentile ?? 99,
      method,
      testFalseAlarmRate: result.falseAlarmRate,
      testImages: test.count,
      auroc: result.auroc,
      detection: result.detection,
      oodInputs: groups.reduce((n, g) => n + g.count, 0),
      file
    };
  } finally {
    effects.progress.stop();
    model.dispose();
  }
}

/** Notes the measurements in a TF.js model's metadata.json, dropping the first rule's statistics it held. */
async function recordInMetadata(path: string, method: OodMethod, falseAlarmRate: number, auroc: number) {
  const dir = /\.json$/i.test(path) ? dirname(path) : path;
  const metadata = await readMetadata(dir);
  if (!metadata) return;
  const rest: ModelMetadata = {...metadata};
  delete rest.ood;
  const metrics = {
    ...(metadata.metrics ?? {}),
    oodMethod: method,
    oodTestFalseAlarmRate: falseAlarmRate,
    oodAuroc: auroc
  };
  await writeMetadata(dir, {...rest, metrics});
}
