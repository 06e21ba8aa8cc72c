import {describe, expect, it} from "vitest";

import type {Points} from "../../src/core/embed/points.js";
import {knnAccuracy, trustworthiness} from "../../src/core/embed/quality.js";
import {createRandom} from "../../src/core/random.js";
import {blobs} from "./helpers.js";

/** Trustworthiness straight from its definition (Venna & Kaski 2001), over all points. */
function referenceTrustworthiness(high: Points, low: Points, k: number): number {
  const n = high.count;
  const dist = (p: Points, i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < p.dim; d++) s += (p.data[i * p.dim + d] - p.data[j * p.dim + d]) ** 2;
    return s;
  };
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const others = Array.from({length: n}, (_, j) => j).filter((j) => j !== i);
    const highRank = [...others].sort((a, b) => dist(high, i, a) - dist(high, i, b) || a - b);
    const lowNearest = [...others].sort((a, b) => dist(low, i, a) - dist(low, i, b) || a - b).slice(0, k);
    for (const j of lowNearest) {
      const r = highRank.indexOf(j) + 1;
      if (r > k) sum += r - k;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * sum;
}

describe("trustworthiness(high, low, {k, sample})", () => {
  const {points} = blobs(4, 30, 6, 2);
  const first2 = {data: points.data.filter((_, t) => t % 6 < 2), count: points.count, dim: 2};

  it("is 1 for the data themselves", () => {
    expect(trustworthiness(points, points, {k: 5, sample: 120})).toBe(1);
  });

  it("matches the definition on a real projection", () => {
    expect(trustworthiness(points, first2, {k: 5, sample: 120})).toBeCloseTo(
      referenceTrustworthiness(points, first2, 5),
      10
    );
  });

  it("is low for a random layout, and a sample estimates the full value", () => {
    const random = createRandom(3);
    const noise = {data: Float64Array.from({length: 240}, () => random()), count: 120, dim: 2};
    const full = trustworthiness(points, noise, {k: 5, sample: 120});
    expect(full).toBeLessThan(0.7);
    const sampled = trustworthiness(points, noise, {k: 5, sample: 60, random: createRandom(4)});
    expect(Math.abs(sampled - full)).toBeLessThan(0.05);
  });

  it("rejects mismatched sets", () => {
    expect(() => trustworthiness(points, {data: new Float64Array(4), count: 2, dim: 2})).toThrow(
      /120 original points but 2/
    );
  });
});

describe("knnAccuracy(points, labels, {k})", () => {
  it("is 1 on well separated clusters and about chance on noise", () => {
    const {points, labels} = blobs(4, 30, 6, 2);
    expect(knnAccuracy(points, labels, {k: 5})).toBe(1);
    const random = createRandom(5);
    const noise = {data: Float64Array.from({length: 2000}, () => random()), count: 1000, dim: 2};
    const noiseLabels = Uint8Array.from({length: 1000}, () => Math.floor(random() * 4));
    expect(knnAccuracy(noise, noiseLabels, {k: 10})).toBeLessThan(0.35);
  });

  it("breaks a tie in favour of the nearer voters", () => {
    // Point 0 has neighbours 1 (label 1, nearest) and 2 (label 2): one vote each.
    const p = {data: Float64Array.from([0, 0, 1, 0, 2, 0, 10, 0, 11, 0]), count: 5, dim: 2};
    const labels = [1, 1, 2, 2, 2];
    // k = 2: point 0 sees labels 1 and 2 once each and must pick 1, the nearer; point 2 (label 2)
    // sees two 1s and is the only miss.
    expect(knnAccuracy(p, labels, {k: 2, sample: 5})).toBe(0.8);
    expect(() => knnAccuracy(p, [1, 2], {k: 2})).toThrow(/2 labels for 5 points/);
  });
});
