/**
 * A layout drawn with the images themselves: the plane is cut into a grid of cells, and each cell
 * that receives points shows the one nearest its centre, as a 28x28 thumbnail tinted with its
 * class colour on white (the classic "t-SNE of MNIST" picture, without overlaps). Plain RGB bytes
 * out; isomorphic.
 */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../data/fashionMnist.js";
import type {Points} from "../embed/points.js";
import {squareExtent} from "./scatterPlot.js";

/** Options of {@link thumbnailMap}. */
export interface ThumbnailMapOptions {
  /** A 2-D layout (the first two coordinates are used). */
  layout: Points;
  /** [count, 784] pixel bytes, 0 = background, as in the dataset. */
  images: Uint8Array;
  labels: ArrayLike<number>;
  /** CSS hex colour per class ("#rrggbb"). */
  colors: readonly string[];
  /** Cells per side (default 50, i.e. 1,400 px). */
  cells?: number;
}

/** An RGB picture, [height, width, 3] bytes. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

function parseHex(color: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return [0, 0, 0];
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** Draws the thumbnail map; see the module comment. */
export function thumbnailMap(o: ThumbnailMapOptions): RgbImage {
  const cells = o.cells ?? 50;
  const side = cells * IMAGE_SIZE;
  const data = new Uint8Array(side * side * 3).fill(255);
  const {x0, y0, side: extent} = squareExtent(o.layout);
  const chosen = new Int32Array(cells * cells).fill(-1);
  const chosenDist = new Float64Array(cells * cells).fill(Infinity);
  for (let i = 0; i < o.layout.count; i++) {
    const u = ((o.layout.data[i * o.layout.dim] - x0) / extent) * cells;
    // Row 0 is the top: flip y so that up is positive, as in the scatter plots.
    const v = (1 - (o.layout.data[i * o.layout.dim + 1] - y0) / extent) * cells;
    const cx = Math.min(cells - 1, Math.max(0, Math.floor(u)));
    const cy = Math.min(cells - 1, Math.max(0, Math.floor(v)));
    const d = (u - cx - 0.5) ** 2 + (v - cy - 0.5) ** 2;
    const cell = cy * cells + cx;
    if (d < chosenDist[cell]) {
      chosenDist[cell] = d;
      chosen[cell] = i;
    }
  }
  const palette = o.colors.map(parseHex);
  for (let cell = 0; cell < chosen.length; cell++) {
    const i = chosen[cell];
    if (i < 0) continue;
    const [r, g, b] = palette[o.labels[i] % palette.length];
    // Darken the class colour a little so that thin strokes stay visible on white.
    const tint = [r * 0.8, g * 0.8, b * 0.8];
    const ox = (cell % cells) * IMAGE_SIZE;
    const oy = Math.floor(cell / cells) * IMAGE_SIZE;
    const image = o.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const a = image[y * IMAGE_SIZE + x] / 255;
        const o3 = ((oy + y) * side + ox + x) * 3;
        data[o3] = Math.round(255 - a * (255 - tint[0]));
        data[o3 + 1] = Math.round(255 - a * (255 - tint[1]));
        data[o3 + 2] = Math.round(255 - a * (255 - tint[2]));
      }
    }
  }
  return {width: side, height: side, data};
}
