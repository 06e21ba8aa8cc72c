/**
 * The pixel operations the preprocessing (./preprocess.ts) is made of, each a pure function from
 * rasters to a new raster: trimming by the corner colour, area-averaging resize, Gaussian unsharp
 * mask, centred padding, negation and luma. Written by hand because they must give the same bytes
 * in Node and in the browser, where no image library is shared. Isomorphic.
 */
import {createRaster, type Raster} from "./raster.js";

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Mean colour of the four corner pixels (one value per channel). */
export function cornerColour(r: Raster): number[] {
  const corners = [0, r.width - 1, (r.height - 1) * r.width, r.height * r.width - 1];
  return Array.from({length: r.channels}, (_, k) =>
    Math.round(corners.reduce((s, i) => s + r.data[i * r.channels + k], 0) / 4)
  );
}

/**
 * The smallest box holding every pixel that differs from `background` by more than `threshold` in
 * some channel (sharp's trim rule); undefined when no pixel does.
 */
export function trimBox(r: Raster, background: number[], threshold = 24): Box | undefined {
  let left = r.width;
  let right = -1;
  let top = r.height;
  let bottom = -1;
  const c = r.channels;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const i = (y * r.width + x) * c;
      let differs = false;
      for (let k = 0; k < c && !differs; k++) differs = Math.abs(r.data[i + k] - background[k]) > threshold;
      if (!differs) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return right < 0 ? undefined : {left, top, width: right - left + 1, height: bottom - top + 1};
}

export function crop(r: Raster, box: Box): Raster {
  const out = createRaster(box.width, box.height, r.channels);
  const c = r.channels;
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * r.width + box.left) * c;
    out.data.set(r.data.subarray(from, from + box.width * c), y * box.width * c);
  }
  return out;
}

/**
 * Resizes to width×height. Each output pixel averages the input area it covers (with fractional
 * edges), which is exact for shrinking; growing falls back to bilinear interpolation.
 */
export function resize(r: Raster, width: number, height: number): Raster {
  const out = createRaster(width, height, r.channels);
  const c = r.channels;
  const sx = r.width / width;
  const sy = r.height / height;
  if (sx < 1 || sy < 1) return resizeBilinearRaster(r, width, height);
  const sums = new Float64Array(c);
  for (let oy = 0; oy < height; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < width; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      sums.fill(0);
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), r.height); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), r.width); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const i = (y * r.width + x) * c;
          for (let k = 0; k < c; k++) sums[k] += w * r.data[i + k];
        }
      }
      const o = (oy * width + ox) * c;
      for (let k = 0; k < c; k++) out.data[o + k] = Math.round(sums[k] / (sx * sy));
    }
  }
  return out;
}

function resizeBilinearRaster(r: Raster, width: number, height: number): Raster {
  const out = createRaster(width, height, r.channels);
  const c = r.channels;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * r.height) / height - 0.5, 0), r.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, r.height - 1);
    const dy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * r.width) / width - 0.5, 0), r.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, r.width - 1);
      const dx = fx - x0;
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => r.data[(yy * r.width + xx) * c + k];
        const top = at(y0, x0) * (1 - dx) + at(y0, x1) * dx;
        const bottom = at(y1, x0) * (1 - dx) + at(y1, x1) * dx;
        out.data[(y * width + x) * c + k] = Math.round(top * (1 - dy) + bottom * dy);
      }
    }
  }
  return out;
}

/** A normalised 1-D Gaussian kernel of radius ceil(3 sigma). */
export function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return kernel.map((v) => v / sum);
}

/** One pass of a separable filter in the direction (sx, sy): [1, 0] along rows, [0, 1] along columns; edges clamped. */
function filterPass(r: Raster, src: ArrayLike<number>, kernel: Float64Array, [sx, sy]: [number, number]): Float64Array {
  const radius = (kernel.length - 1) / 2;
  const {width, height, channels: c} = r;
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const out = new Float64Array(src.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < c; k++) {
        let s = 0;
        for (let j = -radius; j <= radius; j++)
          s += kernel[j + radius] * src[(clamp(y + j * sy, height) * width + clamp(x + j * sx, width)) * c + k];
        out[(y * width + x) * c + k] = s;
      }
    }
  }
  return out;
}

/** Gaussian blur (separable: rows, then columns; edges clamped), in floating point. */
function blur(r: Raster, sigma: number): Float64Array {
  const kernel = gaussianKernel(sigma);
  return filterPass(r, filterPass(r, r.data, kernel, [1, 0]), kernel, [0, 1]);
}

/** Unsharp mask: the image plus `amount` times its difference from a Gaussian blur of it. */
export function sharpen(r: Raster, sigma = 1, amount = 1): Raster {
  const blurred = blur(r, sigma);
  const out = createRaster(r.width, r.height, r.channels);
  for (let i = 0; i < r.data.length; i++) {
    out.data[i] = Math.min(255, Math.max(0, Math.round(r.data[i] + amount * (r.data[i] - blurred[i]))));
  }
  return out;
}

/** Pads to size×size with `background`, the image centred (the extra pixel, if odd, right/bottom). */
export function padCentred(r: Raster, size: number, background: number[]): Raster {
  const out = createRaster(size, size, r.channels);
  const c = r.channels;
  for (let i = 0; i < size * size; i++) for (let k = 0; k < c; k++) out.data[i * c + k] = background[k];
  const left = Math.floor((size - r.width) / 2);
  const top = Math.floor((size - r.height) / 2);
  for (let y = 0; y < r.height; y++) {
    out.data.set(r.data.subarray(y * r.width * c, (y + 1) * r.width * c), ((top + y) * size + left) * c);
  }
  return out;
}

export function negate(r: Raster): Raster {
  return {...r, data: r.data.map((v) => 255 - v)};
}

/** Luma (Rec. 601 weights, as libvips' b-w) as a one-channel raster. */
export function greyscale(r: Raster): Raster {
  if (r.channels === 1) return r;
  const out = createRaster(r.width, r.height, 1);
  for (let i = 0; i < out.data.length; i++) {
    const j = i * r.channels;
    out.data[i] = Math.round(0.299 * r.data[j] + 0.587 * r.data[j + 1] + 0.114 * r.data[j + 2]);
  }
  return out;
}

/** A one-channel raster as the model's input: values / 255. */
export function toModelInput(grey: Raster): Float32Array {
  return Float32Array.from(grey.data, (v) => v / 255);
}
