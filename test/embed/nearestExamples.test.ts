/**
 * The nearest training examples (src/core/embed/nearestExamples.ts) on the shipped model's real
 * embeddings: 3,000 training images as the bank, the first 300 test images as queries.
 */
import {beforeAll, describe, expect, it} from "vitest";

import {exampleBank, nearestExamples, type ExampleBank} from "../../src/core/embed/nearestExamples.js";
import {computeTrainingExamples} from "../../src/node/embed/trainingExamples.js";
import {loadModel} from "../../src/node/model/io.js";
import {haveRealModel, realEmbeddings, REAL_MODEL_DIR} from "./realPoints.js";

const BANK = 3000;
const QUERIES = 300;
const K = 8;
let bank: ExampleBank;
let queries: Awaited<ReturnType<typeof realEmbeddings>>;

const query = (i: number) => Float32Array.from(queries.points.data.subarray(i * 64, (i + 1) * 64));

describe.runIf(haveRealModel("nearestExamples.test.ts"))("nearestExamples", () => {
  beforeAll(async () => {
    queries = await realEmbeddings(QUERIES); // selects the WASM backend
    const model = await loadModel(REAL_MODEL_DIR);
    bank = exampleBank(await computeTrainingExamples(model, BANK));
    model.dispose();
  }, 120_000);

  it("finds training images of the test image's own class, mostly", () => {
    let same = 0;
    for (let i = 0; i < QUERIES; i++) {
      same += nearestExamples(bank, query(i), K).filter((n) => n.label === queries.labels[i]).length;
    }
    // The shipped model's 5-NN accuracy in this space is about 92 %; a random bank would give 10 %.
    expect(same / (QUERIES * K)).toBeGreaterThan(0.85);
  });

  it("returns the k smallest cosine distances in order, as a full sort does", () => {
    for (const i of [0, 17, 123]) {
      const q = query(i);
      const norm = Math.hypot(...q);
      const all = Array.from({length: BANK}, (_, row) => {
        const e = bank.examples.embeddings.subarray(row * 64, (row + 1) * 64);
        const dot = e.reduce((s, v, d) => s + v * q[d], 0);
        return {row, distance: 1 - dot / (norm * Math.hypot(...e))};
      }).sort((a, b) => a.distance - b.distance || a.row - b.row);
      const found = nearestExamples(bank, q, K);
      expect(found.map((n) => n.row)).toEqual(all.slice(0, K).map((n) => n.row));
      for (let j = 0; j < K; j++) expect(found[j].distance).toBeCloseTo(all[j].distance, 5);
    }
  });

  it("keeps one class when asked: the training images that pull a test image toward another class", () => {
    const found = nearestExamples(bank, query(0), 5, 3);
    expect(found).toHaveLength(5);
    expect(found.every((n) => n.label === 3 && bank.examples.labels[n.row] === 3)).toBe(true);
    // They are farther than the unfiltered nearest (test image 0 is an ankle boot, class 9).
    expect(found[0].distance).toBeGreaterThan(nearestExamples(bank, query(0), 1)[0].distance);
  });

  it("refuses an embedding of the wrong size", () => {
    expect(() => nearestExamples(bank, new Float32Array(10), 3)).toThrow(/10 values; the training examples have 64/);
  });
});
