import {describe, expect, it} from "vitest";

import {createRaster} from "../../src/core/image/raster.js";
import {colormap} from "../../src/core/viz/colormap.js";
import {featureGrid} from "../../src/core/viz/featureGrid.js";
import {overlayHeatmap} from "../../src/core/viz/heatOverlay.js";
import {pixel, variance} from "../helpers/images.js";

/** [h, w, channels] activations where channel c is a horizontal ramp scaled by c. */
function ramps(h: number, w: number, channels: number): Float32Array {
  const values = new Float32Array(h * w * channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) for (let c = 0; c < channels; c++) values[(y * w + x) * channels + c] = c * x;
  return values;
}

describe("featureGrid", () => {
  it("lays 64 channels out as an 8x8 grid of tiles with gaps", () => {
    const grid = featureGrid(ramps(13, 13, 64), [13, 13, 64]);
    expect([grid.columns, grid.rows]).toEqual([8, 8]);
    // Default cell: round(64 / 13) = 5 px per activation, gap 2.
    expect([grid.tileWidth, grid.tileHeight, grid.gap]).toEqual([65, 65, 2]);
    expect([grid.raster.width, grid.raster.height, grid.raster.channels]).toEqual([8 * 65 + 7 * 2, 8 * 65 + 7 * 2, 3]);
    expect([grid.min, grid.max]).toEqual([0, 63 * 12]);
    expect(variance(grid.raster)).toBeGreaterThan(0);
    // The gap between the first two tiles is white.
    expect(pixel(grid.raster, 65, 10)).toEqual([255, 255, 255]);
  });

  it("uses one colour scale for all maps: channel 0 is flat, the last channel reaches the top colour", () => {
    const grid = featureGrid(ramps(4, 4, 9), [4, 4, 9], {cell: 1, gap: 1});
    expect([grid.columns, grid.rows]).toEqual([3, 3]);
    const tile = (c: number) => [(c % 3) * 5, Math.floor(c / 3) * 5] as const;
    const [x0, y0] = tile(0);
    expect(variance(grid.raster, x0, y0, 4, 4)).toBe(0);
    expect(pixel(grid.raster, x0 + 3, y0)).toEqual(colormap("viridis", 0));
    const [x8, y8] = tile(8);
    expect(pixel(grid.raster, x8, y8)).toEqual(colormap("viridis", 0));
    expect(pixel(grid.raster, x8 + 3, y8)).toEqual(colormap("viridis", 1));
    // Channel 4 reaches only half the range.
    const [x4, y4] = tile(4);
    expect(pixel(grid.raster, x4 + 3, y4)).toEqual(colormap("viridis", 12 / 24));
  });

  it("handles a channel count that is not a square and an all-zero layer", () => {
    const grid = featureGrid(new Float32Array(3 * 3 * 10), [3, 3, 10], {cell: 2, gap: 0});
    expect([grid.columns, grid.rows]).toEqual([4, 3]);
    expect([grid.raster.width, grid.raster.height]).toEqual([24, 18]);
    expect(pixel(grid.raster, 0, 0)).toEqual(colormap("viridis", 0));
    expect(pixel(grid.raster, 23, 17)).toEqual([255, 255, 255]); // the two unused tiles stay background
  });
});

describe("overlayHeatmap", () => {
  it("keeps the base size and blends the colour map at alpha", () => {
    const base = createRaster(28, 28, 1, 100);
    const heat = new Float32Array(28 * 28);
    heat[5 * 28 + 7] = 1;
    const out = overlayHeatmap(base, heat, 0.5);
    expect([out.width, out.height, out.channels]).toEqual([28, 28, 3]);
    expect(pixel(out, 0, 0)).toEqual([50, 50, 114]); // 100 blended with jet(0) = [0, 0, 128]
    expect(pixel(out, 7, 5)).toEqual([114, 50, 50]); // with jet(1) = [128, 0, 0]
    expect(Array.from(overlayHeatmap(base, heat, 0).data.subarray(0, 3))).toEqual([100, 100, 100]);
    const rgb = createRaster(4, 2, 3, 200);
    expect(overlayHeatmap(rgb, new Float32Array(8).fill(0.5), 1).data.subarray(0, 3)).toEqual(
      new Uint8Array(colormap("jet", 0.5))
    );
  });
});
