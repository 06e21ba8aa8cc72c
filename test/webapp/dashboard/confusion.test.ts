import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../../src/core/data/fashionMnist.js";
import {cellLabel} from "../../../web/src/views/dashboard/confusionTable.js";
import {pairIndices} from "../../../web/src/views/dashboard/pairImages.js";

describe("confusion-matrix cells", () => {
  it("label a cell with both classes and its count", () => {
    expect(cellLabel(CLASS_NAMES, 6, 0, 120)).toBe("true Shirt, predicted T-shirt/top: 120 images");
    expect(cellLabel(CLASS_NAMES, 1, 3, 1)).toBe("true Trouser, predicted Dress: 1 image");
  });

  it("list the indices of one (true, predicted) pair in order", () => {
    const labels = [6, 0, 6, 6, 1];
    const predicted = [0, 0, 6, 0, 1];
    expect(pairIndices(labels, predicted, 6, 0)).toEqual([0, 3]);
    expect(pairIndices(labels, predicted, 1, 1)).toEqual([4]);
    expect(pairIndices(labels, predicted, 2, 2)).toEqual([]);
  });
});
