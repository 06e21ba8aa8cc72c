import {describe, expect, it} from "vitest";

import {IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {firstPerClass, sampleGrid, sampleGridSvg} from "../../src/core/viz/sampleGrid.js";

describe("firstPerClass(labels, perClass, classes)", () => {
  it("takes the first indices of each class, in order", () => {
    expect(firstPerClass([1, 0, 1, 1, 2, 0], 2, 3)).toEqual([[1, 5], [0, 2], [4]]);
  });
});

describe("sampleGrid(examples, options)", () => {
  // Example i is a flat image of grey level i / 10, with label i % 2.
  const count = 6;
  const xs = new Float32Array(count * IMAGE_PIXELS);
  for (let i = 0; i < count; i++) xs.fill(i / 10, i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
  const examples = {xs, ys: Uint8Array.from({length: count}, (_, i) => i % 2), count};
  const grid = sampleGrid(examples, {perClass: 3, classes: 2, scale: 2, gap: 2});

  it("has one row per class and one column per example", () => {
    expect(grid.raster).toMatchObject({width: 3 * 56 + 2 * 2, height: 2 * 56 + 2, channels: 1});
  });

  it("places each example in its class row, upscaled, with white gaps", () => {
    const at = (x: number, y: number) => grid.raster.data[y * grid.raster.width + x];
    expect(at(0, 0)).toBe(0); // example 0, class 0
    expect(at(58 + 55, 55)).toBe(Math.round(0.2 * 255)); // example 2, class 0, column 1
    expect(at(0, 58)).toBe(Math.round(0.1 * 255)); // example 1, class 1
    expect(at(56, 0)).toBe(255); // gap
  });

  it("labels the rows in the figure", () => {
    const svg = sampleGridSvg({imageUri: "data:image/png;base64,AA==", grid, classNames: ["even", "odd"]});
    expect(svg).toContain(">even</text>");
    expect(svg).toContain(">odd</text>");
    expect(svg).toContain(`width="${grid.raster.width}"`);
  });
});
