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

/**
 * Blends a heat map (values in [0, 1], [mh, mw], upsampled bilinearly beforehand by the caller to
 * the base size) over a base raster with a colour map at `alpha`.
 */
export function overlayHeatmap(base: Raster, heat: Float32Array, alpha = 0.5, name: ColormapName = "jet"): Raster {
  const out = createRaster(base.width, base.height, 3);
  const n = base.width * base.height;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = colormap(name, heat[i]);
    const src =
      base.channels === 1
        ? [base.data[i], base.data[i], base.data[i]]
        : [0, 1, 2].map((k) => base.data[i * base.channels + k]);
    out.data[3 * i] = Math.round(src[0] * (1 - alpha) + r * alpha);
    out.data[3 * i + 1] = Math.round(src[1] * (1 - alpha) + g * alpha);
    out.data[3 * i + 2] = Math.round(src[2] * (1 - alpha) + b * alpha);
  }
  return out;
}
