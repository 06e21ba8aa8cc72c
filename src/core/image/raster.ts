/**
 * A plain pixel buffer shared by the CLI and the web app: `data` is row-major, `channels`
 * interleaved bytes per pixel (1 grey, 3 RGB, 4 RGBA). Isomorphic.
 */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

export function createRaster(width: number, height: number, channels: 1 | 3 | 4, fill = 0): Raster {
  return {width, height, channels, data: new Uint8Array(width * height * channels).fill(fill)};
}

/** Nearest-neighbour upscaling by an integer factor, so that model pixels stay visible as squares. */
export function upscaleNearest(src: Raster, factor: number): Raster {
  const out = createRaster(src.width * factor, src.height * factor, src.channels);
  const c = src.channels;
  for (let y = 0; y < out.height; y++) {
    const sy = Math.floor(y / factor);
    for (let x = 0; x < out.width; x++) {
      const sx = Math.floor(x / factor);
      const si = (sy * src.width + sx) * c;
      const di = (y * out.width + x) * c;
      for (let k = 0; k < c; k++) out.data[di + k] = src.data[si + k];
    }
  }
  return out;
}

/** Converts to 3-channel RGB (grey is replicated, alpha dropped). */
export function toRgb(src: Raster): Raster {
  if (src.channels === 3) return src;
  const out = createRaster(src.width, src.height, 3);
  const n = src.width * src.height;
  for (let i = 0; i < n; i++) {
    if (src.channels === 1) {
      out.data[3 * i] = out.data[3 * i + 1] = out.data[3 * i + 2] = src.data[i];
    } else {
      for (let k = 0; k < 3; k++) out.data[3 * i + k] = src.data[4 * i + k];
    }
  }
  return out;
}

/**
 * Bilinear resampling of a single-channel float map [h, w] to [outH, outW], aligning pixel
 * centres (the usual convention for upsampling activation maps onto an image).
 */
export function resizeBilinear(
  values: ArrayLike<number>,
  h: number,
  w: number,
  outH: number,
  outW: number
): Float32Array {
  const out = new Float32Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * h) / outH - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * w) / outW - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      const top = values[y0 * w + x0] * (1 - dx) + values[y0 * w + x1] * dx;
      const bottom = values[y1 * w + x0] * (1 - dx) + values[y1 * w + x1] * dx;
      out[y * outW + x] = top * (1 - dy) + bottom * dy;
    }
  }
  return out;
}
