import {describe, expect, it} from "vitest";

import {SpTree} from "../../src/core/embed/spTree.js";
import {createRandom} from "../../src/core/random.js";

/** Exact sum_j q_ij^2 (y_i - y_j) and sum_j q_ij for point i. */
function bruteForce(y: Float64Array, n: number, dim: number, i: number): {force: number[]; sumQ: number} {
  const force = new Array<number>(dim).fill(0);
  let sumQ = 0;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    let d2 = 0;
    for (let d = 0; d < dim; d++) d2 += (y[i * dim + d] - y[j * dim + d]) ** 2;
    const q = 1 / (1 + d2);
    sumQ += q;
    for (let d = 0; d < dim; d++) force[d] += q * q * (y[i * dim + d] - y[j * dim + d]);
  }
  return {force, sumQ};
}

describe("SpTree.repulsion(i, theta, force, offset)", () => {
  for (const dim of [2, 3] as const) {
    const n = 300;
    const random = createRandom(dim);
    const y = Float64Array.from({length: n * dim}, () => 20 * random() - 10);
    // Two exact duplicates and a point repeated three times: leaves must hold them without recursing forever.
    for (let d = 0; d < dim; d++) {
      y[dim + d] = y[d];
      y[2 * dim + d] = y[5 * dim + d] = y[6 * dim + d];
    }
    const tree = new SpTree(dim);
    tree.build(y, n);

    it(`is exact with theta 0 in ${dim}-D, duplicates included`, () => {
      for (const i of [0, 1, 2, 6, 150]) {
        const force = new Float64Array(dim);
        const sumQ = tree.repulsion(i, 0, force, 0);
        const expected = bruteForce(y, n, dim, i);
        expect(sumQ).toBeCloseTo(expected.sumQ, 10);
        for (let d = 0; d < dim; d++) expect(force[d]).toBeCloseTo(expected.force[d], 10);
      }
    });

    it(`is within a few percent with theta 0.5 in ${dim}-D`, () => {
      const force = new Float64Array(dim);
      const sumQ = tree.repulsion(150, 0.5, force, 0);
      const expected = bruteForce(y, n, dim, 150);
      expect(Math.abs(sumQ - expected.sumQ) / expected.sumQ).toBeLessThan(0.03);
    });

    it(`lists every point once in its depth-first order in ${dim}-D`, () => {
      const order = tree.pointOrder(new Int32Array(n));
      expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({length: n}, (_, i) => i));
    });
  }
});
