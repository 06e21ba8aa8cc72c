/**
 * Lays out a layer's feature maps ([h, w, channels] activations) as a square grid of tiles,
 * coloured with one shared scale per layer, so a map that barely fires looks dark next to one that
 * fires strongly (per-map scaling would make noise look like signal). Isomorphic.
 */
import {createRaster, type Raster} from "../image/raster.js";
import {colormap, maxOf, minOf, type ColormapName} from "./colormap.js";

export interface FeatureGridOptions {
  /** Pixels per activation cell (default: enough for ~64 px tiles). */
  cell?: number;
  /** Gap between tiles in pixels (default 2). */
  gap?: number;
  /** Colour map (default viridis). */
  colormap?: ColormapName;
  /** Background (gap) grey level (default 255: white). */
  background?: number;
}

export interface FeatureGrid {
  raster: Raster;
  columns: number;
  rows: number;
  /** Value range mapped to the colour scale. */
  min: number;
  max: number;
  /** Pixel size of one tile (without the gap). */
  tileWidth: number;
  tileHeight: number;
  gap: number;
}

/** Builds the grid image of `values` with shape [h, w, channels]. */
export function featureGrid(
  values: Float32Array,
  shape: [number, number, number],
  options: FeatureGridOptions = {}
): FeatureGrid {
  const [h, w, channels] = shape;
  const columns = Math.ceil(Math.sqrt(channels));
  const rows = Math.ceil(channels / columns);
  const cell = options.cell ?? Math.max(1, Math.round(64 / Math.max(h, w)));
  const gap = options.gap ?? 2;
  const tileWidth = w * cell;
  const tileHeight = h * cell;
  const min = minOf(values);
  const max = maxOf(values);
  const range = max - min;
  const raster = createRaster(
    columns * tileWidth + (columns - 1) * gap,
    rows * tileHeight + (rows - 1) * gap,
    3,
    options.background ?? 255
  );
  const name = options.colormap ?? "viridis";
  for (let c = 0; c < channels; c++) {
    const ox = (c % columns) * (tileWidth + gap);
    const oy = Math.floor(c / columns) * (tileHeight + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = values[(y * w + x) * channels + c];
        const [r, g, b] = colormap(name, range > 0 ? (v - min) / range : 0);
        for (let dy = 0; dy < cell; dy++) {
          let i = ((oy + y * cell + dy) * raster.width + ox + x * cell) * 3;
          for (let dx = 0; dx < cell; dx++, i += 3) {
            raster.data[i] = r;
            raster.data[i + 1] = g;
            raster.data[i + 2] = b;
          }
        }
      }
    }
  }
  return {raster, columns, rows, min, max, tileWidth, tileHeight, gap};
}
