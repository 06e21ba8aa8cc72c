import {describe, expect, it} from "vitest";

import {DEFAULT_BUCKET_LIMITS, histogram} from "../../../src/node/tensorboard/histogram.js";

describe("DEFAULT_BUCKET_LIMITS", () => {
  const limits = Array.from(DEFAULT_BUCKET_LIMITS);
  const zero = limits.indexOf(0);

  it("runs from -DBL_MAX to DBL_MAX through 0, ascending", () => {
    expect(limits[0]).toBe(-Number.MAX_VALUE);
    expect(limits[limits.length - 1]).toBe(Number.MAX_VALUE);
    expect(zero).toBe((limits.length - 1) / 2);
    for (let i = 1; i < limits.length; i++) expect(limits[i]).toBeGreaterThan(limits[i - 1]);
  });

  it("grows by a factor 1.1 from 1e-12 to just under 1e20, mirrored for negatives", () => {
    expect(limits[zero + 1]).toBe(1e-12);
    expect(limits[zero + 2]).toBeCloseTo(1.1e-12, 25);
    const lastFinite = limits[limits.length - 2];
    expect(lastFinite).toBeLessThan(1e20);
    expect(lastFinite * 1.1).toBeGreaterThanOrEqual(1e20);
    for (let i = 1; i <= zero; i++) expect(limits[zero - i]).toBe(-limits[zero + i]);
    expect(limits).toHaveLength(1551);
  });
});

describe("histogram(values)", () => {
  const values = [0, 1, 1, -2, 3.5];
  const h = histogram(values);

  it("records min, max, count, sum and sum of squares", () => {
    expect(h).toMatchObject({min: -2, max: 3.5, num: 5, sum: 3.5, sumSquares: 0 + 1 + 1 + 4 + 12.25});
  });

  it("counts each value in the first bucket whose limit exceeds it", () => {
    const filled = h.bucketLimit.map((limit, i) => [limit, h.bucket[i]] as const).filter(([, c]) => c > 0);
    expect(filled.map(([, c]) => c)).toEqual([1, 1, 2, 1]);
    const limits = filled.map(([l]) => l);
    const below = (l: number) => DEFAULT_BUCKET_LIMITS[DEFAULT_BUCKET_LIMITS.indexOf(l) - 1];
    [-2, 0, 1, 3.5].forEach((v, i) => {
      expect(limits[i]).toBeGreaterThan(v);
      expect(below(limits[i])).toBeLessThanOrEqual(v);
    });
    expect(limits[1]).toBe(1e-12); // 0 falls into [0, 1e-12)
  });

  it("merges runs of empty buckets into one entry ending at the run's last limit", () => {
    expect(h.bucket).toEqual([0, 1, 0, 1, 0, 2, 0, 1, 0]);
    expect(h.bucketLimit[h.bucketLimit.length - 1]).toBe(Number.MAX_VALUE);
    for (let i = 1; i < h.bucket.length; i++) expect(h.bucket[i] > 0 || h.bucket[i - 1] > 0).toBe(true);
  });

  it("ignores non-finite values and handles an empty input", () => {
    expect(histogram([NaN, Infinity, 2]).num).toBe(1);
    expect(histogram([])).toEqual({
      min: 0,
      max: 0,
      num: 0,
      sum: 0,
      sumSquares: 0,
      bucketLimit: [Number.MAX_VALUE],
      bucket: [0]
    });
  });
});
