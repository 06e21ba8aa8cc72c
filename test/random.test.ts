import {describe, expect, it} from "vitest";

import {createRandom, permutation, shuffleInPlace} from "../src/core/random.js";

function draw(seed: number, n: number): number[] {
  const random = createRandom(seed);
  return Array.from({length: n}, () => random());
}

/** Pearson's chi-squared statistic of `observed` counts against equal expected counts. */
function chiSquared(observed: number[]): number {
  const total = observed.reduce((a, b) => a + b, 0);
  const expected = total / observed.length;
  return observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
}

describe("createRandom(seed)", () => {
  it("gives the same sequence for the same seed", () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
  });

  it("gives different sequences for different seeds", () => {
    const a = draw(1, 20);
    const b = draw(2, 20);
    expect(a).not.toEqual(b);
    expect(a.filter((x, i) => x === b[i])).toEqual([]);
  });

  it("matches the reference mulberry32 output", () => {
    // Values from Tommy Ettinger's reference JavaScript mulberry32, run separately.
    expect(draw(0, 2)).toEqual([0.26642920868471265, 0.0003297457005828619]);
    expect(draw(42, 3)).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it("reduces the seed to 32 bits", () => {
    expect(draw(-1, 5)).toEqual(draw(0xffffffff, 5));
    expect(draw(2 ** 32 + 7, 5)).toEqual(draw(7, 5));
  });

  it("returns floats in [0, 1) with plenty of distinct values", () => {
    const values = draw(123, 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(19_900);
  });

  it("is roughly uniform: 10 bins pass a chi-squared test, mean ≈ 0.5", () => {
    const values = draw(7, 100_000);
    const bins = new Array<number>(10).fill(0);
    for (const v of values) bins[Math.floor(v * 10)]++;
    expect(chiSquared(bins)).toBeLessThan(27.88); // 9 degrees of freedom, p = 0.001
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
  });

  it("has no obvious correlation between successive values", () => {
    const values = draw(99, 50_000);
    let sum = 0;
    for (let i = 1; i < values.length; i++) sum += (values[i] - 0.5) * (values[i - 1] - 0.5);
    const correlation = sum / (values.length - 1) / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(0.03);
  });
});

describe("permutation(n, random)", () => {
  for (const n of [0, 1, 2, 10, 1000]) {
    it(`returns a permutation of 0..${n - 1}`, () => {
      const p = permutation(n, createRandom(5));
      expect(p).toBeInstanceOf(Int32Array);
      expect(p.length).toBe(n);
      expect(Array.from(p).sort((a, b) => a - b)).toEqual(Array.from({length: n}, (_, i) => i));
    });
  }

  it("is deterministic for a seed and differs between seeds", () => {
    expect(Array.from(permutation(50, createRandom(3)))).toEqual(Array.from(permutation(50, createRandom(3))));
    expect(Array.from(permutation(50, createRandom(3)))).not.toEqual(Array.from(permutation(50, createRandom(4))));
  });

  it("actually shuffles", () => {
    const p = Array.from(permutation(100, createRandom(11)));
    const fixedPoints = p.filter((v, i) => v === i).length;
    expect(fixedPoints).toBeLessThan(10);
  });

  it("is roughly uniform over all 6 orders of 3 elements", () => {
    const random = createRandom(2024);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6000; i++) {
      const key = permutation(3, random).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["012", "021", "102", "120", "201", "210"]);
    expect(chiSquared([...counts.values()])).toBeLessThan(20.52); // 5 degrees of freedom, p = 0.001
  });

  it("puts each element in each position about equally often", () => {
    const random = createRandom(31);
    const n = 8;
    const trials = 8000;
    const where = Array.from({length: n}, () => new Array<number>(n).fill(0));
    for (let t = 0; t < trials; t++) {
      const p = permutation(n, random);
      for (let pos = 0; pos < n; pos++) where[p[pos]][pos]++;
    }
    for (const row of where) expect(chiSquared(row)).toBeLessThan(24.32); // 7 degrees of freedom, p = 0.001
  });
});

describe("shuffleInPlace(array, random)", () => {
  it("shuffles a plain array in place and returns it", () => {
    const array = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const result = shuffleInPlace(array, createRandom(8));
    expect(result).toBe(array);
    expect([...array].sort()).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
    expect(array).not.toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  it("leaves empty and one-element arrays alone without drawing", () => {
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    expect(shuffleInPlace([], counting)).toEqual([]);
    expect(shuffleInPlace([1], counting)).toEqual([1]);
    expect(draws).toBe(0);
  });

  it("draws n - 1 numbers for n elements", () => {
    let draws = 0;
    shuffleInPlace(new Float32Array(10), () => {
      draws++;
      return 0.999;
    });
    expect(draws).toBe(9);
  });
});
