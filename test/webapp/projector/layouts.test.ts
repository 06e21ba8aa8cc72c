import {describe, expect, it} from "vitest";

import {
  hasLayout,
  layoutChecksum,
  normaliseLayout,
  precomputedLayout
} from "../../../web/src/views/projector/layouts.js";
import {projectionsFile} from "./projectionsFile.js";

const file = projectionsFile(3, {
  pca: {
    parameters: {},
    "2d": [
      [0, 0],
      [4, 0],
      [2, 2]
    ]
  },
  tsne: {parameters: {}, "2d": [[1, 1]]}
});

describe("projector layouts", () => {
  it("knows which methods and dimensions the export holds for every point", () => {
    expect(hasLayout(file, "pca", 2)).toBe(true);
    expect(hasLayout(file, "pca", 3)).toBe(false);
    expect(hasLayout(file, "tsne", 2)).toBe(false);
    expect(hasLayout(file, "umap", 2)).toBe(false);
  });

  it("centres on the bounding box and scales the farthest point to distance 1, z = 0 in 2-D", () => {
    const p = precomputedLayout(file, "pca", 2);
    // Box centre (2, 1); farthest points (0,0) and (4,0) at distance √5.
    const s = 1 / Math.sqrt(5);
    expect(Array.from(p).map((v) => Number(v.toFixed(6)))).toEqual(
      [-2 * s, -s, 0, 2 * s, -s, 0, 0, s, 0].map((v) => Number(v.toFixed(6)))
    );
    expect(() => precomputedLayout(file, "umap", 3)).toThrow("projections.json has no 3-D UMAP");
  });

  it("reads flat arrays too, and fingerprints positions", () => {
    const flat = normaliseLayout(Float64Array.from([0, 0, 0, 4, 0, 0, 2, 2, 0]), 3, 3);
    const rows = precomputedLayout(file, "pca", 2);
    expect(layoutChecksum(flat)).toBe(layoutChecksum(rows));
    const moved = rows.slice();
    moved[0] += 0.01;
    expect(layoutChecksum(moved)).not.toBe(layoutChecksum(rows));
  });
});
