/** A test image from the export's sprite as a small canvas (nearest-neighbour, so pixels stay crisp). */
import {IMAGE_SIZE} from "../../../src/core/data/fashionMnist.js";
import {imageName, testImage, type ExportData} from "../data/exportData.js";

/** Draws 784 values in [0, 1] as a grey image onto a 28×28 canvas, shown `scale` times larger by CSS. */
export function greyCanvas(pixels: Float32Array, scale = 2, label?: string): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = IMAGE_SIZE;
  canvas.height = IMAGE_SIZE;
  canvas.className = "pixelated";
  canvas.style.width = canvas.style.height = `${IMAGE_SIZE * scale}px`;
  if (label) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", label);
  }
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  for (let i = 0; i < pixels.length; i++) {
    const v = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/** Test image `index` as a canvas, labelled for screen readers. */
export function testThumbnail(data: ExportData, index: number, scale = 2, label?: string): HTMLCanvasElement {
  return greyCanvas(testImage(data, index), scale, label ?? imageName(data, index));
}
