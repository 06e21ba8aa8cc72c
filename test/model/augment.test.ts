/**
 * Training augmentation on real training images: seeded, label-preserving (each image stays a shifted and/or
 * mirrored copy of itself, so its label still holds), and random erasing touches one rectangle only.
 */
import {beforeAll, describe, expect, it} from "vitest";

import {IMAGE_PIXELS, IMAGE_SIZE} from "../../src/core/data/fashionMnist.js";
import {normalise, type Examples} from "../../src/core/data/dataset.js";
import {augmentBatch} from "../../src/core/model/augment.js";
import {createRandom} from "../../src/core/random.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";

let data: Examples;
beforeAll(async () => {
  data = normalise(await loadFashionMnist("train", {limit: 64}));
});

const batch = () => data.xs.slice(0, 64 * IMAGE_PIXELS);
const image = (xs: Float32Array, i: number) => xs.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);

/** The image moved by (dx, dy) and mirrored when `flip`, with black coming in at the edges. */
function transformed(src: Float32Array, dx: number, dy: number, flip: boolean): Float32Array {
  const out = new Float32Array(IMAGE_PIXELS);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const sy = y - dy;
      const sx = (flip ? IMAGE_SIZE - 1 - x : x) - dx;
      if (sy >= 0 && sy < IMAGE_SIZE && sx >= 0 && sx < IMAGE_SIZE) out[y * IMAGE_SIZE + x] = src[sy * IMAGE_SIZE + sx];
    }
  }
  return out;
}

function sameArray(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

describe("augmentBatch(xs, n, random, options)", () => {
  it("gives the same batch for the same seed and another for another seed", () => {
    const [a, b, c] = [batch(), batch(), batch()];
    augmentBatch(a, 64, createRandom(7));
    augmentBatch(b, 64, createRandom(7));
    augmentBatch(c, 64, createRandom(8));
    expect(sameArray(a, b)).toBe(true);
    expect(sameArray(a, c)).toBe(false);
  });

  it("turns every image into a copy of itself shifted by at most 2 px and maybe mirrored (the label still holds)", () => {
    const original = batch();
    const xs = batch();
    augmentBatch(xs, 64, createRandom(11));
    let flipped = 0;
    for (let i = 0; i < 64; i++) {
      const matches: boolean[] = [];
      for (const flip of [false, true])
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++)
            if (sameArray(image(xs, i), transformed(image(original, i), dx, dy, flip))) matches.push(flip);
      expect(matches.length, `image ${i}`).toBeGreaterThan(0);
      if (matches.every((f) => f)) flipped++;
    }
    // About half are mirrored (binomial(64, 0.5): 20–44 with probability > 99.5 %).
    expect(flipped).toBeGreaterThan(20);
    expect(flipped).toBeLessThan(44);
  });

  it("with erase 1 and no shift or flip, changes one rectangle of each image and nothing else", () => {
    const original = batch();
    const xs = batch();
    augmentBatch(xs, 64, createRandom(3), {shiftFlip: false, erase: 1});
    for (let i = 0; i < 64; i++) {
      const changed: [number, number][] = [];
      image(xs, i).forEach((v, p) => {
        if (v !== image(original, i)[p]) changed.push([p % IMAGE_SIZE, Math.floor(p / IMAGE_SIZE)]);
      });
      if (changed.length === 0) continue; // noise equal to the pixels, vanishingly rare
      const xsOf = changed.map(([x]) => x);
      const ysOf = changed.map(([, y]) => y);
      const area = (Math.max(...xsOf) - Math.min(...xsOf) + 1) * (Math.max(...ysOf) - Math.min(...ysOf) + 1);
      // Every changed pixel lies in a box of at most 40 % of the image (plus rounding).
      expect(area).toBeLessThanOrEqual(Math.ceil(0.4 * IMAGE_PIXELS) + 2 * IMAGE_SIZE);
    }
  });
});
