/**
 * The exact kNN split into parts (the browser's nested workers: core/embed/knnParts.ts) on real
 * data, the 64-d embeddings of the first 1,500 test images from the shipped model: any number of
 * parts, merged by finishKnn, gives the same bytes as exactKnn on one thread.
 */

import {beforeAll, describe, expect, it} from "vitest";

import {haveRealModel, realEmbeddings} from "./realPoints.js";

import {asFloat64, exactKnn, finishKnn} from "../../src/core/embed/knn.js";
import {blockCount, blockPairs} from "../../src/core/embed/knnBlocks.js";
import {knnCapacity, partBlocks, runKnnPart} from "../../src/core/embed/knnParts.js";
import type {Points} from "../../src/core/embed/points.js";

// Not a multiple of the 256-point column block: the last block is a short one.
const COUNT = 1500;
const K = 45;
const haveModel = haveRealModel("knnParts.test.ts");

let x: Points;

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

describe("partBlocks(n, parts)", () => {
  it("deals every block out once, largest first, keeping the parts' pairs close", () => {
    const n = 10_000;
    for (const parts of [1, 2, 3, 4]) {
      const split = partBlocks(n, parts);
      expect(split).toHaveLength(parts);
      expect(split.flat().sort((a, b) => a - b)).toEqual(Array.from({length: blockCount(n)}, (_, b) => b));
      for (const blocks of split) expect(blocks).toEqual([...blocks].sort((a, b) => b - a));
      const pairs = split.map((blocks) => blocks.reduce((s, b) => s + blockPairs(n, b), 0));
      expect(pairs.reduce((s, p) => s + p, 0)).toBe((n * (n - 1)) / 2);
      // No part does more than its share plus the largest block.
      expect(Math.max(...pairs) - Math.min(...pairs)).toBeLessThanOrEqual(blockPairs(n, blockCount(n) - 1));
    }
  });

  it("leaves parts beyond the number of blocks empty, and refuses no parts", () => {
    expect(partBlocks(300, 3)).toEqual([[1], [0], []]);
    expect(() => partBlocks(300, 0)).toThrow(/got 0/);
  });
});

describe.skipIf(!haveModel)(`kNN of ${COUNT} real embeddings in parts`, () => {
  beforeAll(async () => {
    ({points: x} = await realEmbeddings(COUNT));
  }, 120_000);

  it("gives the same bytes as exactKnn in 1, 2, 3 and 4 parts, in any order of merging", () => {
    const serial = exactKnn(x, K);
    const coords = asFloat64(x);
    for (const parts of [1, 2, 3, 4]) {
      let pairs = 0;
      const heaps = partBlocks(x.count, parts).map((blocks) =>
        runKnnPart({x: coords, n: x.count, dim: x.dim, kk: knnCapacity(x.count, K), blocks}, (p) => (pairs += p))
      );
      expect(pairs).toBe((COUNT * (COUNT - 1)) / 2);
      for (const order of [heaps, [...heaps].reverse()]) {
        const merged = finishKnn(coords, x.dim, K, order);
        // Buffer.equals: a deep toEqual of half a megabyte takes seconds.
        expect(sameBytes(merged.indices, serial.indices)).toBe(true);
        expect(sameBytes(merged.distances, serial.distances)).toBe(true);
      }
    }
  });
});
