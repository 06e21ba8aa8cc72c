/**
 * Test-time augmentation (src/core/model/tta.ts, ttaPrediction.ts) on real test images with the
 * shipped model: mirroring is its own inverse, an image and its mirror image get the same averaged
 * prediction and the same out-of-distribution verdict, and TTA's accuracy is measured against the
 * raw network's on the same images.
 */
import {beforeAll, describe, expect, it} from "vitest";

import {normalise, type Examples} from "../../src/core/data/dataset.js";
import type {OodStats} from "../../src/core/formats/oodStats.js";
import {predictOne} from "../../src/core/model/forward.js";
import {fitOodStatistics} from "../../src/core/model/oodScores.js";
import {classifierOf, judgeInput, type Classifier} from "../../src/core/model/ttaPrediction.js";
import {mirrorImages} from "../../src/core/model/tta.js";
import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {loadModel} from "../../src/node/model/io.js";
import {viewsOf} from "../../src/node/ood/benchmark.js";
import {SHIPPED_MODEL} from "../helpers/paths.js";

let classifier: Classifier;
let test: Examples;
let stats: OodStats;

beforeAll(async () => {
  await selectBackend();
  classifier = classifierOf(await loadModel(SHIPPED_MODEL));
  test = normalise(await loadFashionMnist("test", {limit: 300}));
  const train = normalise(await loadFashionMnist("train", {limit: 1000}));
  const head = classifier.head;
  if (!head) throw new Error("the shipped model has a Dense head");
  const fitted = fitOodStatistics((await viewsOf(classifier.model, head, train.xs, false)).given, train.ys);
  stats = {...fitted, method: "knn", threshold: 0.3, mirror: true, falseAlarmRate: 0.05, auroc: NaN};
}, 300_000);

const image = (xs: Float32Array, i: number) => xs.slice(i * 784, (i + 1) * 784);

describe("test-time augmentation on real test images", () => {
  it("mirroring twice gives the image back, and mirrors each row", () => {
    const xs = test.xs.subarray(0, 784 * 3);
    expect(mirrorImages(mirrorImages(xs))).toEqual(xs);
    expect(mirrorImages(xs)[0 * 28 + 5]).toBe(xs[0 * 28 + 22]);
  });

  it("an image and its mirror image get the same averaged prediction and OOD verdict (label-preserving)", async () => {
    const mirrored = mirrorImages(test.xs);
    for (let i = 0; i < 40; i++) {
      const x = image(test.xs, i);
      const m = image(mirrored, i);
      const a = await judgeInput(classifier, x, await predictOne(classifier.model, x), {tta: true, stats});
      const b = await judgeInput(classifier, m, await predictOne(classifier.model, m), {tta: true, stats});
      expect(b.predicted).toBe(a.predicted);
      b.probabilities.forEach((p, c) => expect(p).toBeCloseTo(a.probabilities[c], 5));
      expect(b.verdict?.score).toBeCloseTo(a.verdict?.score ?? NaN, 4);
    }
  });

  it("is measured against the raw network on 300 test images", async () => {
    let raw = 0;
    let tta = 0;
    for (let i = 0; i < test.count; i++) {
      const x = image(test.xs, i);
      const given = await predictOne(classifier.model, x);
      const judged = await judgeInput(classifier, x, given, {tta: true});
      const plain = await judgeInput(classifier, x, given, {tta: false});
      expect(plain.probabilities).toEqual(given.probabilities);
      if (given.predicted === test.ys[i]) raw++;
      if (judged.predicted === test.ys[i]) tta++;
    }
    console.log(
      `accuracy on ${test.count} test images: raw ${raw / test.count}, with the mirror image ${tta / test.count}`
    );
    expect(raw / test.count).toBeGreaterThan(0.8);
    expect(tta / test.count).toBeGreaterThan(0.8);
  });
});
