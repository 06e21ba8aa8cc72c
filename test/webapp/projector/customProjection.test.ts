import {describe, expect, it} from "vitest";

import {centroid, centroidDirection, customAxes} from "../../../web/src/views/projector/customProjection.js";
import {firstTestImages} from "./testImages.js";

const {vectors, labels, dim} = firstTestImages(600);
const ofClass = (c: number) => [...labels.keys()].filter((i) => labels[i] === c);
const SNEAKER = 7;
const ANKLE_BOOT = 9;

describe("custom projection", () => {
  it("puts the two queries' centroids at the two ends of the x axis", () => {
    const a = ofClass(SNEAKER);
    const b = ofClass(ANKLE_BOOT);
    const x = centroidDirection(vectors, dim, a, b);
    expect(Math.hypot(...x)).toBeCloseTo(1, 10);
    const {layout} = customAxes(vectors, dim, x);
    const meanX = (set: number[]) => set.reduce((s, i) => s + layout[i * 2], 0) / set.length;
    // Sneakers lie left of ankle boots, and the gap is the distance between the centroids.
    const ca = centroid(vectors, dim, a);
    const cb = centroid(vectors, dim, b);
    const gap = Math.hypot(...cb.map((v, d) => v - ca[d]));
    expect(meanX(b) - meanX(a)).toBeCloseTo(gap, 4);
    const rightOfMiddle = b.filter((i) => layout[i * 2] > (meanX(a) + meanX(b)) / 2).length;
    expect(rightOfMiddle / b.length).toBeGreaterThan(0.8);
  });

  it("takes y from the residual's main direction, or from a second pair made orthogonal to x", () => {
    const u = centroidDirection(vectors, dim, ofClass(SNEAKER), ofClass(ANKLE_BOOT));
    const residual = customAxes(vectors, dim, u);
    const n = labels.length;
    const column = (l: Float64Array, c: number) => Array.from({length: n}, (_, i) => l[i * 2 + c]);
    // Moving points along x changes only x: y comes from what x leaves over.
    const moved = vectors.slice();
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) moved[i * dim + d] += ((i % 5) - 2) * 3 * u[d];
    const again = customAxes(moved, dim, u);
    column(again.layout, 1).forEach((v, i) => expect(v).toBeCloseTo(residual.layout[i * 2 + 1], 3));
    // The residual's main direction shows more variance than any other direction orthogonal to x.
    const trouserToBag = centroidDirection(vectors, dim, ofClass(1), ofClass(8));
    const paired = customAxes(vectors, dim, u, trouserToBag);
    expect(column(paired.layout, 0)).toEqual(column(residual.layout, 0));
    expect(paired.varianceShown[1]).toBeLessThan(residual.varianceShown[1]);
    expect(residual.varianceShown[0] + residual.varianceShown[1]).toBeLessThan(1);
    // The paired y axis separates trousers from bags.
    const meanY = (c: number) => ofClass(c).reduce((s, i) => s + paired.layout[i * 2 + 1], 0) / ofClass(c).length;
    expect(meanY(8)).toBeGreaterThan(meanY(1));
  });

  it("refuses empty queries, equal centroids and a y pair along x", () => {
    expect(() => centroidDirection(vectors, dim, [], [1])).toThrow("each query must match at least one image");
    expect(() => centroidDirection(vectors, dim, [3, 4], [4, 3])).toThrow("same centroid");
    const x = centroidDirection(vectors, dim, ofClass(SNEAKER), ofClass(ANKLE_BOOT));
    expect(() => customAxes(vectors, dim, x, x)).toThrow("point along the x axis");
  });
});
