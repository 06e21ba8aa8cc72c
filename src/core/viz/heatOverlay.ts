/**
 * A class activation map over the model's input, as the CLI's cam.png and the web app's canvas show
 * it: the 28×28 input enlarged with square pixels, the map upsampled bilinearly to the same size
 * and blended on top in the jet colour map at half opacity. Isomorphic.
 */
import {IMAGE_SIZE} from "../data/fashionMnist.js";
import {createRaster, resizeBilinear, upscaleNearest, type Raster} from "../image/raster.js";
import type {HeatMap} from "./cam.js";
import {colormap, type ColormapName} from "./colormap.js";

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

/** The model input (784 floats in [0, 1]) as a 28×28 grey raster. */
export function inputRaster(input: Float32Array): Raster {
  const data = Uint8Array.from(input, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  return {width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 1, data};
}

/** `heat` over `input` (a 28×28 raster), both at `side`×`side` pixels. */
export function heatOverlay(input: Raster, heat: HeatMap, side: number): Raster {
  const base = upscaleNearest(input, side / input.width);
  const up = resizeBilinear(heat.values, heat.height, heat.width, side, side);
  return overlayHeatmap(base, up, 0.5, "jet");
}
