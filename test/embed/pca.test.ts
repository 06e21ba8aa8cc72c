import {describe, expect, it} from "vitest";

import {pca} from "../../src/core/embed/pca.js";
import {gaussian} from "../../src/core/embed/tsne.js";
import {UserError} from "../../src/core/errors.js";
import {createRandom} from "../../src/core/random.js";

/** Points x = a1 u1 + a2 u2 + a3 u3 + mean, with a_k ~ N(0, sd_k^2), along a random orthonormal basis u of R^dim. */
function synthetic(n: number, dim: number, sds: number[], seed = 7) {
  const random = createRandom(seed);
  // Gram-Schmidt on random vectors gives known orthonormal axes.
  const axes: number[][] = [];
  while (axes.length < sds.length) {
    const v = Array.from({length: dim}, () => gaussian(random));
    for (const u of axes) {
      const dot = v.reduce((s, x, d) => s + x * u[d], 0);
      for (let d = 0; d < dim; d++) v[d] -= dot * u[d];
    }
    const norm = Math.hypot(...v);
    axes.push(v.map((x) => x / norm));
  }
  const mean = Array.from({length: dim}, (_, d) => d - 3);
  const data = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const a = sds.map((sd) => sd * gaussian(random));
    for (let d = 0; d < dim; d++) data[i * dim + d] = mean[d] + a.reduce((s, ak, k) => s + ak * axes[k][d], 0);
  }
  return {points: {data, count: n, dim}, axes, mean};
}

describe("pca(points, {components})", () => {
  const {points, axes, mean} = synthetic(4000, 10, [3, 2, 1]);
  const result = pca(points, {components: 3});

  it("finds the known axes in order of variance", () => {
    for (let c = 0; c < 3; c++) {
      const found = Array.from(result.axes.subarray(c * 10, (c + 1) * 10));
      const cosine = found.reduce((s, x, d) => s + x * axes[c][d], 0);
      expect(Math.abs(cosine)).toBeGreaterThan(0.999);
      expect(Math.hypot(...found)).toBeCloseTo(1, 10);
    }
  });

  it("reports the variance along each axis and its share of the total", () => {
    expect(result.explainedVariance[0]).toBeCloseTo(9, 0);
    expect(result.explainedVariance[1]).toBeCloseTo(4, 0);
    expect(result.explainedVariance[2]).toBeCloseTo(1, 0);
    // The data lie in a 3-D subspace: three components explain everything.
    const sum = result.explainedVarianceRatio.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 8);
    expect(result.explainedVarianceRatio[0]).toBeCloseTo(9 / 14, 1);
  });

  it("subtracts the mean and projects every point", () => {
    for (let d = 0; d < 10; d++) expect(result.mean[d]).toBeCloseTo(mean[d], 0);
    expect(result.projected.count).toBe(4000);
    expect(result.projected.dim).toBe(3);
    let m0 = 0;
    for (let i = 0; i < 4000; i++) m0 += result.projected.data[i * 3];
    expect(Math.abs(m0 / 4000)).toBeLessThan(1e-9);
  });

  it("fixes each axis' sign: its largest coefficient is positive (reproducible output)", () => {
    for (let c = 0; c < 3; c++) {
      const axis = Array.from(result.axes.subarray(c * 10, (c + 1) * 10));
      const biggest = axis.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
      expect(biggest).toBeGreaterThan(0);
    }
    const again = pca(points, {components: 3});
    expect(Array.from(again.projected.data)).toEqual(Array.from(result.projected.data));
  });

  it("rejects too few points and bad component counts", () => {
    expect(() => pca({data: new Float64Array(3), count: 1, dim: 3})).toThrow(UserError);
    expect(() => pca(points, {components: 11})).toThrow(/components must be between 1 and 10/);
  });
});
