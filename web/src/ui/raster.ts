/** Our pixel buffers (src/core/image/raster.ts) as canvases, for pictures computed in plain code. */
import type {Raster} from "../../../src/core/image/raster.js";

/** Draws a grey, RGB or RGBA raster onto a new canvas of the same size (CSS can scale it). */
export function rasterCanvas(raster: Raster, label?: string): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = raster.width;
  canvas.height = raster.height;
  if (label) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
  }
  drawRaster(canvas, raster);
  return canvas;
}

/** Paints `raster` onto `canvas` (resizing the canvas to fit). */
export function drawRaster(canvas: HTMLCanvasElement, raster: Raster): void {
  if (canvas.width !== raster.width) canvas.width = raster.width;
  if (canvas.height !== raster.height) canvas.height = raster.height;
  const context = canvas.getContext("2d");
  if (!context) return;
  const image = context.createImageData(raster.width, raster.height);
  const n = raster.width * raster.height;
  const c = raster.channels;
  for (let i = 0; i < n; i++) {
    const s = i * c;
    const d = i * 4;
    image.data[d] = raster.data[s];
    image.data[d + 1] = raster.data[c === 1 ? s : s + 1];
    image.data[d + 2] = raster.data[c === 1 ? s : s + 2];
    image.data[d + 3] = c === 4 ? raster.data[s + 3] : 255;
  }
  context.putImageData(image, 0, 0);
}
