/**
 * The out-of-distribution scores (src/core/model/oodScores.ts) on small real slices: features of
 * the shipped model on 2,000 training and 500 test images, against generated non-garments (noise,
 * flat images, chessboards, inverted test images) and rendered glyphs. No thresholds from the
 * current model are written down: each score must separate the sets better than chance, kNN well.
 */
import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {normalise} from "../../src/core/data/dataset.js";
import {OOD_METHODS} from "../../src/core/formats/oodStats.js";
import {evaluateMethod, type Views} from "../../src/core/model/oodEvaluate.js";
import {denseHead, type DenseHead} from "../../src/core/model/oodFeatures.js";
import {auroc, thresholdAt} from "../../src/core/model/oodMetrics.js";
import {fitOodStatistics, oodScores, type FeatureSet, type FittedStats} from "../../src/core/model/oodScores.js";
import {flatGroup, noiseGroup, transformedGroups} from "../../src/core/model/oodSynthetic.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {loadModel} from "../../src/node/model/io.js";
import {viewsOf} from "../../src/node/ood/benchmark.js";
import {glyphGroup} from "../../src/node/ood/renderedSet.js";
import {SHIPPED_MODEL} from "../helpers/paths.js";

let stats: FittedStats;
let head: DenseHead;
let train: FeatureSet;
let trainLabels: Uint8Array;
let test: Views;
let ood: {name: string; views: Views}[];

beforeAll(async () => {
  await selectBackend();
  const model = await loadModel(SHIPPED_MODEL);
  head = denseHead(model);
  const trainSplit = normalise(await loadFashionMnist("train", {limit: 2000}));
  trainLabels = trainSplit.ys;
  train = (await viewsOf(model, head, trainSplit.xs, false)).given;
  stats = fitOodStatistics(train, trainLabels, {k: 5, bankSize: 1500});
  const testSplit = normalise(await loadFashionMnist("test", {limit: 500}));
  test = await viewsOf(model, head, testSplit.xs, true);
  const glyphs = await glyphGroup();
  const groups = [noiseGroup(10), flatGroup(), transformedGroups(testSplit.xs, 40)[0], glyphs];
  ood = [];
  for (const g of groups) ood.push({name: g.name, views: await viewsOf(model, head, g.xs, true)});
  model.dispose();
}, 300_000);

describe("out-of-distribution scores on real features", () => {
  it("the logits recomputed from the embedding give the model's probabilities", () => {
    const z = test.given.logits;
    for (let i = 0; i < 50; i++) {
      const row = z.subarray(i * 10, i * 10 + 10);
      const m = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - m), 0);
      for (let c = 0; c < 10; c++)
        expect(Math.exp(row[c] - m) / sum).toBeCloseTo(test.given.probabilities[i * 10 + c], 5);
    }
  });

  it("every score separates the test images from non-garments better than chance; kNN well", () => {
    const table = OOD_METHODS.map((method) => evaluateMethod(stats, method, test, ood));
    console.log(
      table.map((r) => `${r.method}: AUROC ${r.auroc.toFixed(3)}, detection ${r.detection.toFixed(3)}`).join("\n")
    );
    for (const r of table) {
      expect(r.auroc, r.method).toBeGreaterThan(0.6);
      expect(r.falseAlarmRate, r.method).toBeLessThan(0.12); // 5 % on the even half, measured on the odd half
    }
    expect(table.find((r) => r.method === "knn")?.auroc).toBeGreaterThan(0.9);
  });

  it("kNN: a training embedding in the bank is at distance 0 from itself (k = 1)", () => {
    const one = fitOodStatistics(train, trainLabels, {k: 1, bankSize: train.count});
    const scores = oodScores(one, "knn", {...train, count: 20, embeddings: train.embeddings.subarray(0, 20 * 64)});
    for (const s of scores) expect(s).toBeLessThan(1e-3);
  });

  it("Mahalanobis: a class mean scores 0, and the score grows away from it", () => {
    const at = (embedding: Float32Array) =>
      oodScores(stats, "mahalanobis", {...train, count: 1, embeddings: embedding})[0];
    const mean = stats.means.slice(3 * 64, 4 * 64);
    expect(at(mean)).toBeLessThan(1e-2);
    expect(at(mean.map((v) => v * 1.5))).toBeGreaterThan(at(mean.map((v) => v * 1.1)));
  });

  it("energy is never above the max-logit score (logsumexp ≥ max), and max softmax is in [-1, -0.1]", () => {
    const energy = oodScores(stats, "energy", test.given);
    const maxLogit = oodScores(stats, "maxLogit", test.given);
    const softmax = oodScores(stats, "maxSoftmax", test.given);
    energy.forEach((e, i) => expect(e).toBeLessThanOrEqual(maxLogit[i] + 1e-9));
    for (const s of softmax) expect(s >= -1 && s <= -0.1).toBe(true);
  });

  it("centroid: the old rule's score is above 1 exactly when it flagged (low confidence or far from the centroid)", () => {
    const scores = oodScores(stats, "centroid", test.given);
    for (let i = 0; i < 100; i++) {
      const p = test.given.probabilities.subarray(i * 10, i * 10 + 10);
      const c = p.indexOf(Math.max(...p));
      const e = test.given.embeddings.subarray(i * 64, i * 64 + 64);
      const d = Math.hypot(...e.map((v, j) => v - stats.centroids[c * 64 + j]));
      expect(scores[i] > 1).toBe(p[c] < 0.5 || d > stats.maxDistance[c]);
    }
  });

  it("AUROC and thresholds: a perfect split is 1, swapped 0, ties 0.5; 5 % of scores lie above the threshold", () => {
    expect(auroc([1, 2, 3], [4, 5])).toBe(1);
    expect(auroc([4, 5], [1, 2, 3])).toBe(0);
    expect(auroc([1, 1], [1, 1])).toBe(0.5);
    const scores = Array.from({length: 100}, (_, i) => i);
    expect(scores.filter((s) => s > thresholdAt(scores, 0.05))).toHaveLength(5);
    expect(tf.memory().numTensors).toBeLessThan(100);
  });
});
