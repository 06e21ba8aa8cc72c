/** Small helpers for tests that look at pictures: decode a PNG to raw pixels and measure it. */
import sharp from "sharp";

import type {Raster} from "../../src/core/image/raster.js";

/** Decodes an image file (or bytes) to its raw pixels, keeping its channel count (alpha removed). */
export async function readPixels(input: string | Uint8Array): Promise<Raster> {
  const source = typeof input === "string" ? input : Buffer.from(input);
  const {data, info} = await sharp(source).removeAlpha().raw().toBuffer({resolveWithObject: true});
  return {width: info.width, height: info.height, channels: info.channels as 1 | 3, data: new Uint8Array(data)};
}

/** Sum over channels of the population variance of that channel in a region (whole raster by default). */
export function variance(r: Raster, x0 = 0, y0 = 0, w = r.width, h = r.height): number {
  let total = 0;
  for (let k = 0; k < r.channels; k++) {
    let sum = 0;
    let sum2 = 0;
    for (let y = y0; y < y0 + h; y++) {
      for (let x = x0; x < x0 + w; x++) {
        const v = r.data[(y * r.width + x) * r.channels + k];
        sum += v;
        sum2 += v * v;
      }
    }
    const n = w * h;
    total += sum2 / n - (sum / n) ** 2;
  }
  return total;
}

/** The pixel at (x, y) as an array of its channels. */
export function pixel(r: Raster, x: number, y: number): number[] {
  const i = (y * r.width + x) * r.channels;
  return Array.from(r.data.subarray(i, i + r.channels));
}

/** Index of the largest value. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
