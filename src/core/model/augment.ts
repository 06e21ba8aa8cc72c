/**
 * Data augmentation on a batch buffer of 28x28 images: random shifts of up to 2 px and horizontal
 * flips (Fashion-MNIST's shoes all point left; photos don't), and optional random erasing.
 */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../data/fashionMnist.js";
import type {Random} from "../random.js";

const MAX_SHIFT = 2;

export interface AugmentOptions {
  /** Shift by up to ±2 px and flip half the images (default true). */
  shiftFlip?: boolean;
  /** Probability of erasing one random rectangle per image (default 0). */
  erase?: number;
}

/** Augments the first `n` images of `xs` ([n, 28, 28] row-major) in place. */
export function augmentBatch(xs: Float32Array, n: number, random: Random, options: AugmentOptions = {}): void {
  const tmp = new Float32Array(IMAGE_PIXELS);
  const erase = options.erase ?? 0;
  for (let i = 0; i < n; i++) {
    const img = xs.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
    if (options.shiftFlip ?? true) shiftAndFlip(img, tmp, random);
    if (erase > 0 && random() < erase) eraseRectangle(img, random);
  }
}

function shiftAndFlip(img: Float32Array, tmp: Float32Array, random: Random): void {
  const dx = Math.floor(random() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
  const dy = Math.floor(random() * (2 * MAX_SHIFT + 1)) - MAX_SHIFT;
  const flip = random() < 0.5;
  tmp.fill(0);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= IMAGE_SIZE) continue;
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const ox = flip ? IMAGE_SIZE - 1 - x : x;
      const sx = ox - dx;
      if (sx < 0 || sx >= IMAGE_SIZE) continue;
      tmp[y * IMAGE_SIZE + x] = img[sy * IMAGE_SIZE + sx];
    }
  }
  img.set(tmp);
}

/**
 * Random erasing (Zhong et al., AAAI 2020): one rectangle of 2–40 % of the image, aspect ratio
 * 0.3–3.3, filled with uniform noise, so the network cannot rely on any one part of a garment.
 */
function eraseRectangle(img: Float32Array, random: Random): void {
  const area = IMAGE_PIXELS * (0.02 + random() * 0.38);
  const aspect = Math.exp(Math.log(0.3) + random() * (Math.log(3.3) - Math.log(0.3)));
  const h = Math.min(IMAGE_SIZE, Math.max(1, Math.round(Math.sqrt(area * aspect))));
  const w = Math.min(IMAGE_SIZE, Math.max(1, Math.round(Math.sqrt(area / aspect))));
  const top = Math.floor(random() * (IMAGE_SIZE - h + 1));
  const left = Math.floor(random() * (IMAGE_SIZE - w + 1));
  for (let y = top; y < top + h; y++) {
    for (let x = left; x < left + w; x++) img[y * IMAGE_SIZE + x] = random();
  }
}
