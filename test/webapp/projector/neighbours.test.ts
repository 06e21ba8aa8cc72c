import {describe, expect, it} from "vitest";

import {exactKnn} from "../../../src/core/embed/knn.js";
import {points} from "../../../src/core/embed/points.js";
import {nearestToSelection} from "../../../web/src/views/projector/neighbours.js";
import {firstTestImages} from "./testImages.js";

const {vectors, dim} = firstTestImages(400);

describe("nearest neighbours of a selection", () => {
  it("agree with src/embed's exact kNN for a single point", () => {
    const knn = exactKnn(points(vectors, dim), 10);
    for (const i of [0, 17, 399]) {
      const ours = nearestToSelection(vectors, dim, [i], 10);
      expect(ours.map((n) => n.index)).toEqual(Array.from(knn.indices.subarray(i * 10, i * 10 + 10)));
      ours.forEach((n, t) => expect(n.distance).toBeCloseTo(knn.distances[i * 10 + t], 4));
    }
  });

  it("leave the selection out and are sorted by distance to its centroid", () => {
    const selection = [3, 5, 8];
    const found = nearestToSelection(vectors, dim, selection, 25);
    expect(found).toHaveLength(25);
    expect(found.some((n) => selection.includes(n.index))).toBe(false);
    for (let t = 1; t < found.length; t++) expect(found[t].distance).toBeGreaterThanOrEqual(found[t - 1].distance);
    expect(nearestToSelection(vectors, dim, [], 5)).toEqual([]);
  });
});
