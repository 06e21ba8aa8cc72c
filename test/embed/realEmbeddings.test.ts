/**
 * Quality of our projections on real data: the 64-d embeddings of the first 2,000 test images from
 * the shipped model (or the model in $FMNIST_TEST_MODEL). t-SNE and UMAP must keep neighbourhoods
 * (trustworthiness) and classes (kNN accuracy close to the 64-d one), and beat PCA at both.
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";

import {exactKnn, type Neighbors} from "../../src/core/embed/knn.js";
import {pca} from "../../src/core/embed/pca.js";
import type {Points} from "../../src/core/embed/points.js";
import {knnAccuracy, trustworthiness} from "../../src/core/embed/quality.js";
import {Tsne} from "../../src/core/embed/tsne.js";
import {umapLayout} from "../../src/core/embed/umap.js";
import {createRandom} from "../../src/core/random.js";

const COUNT = 2000;
const haveModel = haveRealModel("realEmbeddings.test.ts");

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
    ({points: x, labels} = await realEmbeddings(COUNT));
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
