/** Data augmentation on a batch buffer of 28x28 images: random shifts of up to 2 px and horizontal flips. */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../data/fashionMnist.js";
import type {Random} from "../random.js";

const MAX_SHIFT = 2;

/** Augments the first `n` images of `xs` ([n, 28, 28] row-major) in place. */
export function augmentBatch(xs: Float32Array, n: number, random: Random): void {
  const tmp = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < n; i++) {
    const img = xs.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
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
}
