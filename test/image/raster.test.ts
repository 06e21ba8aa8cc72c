import {describe, expect, it} from "vitest";

import {createRaster, resizeBilinear, toRgb, upscaleNearest} from "../../src/core/image/raster.js";

describe("raster helpers", () => {
  it("upscaleNearest turns each pixel into a factor x factor square", () => {
    const src = createRaster(2, 1, 1);
    src.data.set([10, 200]);
    const out = upscaleNearest(src, 3);
    expect([out.width, out.height, out.channels]).toEqual([6, 3, 1]);
    expect(Array.from(out.data.subarray(0, 6))).toEqual([10, 10, 10, 200, 200, 200]);
    expect(Array.from(out.data.subarray(12, 18))).toEqual([10, 10, 10, 200, 200, 200]);
  });

  it("toRgb replicates grey and drops alpha", () => {
    const grey = createRaster(1, 1, 1, 7);
    expect(Array.from(toRgb(grey).data)).toEqual([7, 7, 7]);
    const rgba = createRaster(1, 1, 4);
    rgba.data.set([1, 2, 3, 4]);
    expect(Array.from(toRgb(rgba).data)).toEqual([1, 2, 3]);
  });

  it("resizeBilinear keeps constants, corner values and the peak position", () => {
    expect(Array.from(resizeBilinear([5, 5, 5, 5], 2, 2, 4, 4))).toEqual(new Array(16).fill(5));
    const up = resizeBilinear([0, 0, 0, 0, 1, 0, 0, 0, 0], 3, 3, 9, 9);
    expect(up).toHaveLength(81);
    expect(up[4 * 9 + 4]).toBeCloseTo(1, 6); // the centre cell's centre
    expect(up[0]).toBeCloseTo(0, 6);
    let best = 0;
    for (let i = 1; i < up.length; i++) if (up[i] > up[best]) best = i;
    expect(best).toBe(4 * 9 + 4);
  });
});
