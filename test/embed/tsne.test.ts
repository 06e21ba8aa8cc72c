import {describe, expect, it} from "vitest";

import {exactKnn} from "../../src/core/embed/knn.js";
import {Tsne} from "../../src/core/embed/tsne.js";
import {UserError} from "../../src/core/errors.js";
import {createRandom} from "../../src/core/random.js";
import {blobs, nearestNeighbourAgreement} from "./helpers.js";

const {points, labels} = blobs(3, 40, 5, 5);
const small = {perplexity: 10, iterations: 400, exaggerationIterations: 100};

describe("Tsne.fit(points)", () => {
  it("reproduces the seeded golden layout (PCA initialisation, 2-D)", () => {
    const layout = new Tsne(small).fit(points);
    expect(layout.count).toBe(120);
    expect(layout.dim).toBe(2);
    // Since issue 18 the sum of q adds 32 fixed runs of points (so threads give the same bytes).
    const golden = [13.25652, 8.935977, 2.920741, -21.501007, -16.235433, 8.460888];
    golden.forEach((v, t) => expect(layout.data[t]).toBeCloseTo(v, 4));
  });

  it("reproduces the seeded golden layout (random initialisation, 3-D)", () => {
    const layout = new Tsne({...small, dim: 3, init: "random", random: createRandom(9)}).fit(points);
    expect(layout.dim).toBe(3);
    const golden = [-2.978076, -25.620548, 3.31323, -10.425338, 14.300819, -17.600556];
    golden.forEach((v, t) => expect(layout.data[t]).toBeCloseTo(v, 4));
  });

  it("is byte-identical on re-run and separates labelled clusters", () => {
    const a = new Tsne(small).fit(points);
    const b = new Tsne(small).fit(points);
    expect(Buffer.from(a.data.buffer).equals(Buffer.from(b.data.buffer))).toBe(true);
    expect(nearestNeighbourAgreement(a, labels)).toBe(1);
  });

  it("lowers the KL divergence as it runs", () => {
    const tsne = new Tsne(small);
    tsne.initialize(points);
    for (let i = 0; i < 120; i++) tsne.step();
    const early = tsne.klDivergence();
    for (let i = 0; i < 280; i++) tsne.step();
    expect(tsne.getIteration()).toBe(400);
    expect(tsne.klDivergence()).toBeLessThan(early);
    expect(tsne.step()).toBe(400); // no iterations past the end
  });

  it("accepts precomputed neighbours with the same result", () => {
    const tsne = new Tsne(small);
    tsne.setPrecomputedKnn(exactKnn(points, 45));
    const a = tsne.fit(points);
    const b = new Tsne(small).fit(points);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
});

describe("Tsne.fitAsync(points, onStep)", () => {
  it("stops when the callback returns false", async () => {
    const seen: number[] = [];
    const tsne = new Tsne(small);
    const layout = await tsne.fitAsync(points, (iteration) => {
      seen.push(iteration);
      return iteration < 25;
    });
    expect(seen.at(-1)).toBe(25);
    expect(tsne.getIteration()).toBe(25);
    expect(layout.count).toBe(120);
  });
});

describe("Tsne errors", () => {
  it("needs more points than 3 * perplexity", () => {
    expect(() => new Tsne({perplexity: 50}).fit(points)).toThrow(/Not enough samples \(120\) for perplexity 50/);
  });
  it("rejects bad options and step() before initialize()", () => {
    expect(() => new Tsne({dim: 4 as 2})).toThrow(UserError);
    expect(() => new Tsne({perplexity: 0})).toThrow(/perplexity/);
    expect(() => new Tsne().step()).toThrow(/initialize/);
  });
});
