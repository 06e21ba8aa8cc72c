import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../../src/core/data/fashionMnist.js";
import type {ExportData} from "../../../web/src/data/exportData.js";
import {projectorSummary} from "../../../web/src/views/projector/summary.js";
import {projectionsFile} from "./projectionsFile.js";

const data = {
  count: 4,
  labels: Uint8Array.from([0, 0, 6, 7]),
  predicted: Uint8Array.from([0, 6, 6, 7]),
  projections: projectionsFile(4, {
    pca: {
      parameters: {},
      quality: {trustworthiness: 0.9197, knnAccuracy: 0.757},
      explainedVarianceRatio: [0.25, 0.17, 0.13]
    },
    umap: {parameters: {}, quality: {trustworthiness: 0.9906, knnAccuracy: 0.9015}}
  })
} as unknown as ExportData;

describe("projector text alternative", () => {
  it("names the method, its quality numbers and the counts per class", () => {
    const text = projectorSummary(data, {method: "pca", dim: 2, recomputed: false}, CLASS_NAMES);
    expect(text).toContain(
      "Scatter plot of the 4 test images in 2-D, PCA of the 64-D embedding (layer global_average_pooling2d)."
    );
    expect(text).toContain(
      "Trustworthiness 0.920; 10-nearest-neighbour accuracy 75.7% in the layout against 90.7% in the embedding."
    );
    expect(text).toContain("The axes hold 42.0% of the variance.");
    expect(text).toContain("T-shirt/top 2 (1), Trouser 0 (0)");
    expect(text).toContain("Shirt 1 (1), Sneaker 1 (1)");
  });

  it("says when the layout was recomputed, and describes a custom projection", () => {
    expect(projectorSummary(data, {method: "umap", dim: 3, recomputed: true}, CLASS_NAMES)).toContain(
      "Layout recomputed in this browser; quality not measured."
    );
    const custom = projectorSummary(
      data,
      {method: "custom", dim: 2, recomputed: false, customAxes: "Custom projection. x: Sneaker → Ankle boot."},
      CLASS_NAMES
    );
    expect(custom).toContain("2-D, Custom of the 64-D embedding");
    expect(custom).toContain("Custom projection. x: Sneaker → Ankle boot.");
    expect(custom).not.toContain("Trustworthiness");
  });
});
