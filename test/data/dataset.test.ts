import {describe, expect, it} from "vitest";

import {normalise, splitValidation, take, type Examples} from "../../src/core/data/dataset.js";
import {IMAGE_PIXELS, type FashionMnistSplit} from "../../src/core/data/fashionMnist.js";
import {createRandom} from "../../src/core/random.js";

/** A split of `count` images whose pixels are all distinct patterns; image i's first pixel is `i % 256`. */
function syntheticSplit(count: number, offset = 0): FashionMnistSplit {
  const images = new Uint8Array(count * IMAGE_PIXELS);
  for (let i = 0; i < count; i++) {
    for (let p = 0; p < IMAGE_PIXELS; p++) images[i * IMAGE_PIXELS + p] = (i + p * 7 + offset) % 256;
  }
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = (i * 3) % 10;
  return {images, labels, count};
}

/** Examples whose image i is filled with the value i (so rows can be identified after copying). */
function numberedExamples(count: number): Examples {
  const xs = new Float32Array(count * IMAGE_PIXELS);
  const ys = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    xs.fill(i, i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    ys[i] = i % 10;
  }
  return {xs, ys, count};
}

/** The row ids of numbered examples, checking each row is uniform. */
function rowIds(examples: Examples): number[] {
  const ids: number[] = [];
  for (let i = 0; i < examples.count; i++) {
    const row = examples.xs.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    expect(row.every((v) => v === row[0])).toBe(true);
    expect(examples.ys[i]).toBe(row[0] % 10);
    ids.push(row[0]);
  }
  return ids;
}

describe("normalise(split)", () => {
  it("maps every byte b to b / 255 (in float32)", () => {
    const split = syntheticSplit(3);
    const {xs, count} = normalise(split);
    expect(count).toBe(3);
    expect(xs.length).toBe(3 * IMAGE_PIXELS);
    for (let i = 0; i < xs.length; i++) {
      if (xs[i] !== Math.fround(split.images[i] / 255)) {
        expect.fail(`xs[${i}] = ${xs[i]}, expected ${split.images[i]}/255`);
      }
    }
  });

  it("keeps values in [0, 1], with 0 → 0 and 255 → 1", () => {
    const {xs} = normalise(syntheticSplit(2));
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBe(1);
  });

  it("copies the labels, so later changes to the split do not leak in", () => {
    const split = syntheticSplit(4);
    const {ys} = normalise(split);
    expect(Array.from(ys)).toEqual([0, 3, 6, 9]);
    split.labels[0] = 7;
    expect(ys[0]).toBe(0);
  });

  it("uses only the first `count` images and labels when the arrays are longer", () => {
    const big = syntheticSplit(5);
    const result = normalise({...big, count: 2});
    expect(result.count).toBe(2);
    expect(result.xs.length).toBe(2 * IMAGE_PIXELS);
    expect(Array.from(result.ys)).toEqual([0, 3]);
  });

  it("handles an empty split", () => {
    const result = normalise({images: new Uint8Array(0), labels: new Uint8Array(0), count: 0});
    expect(result.xs.length).toBe(0);
    expect(result.ys.length).toBe(0);
  });
});

describe("take(examples, indices)", () => {
  it("copies the rows at the indices, in the order given, repeats included", () => {
    const examples = numberedExamples(6);
    const taken = take(examples, [4, 0, 4, 5]);
    expect(taken.count).toBe(4);
    expect(taken.xs.length).toBe(4 * IMAGE_PIXELS);
    expect(rowIds(taken)).toEqual([4, 0, 4, 5]);
  });

  it("accepts typed arrays of indices and returns a copy, not a view", () => {
    const examples = numberedExamples(3);
    const taken = take(examples, Int32Array.from([2]));
    examples.xs.fill(-1);
    examples.ys.fill(9);
    expect(rowIds(taken)).toEqual([2]);
  });

  it("returns an empty set for no indices", () => {
    const taken = take(numberedExamples(3), []);
    expect(taken).toEqual({xs: new Float32Array(0), ys: new Uint8Array(0), count: 0});
  });
});

describe("splitValidation(examples, fraction, seed)", () => {
  for (const [count, fraction] of [
    [100, 0.1],
    [10, 0.1],
    [7, 0.5],
    [1000, 0.25],
    [5, 0]
  ] as const) {
    it(`splits ${count} examples with fraction ${fraction} into disjoint sets of the right sizes`, () => {
      const {train, validation, validationIndices} = splitValidation(numberedExamples(count), fraction);
      const nVal = Math.round(count * fraction);
      expect(validation.count).toBe(nVal);
      expect(validationIndices.length).toBe(nVal);
      expect(train.count).toBe(count - nVal);
      const valIds = rowIds(validation);
      const trainIds = rowIds(train);
      expect(valIds).toEqual(Array.from(validationIndices));
      expect(new Set([...valIds, ...trainIds]).size).toBe(count); // disjoint and together cover all
      // Both keep the original order.
      expect(valIds).toEqual([...valIds].sort((a, b) => a - b));
      expect(trainIds).toEqual([...trainIds].sort((a, b) => a - b));
    });
  }

  it("is deterministic: the same indices twice", () => {
    const a = splitValidation(numberedExamples(500), 0.1);
    const b = splitValidation(numberedExamples(500), 0.1);
    expect(Array.from(a.validationIndices)).toEqual(Array.from(b.validationIndices));
    expect(rowIds(a.train)).toEqual(rowIds(b.train));
  });

  it("depends on the seed, not on the data, other generators or Math.random", () => {
    const reference = Array.from(splitValidation(numberedExamples(500), 0.1).validationIndices);
    // Consume other randomness in between: another seeded generator and Math.random.
    const other = createRandom(42);
    for (let i = 0; i < 1000; i++) other();
    for (let i = 0; i < 1000; i++) Math.random();
    const differentPixels = normalise(syntheticSplit(500, 99));
    expect(Array.from(splitValidation(differentPixels, 0.1).validationIndices)).toEqual(reference);
    expect(Array.from(splitValidation(numberedExamples(500), 0.1, 20170825).validationIndices)).toEqual(reference);
    expect(Array.from(splitValidation(numberedExamples(500), 0.1, 1).validationIndices)).not.toEqual(reference);
  });

  it("picks a spread-out random subset, not the first or last rows", () => {
    const {validationIndices} = splitValidation(numberedExamples(1000), 0.1);
    const indices = Array.from(validationIndices);
    expect(indices).not.toEqual(Array.from({length: 100}, (_, i) => i));
    expect(indices.filter((i) => i < 500).length).toBeGreaterThan(30);
    expect(indices.filter((i) => i >= 500).length).toBeGreaterThan(30);
  });

  it("sorts validation indices numerically (not as strings)", () => {
    const indices = Array.from(splitValidation(numberedExamples(200), 0.5).validationIndices);
    for (let i = 1; i < indices.length; i++) expect(indices[i]).toBeGreaterThan(indices[i - 1]);
  });
});
