/**
 * A grid of sample inputs, one row per class: the first `perClass` examples of each class, as the
 * network sees them (28x28 greyscale, upscaled with nearest-neighbour so pixels stay square), with
 * the class names beside the rows. The pixels are a {@link Raster}; the labelled figure is SVG with
 * the raster passed in as a data URI. Isomorphic.
 */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../data/fashionMnist.js";
import type {Examples} from "../data/dataset.js";
import {createRaster, type Raster} from "../image/raster.js";
import {svgOpen, text} from "./svg.js";

/** Options of {@link sampleGrid}. */
export interface SampleGridOptions {
  /** Examples per class (columns; default 10). */
  perClass?: number;
  /** Number of classes (rows; default 10). */
  classes?: number;
  /** Upscaling factor (default 2). */
  scale?: number;
  /** Gap between tiles in pixels (default 2). */
  gap?: number;
}

/** The grid's pixels and the layout needed to label it. */
export interface SampleGrid {
  raster: Raster;
  rows: number;
  columns: number;
  /** Tile side without the gap. */
  tile: number;
  gap: number;
}

/** Indices of the first `perClass` examples of each class (fewer when a class has fewer). */
export function firstPerClass(labels: ArrayLike<number>, perClass: number, classes: number): number[][] {
  const rows: number[][] = Array.from({length: classes}, () => []);
  for (let i = 0; i < labels.length; i++) {
    const row = rows[labels[i]];
    if (row && row.length < perClass) row.push(i);
  }
  return rows;
}

/** Draws the grid: white gaps, inputs in [0, 1] as grey levels (0 black). */
export function sampleGrid(examples: Examples, options: SampleGridOptions = {}): SampleGrid {
  const perClass = options.perClass ?? 10;
  const classes = options.classes ?? 10;
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 2;
  const tile = IMAGE_SIZE * scale;
  const rows = firstPerClass(examples.ys, perClass, classes);
  const raster = createRaster(perClass * (tile + gap) - gap, classes * (tile + gap) - gap, 1, 255);
  rows.forEach((indices, r) => {
    indices.forEach((index, c) => {
      const image = examples.xs.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS);
      for (let y = 0; y < tile; y++) {
        const rowStart = (r * (tile + gap) + y) * raster.width + c * (tile + gap);
        for (let x = 0; x < tile; x++) {
          const v = image[Math.floor(y / scale) * IMAGE_SIZE + Math.floor(x / scale)];
          raster.data[rowStart + x] = Math.round(Math.min(Math.max(v, 0), 1) * 255);
        }
      }
    });
  });
  return {raster, rows: classes, columns: perClass, tile, gap};
}

/** Options of {@link sampleGridSvg}. */
export interface SampleGridFigureOptions {
  /** The grid's pixels as a `data:` URI (PNG). */
  imageUri: string;
  grid: SampleGrid;
  classNames: readonly string[];
  /** Title (default "Sample inputs"). */
  title?: string;
}

/** The grid with a title and the class names to the left of the rows. */
export function sampleGridSvg(o: SampleGridFigureOptions): string {
  const {grid} = o;
  const longest = Math.max(...o.classNames.map((c) => c.length));
  const left = Math.ceil(longest * 7.2) + 20;
  const top = 44;
  const width = left + grid.raster.width + 12;
  const height = top + grid.raster.height + 12;
  const parts = [svgOpen(width, height)];
  parts.push(text(left, 26, o.title ?? "Sample inputs", {size: 15, weight: "bold"}));
  o.classNames.slice(0, grid.rows).forEach((name, r) => {
    const y = top + r * (grid.tile + grid.gap) + grid.tile / 2;
    parts.push(text(left - 8, y, name, {size: 12, anchor: "end", baseline: "central"}));
  });
  parts.push(
    `<image x="${left}" y="${top}" width="${grid.raster.width}" height="${grid.raster.height}" ` +
      `xlink:href="${o.imageUri}" href="${o.imageUri}" style="image-rendering:pixelated"/>`
  );
  parts.push("</svg>");
  return parts.join("");
}
