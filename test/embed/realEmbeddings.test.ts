/**
 * Quality of our projections on real data: the 64-d embeddings of the first 2,000 test images from
 * the shipped model (or the model in $FMNIST_TEST_MODEL). t-SNE and UMAP must keep neighbourhoods
 * (trustworthiness) and classes (kNN accuracy close to the 64-d one), and beat PCA at both.
 */
import {existsSync} from "node:fs";
import {join} from "node:path";

import {beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {normalise} from "../../src/core/data/dataset.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import {exactKnn, type Neighbors} from "../../src/core/embed/knn.js";
import {pca} from "../../src/core/embed/pca.js";
import type {Points} from "../../src/core/embed/points.js";
import {knnAccuracy, trustworthiness} from "../../src/core/embed/quality.js";
import {Tsne} from "../../src/core/embed/tsne.js";
import {umapLayout} from "../../src/core/embed/umap.js";
import {DEFAULT_MODEL_DIR} from "../../src/node/model/defaultModel.js";
import {embedAll} from "../../src/core/model/embedding.js";
import {loadModel} from "../../src/node/model/io.js";
import {createRandom} from "../../src/core/random.js";

const COUNT = 2000;
const modelDir = process.env.FMNIST_TEST_MODEL ?? DEFAULT_MODEL_DIR;
const haveModel = existsSync(join(modelDir, "model.json"));
if (!haveModel) console.warn(`realEmbeddings.test.ts: no model at ${modelDir}; skipped (set FMNIST_TEST_MODEL)`);

let x: Points;
let labels: Uint8Array;
let neighbors: Neighbors;
let reference: number;
let tsneQuality: {trust: number; accuracy: number} | undefined;
const measure = (layout: Points) => ({
  trust: trustworthiness(x, layout, {k: 10, sample: 1000, random: createRandom(1)}),
  accuracy: knnAccuracy(layout, labels, {k: 10, sample: COUNT})
});

describe.skipIf(!haveModel)(`projections of ${COUNT} real embeddings`, () => {
  beforeAll(async () => {
    await selectBackend("wasm");
    const model = await loadModel(modelDir);
    const test = normalise(await loadFashionMnist("test", {limit: COUNT}));
    const embedded = await embedAll(model, test);
    model.dispose();
    x = {data: embedded.embeddings, count: COUNT, dim: embedded.dim};
    labels = test.ys;
    neighbors = exactKnn(x, 90);
    reference = knnAccuracy(x, labels, {k: 10, sample: COUNT});
  }, 120_000);

  it("has embeddings whose 10-NN accuracy is that of a trained model", () => {
    expect(x.dim).toBe(64);
    expect(reference).toBeGreaterThan(0.8);
  });

  it("t-SNE keeps neighbourhoods and classes (trustworthiness > 0.95, kNN accuracy within 3 points of 64-d)", () => {
    const tsne = new Tsne({random: createRandom(42)});
    tsne.setPrecomputedKnn(neighbors);
    const q = measure(tsne.fit(x));
    tsneQuality = q;
    console.info(
      `t-SNE: trustworthiness ${q.trust.toFixed(4)}, 10-NN accuracy ${q.accuracy.toFixed(4)} (64-d ${reference.toFixed(4)})`
    );
    expect(q.trust).toBeGreaterThan(0.95);
    expect(q.accuracy).toBeGreaterThan(reference - 0.03);
  });

  it("UMAP keeps neighbourhoods and classes (trustworthiness > 0.93, kNN accuracy within 5 points of 64-d)", () => {
    const q = measure(umapLayout(x, {neighbors, random: createRandom(42)}));
    console.info(
      `UMAP: trustworthiness ${q.trust.toFixed(4)}, 10-NN accuracy ${q.accuracy.toFixed(4)} (64-d ${reference.toFixed(4)})`
    );
    expect(q.trust).toBeGreaterThan(0.93);
    expect(q.accuracy).toBeGreaterThan(reference - 0.05);
  });

  it("PCA to 2-D loses more than t-SNE", () => {
    const q = measure(pca(x, {components: 2}).projected);
    console.info(`PCA: trustworthiness ${q.trust.toFixed(4)}, 10-NN accuracy ${q.accuracy.toFixed(4)}`);
    expect(q.trust).toBeLessThan(tsneQuality?.trust ?? 1);
    expect(q.accuracy).toBeLessThan(tsneQuality?.accuracy ?? 1);
  });
});
