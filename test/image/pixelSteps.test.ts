/** The pixel operations of the preprocessing, each on small rasters whose right answer is known. */
import {describe, expect, it} from "vitest";

import {
  cornerColour,
  crop,
  gaussianKernel,
  greyscale,
  negate,
  padCentred,
  resize,
  sharpen,
  trimBox
} from "../../src/core/image/pixelSteps.js";
import {createRaster, type Raster} from "../../src/core/image/raster.js";

function grey(width: number, height: number, values: number[]): Raster {
  return {width, height, channels: 1, data: Uint8Array.from(values)};
}

describe("the pixel steps", () => {
  it("finds the corner colour and the box of pixels that differ from it by more than the threshold", () => {
    const r = createRaster(10, 8, 3, 250);
    r.data.set([250, 250, 200], (3 * 10 + 2) * 3); // 50 off in blue: counts
    r.data.set([240, 240, 240], (6 * 10 + 7) * 3); // 10 off: background
    r.data.set([0, 0, 0], (5 * 10 + 6) * 3);
    expect(cornerColour(r)).toEqual([250, 250, 250]);
    expect(trimBox(r, [250, 250, 250], 24)).toEqual({left: 2, top: 3, width: 5, height: 3});
    expect(trimBox(r, [250, 250, 250], 255)).toBeUndefined();
    expect(crop(r, {left: 2, top: 3, width: 5, height: 3}).data.subarray(0, 3)).toEqual(
      Uint8Array.from([250, 250, 200])
    );
  });

  it("averages areas when shrinking and interpolates when growing", () => {
    const r = grey(4, 2, [0, 100, 200, 200, 100, 0, 40, 40]);
    expect(Array.from(resize(r, 2, 1).data)).toEqual([50, 120]);
    // 3 → 2: each output covers 1.5 inputs.
    expect(Array.from(resize(grey(3, 1, [0, 90, 180]), 2, 1).data)).toEqual([30, 150]);
    expect(Array.from(resize(grey(2, 1, [0, 200]), 4, 1).data)).toEqual([0, 50, 150, 200]);
  });

  it("sharpens edges and leaves flat areas alone", () => {
    const kernel = gaussianKernel(1);
    expect(kernel).toHaveLength(7);
    expect(kernel.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const flat = createRaster(9, 9, 1, 120);
    expect(sharpen(flat).data.every((v) => v === 120)).toBe(true);
    const step = grey(8, 1, [50, 50, 50, 50, 150, 150, 150, 150]);
    const out = sharpen(step).data;
    expect(out[3]).toBeLessThan(50);
    expect(out[4]).toBeGreaterThan(150);
    expect(out[0]).toBe(50);
  });

  it("pads centred with the background, negates and converts to luma", () => {
    const padded = padCentred(grey(2, 1, [9, 9]), 5, [1]);
    expect(Array.from(padded.data.subarray(10, 15))).toEqual([1, 9, 9, 1, 1]);
    expect(padded.data[0]).toBe(1);
    expect(Array.from(negate(grey(2, 1, [0, 55])).data)).toEqual([255, 200]);
    const rgb: Raster = {width: 3, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255])};
    expect(Array.from(greyscale(rgb).data)).toEqual([76, 150, 29]);
  });
});
