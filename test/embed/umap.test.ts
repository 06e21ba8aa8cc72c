import {describe, expect, it} from "vitest";

import {exactKnn} from "../../src/core/embed/knn.js";
import {umapLayout, umapLayoutAsync} from "../../src/core/embed/umap.js";
import {fuzzyGraph} from "../../src/core/embed/umapGraph.js";
import {createOptimizer, fitAB, umapAdamStep, umapGradients} from "../../src/core/embed/umapOptimize.js";
import {createRandom} from "../../src/core/random.js";
import {blobs, nearestNeighbourAgreement} from "./helpers.js";

const {points, labels} = blobs(3, 40, 5, 5);
const options = {nEpochs: 150};

describe("umapLayout(points, {random})", () => {
  it("is reproducible with the same seed and differs with another", () => {
    const a = umapLayout(points, {...options, random: createRandom(1)});
    const b = umapLayout(points, {...options, random: createRandom(1)});
    const c = umapLayout(points, {...options, random: createRandom(2)});
    expect(a.count).toBe(120);
    expect(a.dim).toBe(2);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
  });

  it("separates labelled clusters, in 2-D and 3-D", () => {
    expect(nearestNeighbourAgreement(umapLayout(points, {...options, random: createRandom(1)}), labels)).toBe(1);
    const three = umapLayout(points, {...options, dim: 3, random: createRandom(1)});
    expect(three.dim).toBe(3);
    expect(nearestNeighbourAgreement(three, labels)).toBe(1);
  });

  it("uses precomputed exact neighbours (more than it needs: the first nNeighbors - 1)", () => {
    const layout = umapLayout(points, {...options, neighbors: exactKnn(points, 20), random: createRandom(1)});
    expect(nearestNeighbourAgreement(layout, labels)).toBe(1);
  });

  it("reports epochs and stops when the callback returns false", async () => {
    const epochs: number[] = [];
    await umapLayoutAsync(points, {...options, random: createRandom(1)}, (epoch, total) => {
      epochs.push(epoch);
      expect(total).toBe(150);
      return epoch < 10;
    });
    expect(epochs).toEqual(Array.from({length: 10}, (_, i) => i + 1));
  });

  it("needs more points than neighbours", () => {
    expect(() => umapLayout({data: new Float64Array(20), count: 10, dim: 2})).toThrow(/Not enough samples \(10\)/);
  });
});

describe("umapGradients(optimizer, epoch, from, to)", () => {
  it("gives the same moves whether the points are split between threads or not (batch mode)", () => {
    const make = () => {
      const graph = fuzzyGraph(exactKnn(points, 14), 15);
      return createOptimizer(graph, points.count, 2, 50, fitAB(1, 0.1), createRandom(3));
    };
    const whole = make();
    const split = make();
    for (let epoch = 0; epoch < 50; epoch++) {
      umapGradients(whole, epoch, 0, whole.n);
      // Pieces in another order, as threads may finish them.
      for (const [from, to] of [
        [77, 120],
        [0, 31],
        [31, 77]
      ])
        umapGradients(split, epoch, from, to);
      expect(Array.from(split.gradient)).toEqual(Array.from(whole.gradient));
      umapAdamStep(whole, epoch);
      umapAdamStep(split, epoch);
    }
    expect(Array.from(split.embedding)).toEqual(Array.from(whole.embedding));
    expect(nearestNeighbourAgreement({data: whole.embedding, count: whole.n, dim: 2}, labels)).toBe(1);
  });
});
