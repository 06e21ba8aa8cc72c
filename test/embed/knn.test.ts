import {describe, expect, it} from "vitest";

import {exactKnn, truncateNeighbors} from "../../src/core/embed/knn.js";
import {UserError} from "../../src/core/errors.js";
import {blobs} from "./helpers.js";

describe("exactKnn(points, k)", () => {
  const {points} = blobs(4, 50, 7, 3);

  it("matches a naive sort of all distances", () => {
    const nb = exactKnn(points, 12);
    for (const i of [0, 17, 199]) {
      const all = [];
      for (let j = 0; j < points.count; j++) {
        if (j === i) continue;
        let s = 0;
        for (let d = 0; d < 7; d++) s += (points.data[i * 7 + d] - points.data[j * 7 + d]) ** 2;
        all.push({j, d: Math.sqrt(s)});
      }
      all.sort((a, b) => a.d - b.d || a.j - b.j);
      expect(Array.from(nb.indices.subarray(i * 12, i * 12 + 12))).toEqual(all.slice(0, 12).map((e) => e.j));
      for (let t = 0; t < 12; t++) expect(nb.distances[i * 12 + t]).toBeCloseTo(all[t].d, 10);
    }
  });

  it("is exact across tile and block edges (counts that are not multiples of 4 or 256)", () => {
    for (const [clusters, per] of [
      [3, 87],
      [1, 7],
      [5, 103]
    ]) {
      const {points: p} = blobs(clusters, per, 5, clusters);
      const k = Math.min(6, p.count - 1);
      const nb = exactKnn(p, k);
      for (let i = 0; i < p.count; i++) {
        const all = [];
        for (let j = 0; j < p.count; j++) {
          if (j === i) continue;
          let s = 0;
          for (let d = 0; d < 5; d++) s += (p.data[i * 5 + d] - p.data[j * 5 + d]) ** 2;
          all.push({j, d: s});
        }
        all.sort((a, b) => a.d - b.d || a.j - b.j);
        expect(Array.from(nb.indices.subarray(i * k, i * k + k))).toEqual(all.slice(0, k).map((e) => e.j));
      }
    }
  });

  it("breaks ties by the lower index", () => {
    // Points on a line at integer positions 0, 1, 2, …: each inner point has two neighbours at 1.
    const line = {data: Float64Array.from({length: 600}, (_, i) => i), count: 600, dim: 1};
    const nb = exactKnn(line, 4);
    expect(Array.from(nb.indices.subarray(300 * 4, 301 * 4))).toEqual([299, 301, 298, 302]);
    expect(Array.from(nb.distances.subarray(300 * 4, 301 * 4))).toEqual([1, 1, 2, 2]);
  });

  it("reports progress and truncates to fewer neighbours", () => {
    let last = 0;
    const nb = exactKnn(points, 5, {onProgress: (done, total) => (last = done / total)});
    expect(last).toBe(1);
    const three = truncateNeighbors(nb, 3);
    expect(three.k).toBe(3);
    expect(Array.from(three.indices.subarray(3, 6))).toEqual(Array.from(nb.indices.subarray(5, 8)));
  });

  it("rejects k outside 1..n-1", () => {
    expect(() => exactKnn(points, 200)).toThrow(UserError);
    expect(() => exactKnn(points, 0)).toThrow(/1 ≤ k/);
  });
});
