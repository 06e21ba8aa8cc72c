import * as tf from "@tensorflow/tfjs";
import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {
  argMaxRows,
  batchTensor,
  confusionMatrix,
  perClassAccuracy,
  predictAll,
  sparseCategoricalCrossentropy
} from "../../src/core/model/metrics.js";
import {withoutLeak} from "../helpers/tensors.js";

let examples: Examples;
beforeAll(async () => {
  await selectBackend("wasm");
  examples = normalise(await loadFashionMnist("test", {limit: 8}));
});

/** A [rows, 10] probability matrix from sparse rows (class -> probability). */
function probabilityRows(rows: Record<number, number>[]): number[][] {
  return rows.map((row) => Array.from({length: 10}, (_, c) => row[c] ?? 0));
}

const crossEntropy = (rows: number[][], labels: number[]): number =>
  tf.tidy(() => sparseCategoricalCrossentropy(tf.tensor2d(rows), tf.tensor1d(labels, "int32")).dataSync()[0]);

describe("sparseCategoricalCrossentropy(probs, labels)", () => {
  it("is the mean negative log-probability of the true class", () => {
    const uniform = Object.fromEntries(Array.from({length: 10}, (_, c) => [c, 0.1]));
    const rows = probabilityRows([{0: 0.7, 1: 0.2, 2: 0.1}, uniform, {2: 0.25, 5: 0.75}]);
    // -(ln 0.7 + ln 0.1 + ln 0.75) / 3 = (0.356675 + 2.302585 + 0.287682) / 3
    expect(crossEntropy(rows, [0, 3, 5])).toBeCloseTo(0.982314, 5);
    expect(crossEntropy(rows.slice(0, 1), [1])).toBeCloseTo(-Math.log(0.2), 5);
  });

  it("clips probabilities to [1e-7, 1 - 1e-7] like Keras", () => {
    // ln(1e-7) = -16.118096: a zero probability for the true class gives a finite loss.
    expect(crossEntropy(probabilityRows([{1: 1}]), [0])).toBeCloseTo(16.118096, 3);
    // A certain, correct prediction costs -ln(1 - 1e-7), about 1e-7.
    const certain = crossEntropy(probabilityRows([{4: 1}]), [4]);
    expect(certain).toBeGreaterThanOrEqual(0);
    expect(certain).toBeLessThan(1e-6);
  });
});

describe("argMaxRows(probabilities, classes)", () => {
  it("picks each row's largest value, the first one on ties", () => {
    const probs = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0, 0, 1]);
    expect(Array.from(argMaxRows(probs, 3))).toEqual([1, 0, 2]);
  });
});

describe("batchTensor(examples, start, n)", () => {
  it("returns images [start, start + n) as [n, 28, 28, 1]", () => {
    const t = batchTensor(examples, 2, 3);
    expect(t.shape).toEqual([3, 28, 28, 1]);
    expect(t.dataSync()).toEqual(examples.xs.subarray(2 * IMAGE_PIXELS, 5 * IMAGE_PIXELS));
    t.dispose();
  });
});

describe("predictAll(model, examples, batchSize, onBatch)", () => {
  it("agrees with one predict() call, argmax and the tensor cross-entropy, in batches with a remainder", async () => {
    const model = createCnn({filters: 8});
    const progress: [number, number][] = [];
    const result = await withoutLeak(() =>
      predictAll(model, examples, 3, (done, total) => progress.push([done, total]))
    );
    expect(progress).toEqual([
      [3, 8],
      [6, 8],
      [8, 8]
    ]);
    const all = tf.tidy(() => model.predict(batchTensor(examples, 0, 8)) as tf.Tensor2D);
    const expected = all.dataSync() as Float32Array;
    expect(result.probabilities.length).toBe(80);
    for (let i = 0; i < expected.length; i++) expect(result.probabilities[i]).toBeCloseTo(expected[i], 5);
    const argMax = Array.from(tf.tidy(() => tf.argMax(all, 1).dataSync()));
    expect(Array.from(result.predicted)).toEqual(argMax);
    const correct = argMax.filter((p, i) => p === examples.ys[i]).length;
    expect(result.accuracy).toBe(correct / 8);
    const loss = tf.tidy(() => sparseCategoricalCrossentropy(all, tf.tensor1d(examples.ys, "int32")).dataSync()[0]);
    expect(result.loss).toBeGreaterThan(0);
    expect(result.loss).toBeCloseTo(loss, 4);
    all.dispose();
    model.dispose();
  });
});

describe("confusionMatrix(labels, predicted, classes)", () => {
  it("counts true labels by row and predictions by column", () => {
    expect(confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 2]
    ]);
  });

  it("defaults to 10 classes", () => {
    const m = confusionMatrix(Uint8Array.of(9, 9, 3), Uint8Array.of(9, 0, 3));
    expect(m).toHaveLength(10);
    for (const row of m) expect(row).toHaveLength(10);
    expect(m[9][9]).toBe(1);
    expect(m[9][0]).toBe(1);
    expect(m[3][3]).toBe(1);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });
});

describe("perClassAccuracy(matrix)", () => {
  it("divides the diagonal by each row's total, and gives 0 for a class without examples", () => {
    const m = confusionMatrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 4);
    const accuracy = perClassAccuracy(m);
    expect(accuracy).toHaveLength(4);
    expect(accuracy[0]).toBe(0.5);
    expect(accuracy[1]).toBe(1);
    expect(accuracy[2]).toBeCloseTo(2 / 3, 12);
    expect(accuracy[3]).toBe(0);
  });
});
