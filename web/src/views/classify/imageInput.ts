/** Turning what the browser gives (a file, a video frame, a canvas) into an RGB raster for preprocessing. */
import {imageHeaderSize} from "../../../../src/core/image/headerSize.js";
import type {Raster} from "../../../../src/core/image/raster.js";

/** Largest accepted image, in pixels (as the CLI's decoder). */
export const MAX_PIXELS = 50_000_000;
const MAX_BYTES = 64 * 1024 * 1024;
/** Photos are shrunk to this longest edge before the pixel steps: plenty for a 28×28 result. */
export const WORK_EDGE = 400;

/** A file the user picked that we cannot use; the message says why. */
export class InputError extends Error {
  override name = "InputError";
}

function megapixels(width: number, height: number): string {
  return `${((width * height) / 1e6).toFixed(1)} megapixels`;
}

function checkSize(name: string, width: number, height: number): void {
  if (width * height > MAX_PIXELS) {
    throw new InputError(
      `"${name}" is ${width}×${height} (${megapixels(width, height)}); images over ${MAX_PIXELS / 1e6} megapixels are refused`
    );
  }
}

/** Checks and decodes an image file; refuses empty, huge and undecodable files with a clear message. */
export async function decodeFile(file: File): Promise<ImageBitmap> {
  if (file.size === 0) throw new InputError(`"${file.name}" is empty`);
  if (file.size > MAX_BYTES) {
    throw new InputError(`"${file.name}" is ${(file.size / 2 ** 20).toFixed(0)} MiB; files over 64 MiB are refused`);
  }
  const header = imageHeaderSize(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()));
  if (header) checkSize(file.name, header.width, header.height);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new InputError(
      `"${file.name}" (${file.type || "unknown type"}) is not an image this browser can decode; try a PNG, JPEG or WebP`
    );
  }
  try {
    checkSize(file.name, bitmap.width, bitmap.height);
  } catch (error) {
    bitmap.close();
    throw error;
  }
  return bitmap;
}

/**
 * Draws `source` shrunk to at most `maxEdge` on its longest side (high-quality smoothing) over
 * white, as a product photo's transparency is white, and returns its RGB pixels.
 */
export function toRgbRaster(source: CanvasImageSource, width: number, height: number, maxEdge = WORK_EDGE): Raster {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext("2d", {willReadFrequently: true});
  if (!context) throw new InputError("this browser gives no 2-D canvas");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, w, h);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = "high";
  context.drawImage(source, 0, 0, w, h);
  const rgba = context.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    data[j] = rgba[i];
    data[j + 1] = rgba[i + 1];
    data[j + 2] = rgba[i + 2];
  }
  return {width: w, height: h, channels: 3, data};
}

/** A canvas's red channel as a one-channel raster (drawings are grey). */
export function canvasGrey(canvas: HTMLCanvasElement): Raster {
  const context = canvas.getContext("2d", {willReadFrequently: true});
  if (!context) throw new InputError("this browser gives no 2-D canvas");
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4];
  return {width: canvas.width, height: canvas.height, channels: 1, data};
}
