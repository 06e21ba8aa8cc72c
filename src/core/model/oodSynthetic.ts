/**
 * The generated part of the out-of-distribution benchmark (the rendered part: ../../node/ood/):
 * noise, flat images, chessboards, and test images moved out of Fashion-MNIST's conventions
 * (inverted, shifted off-centre, turned on their side or upside down). Seeded; 28×28 inputs in
 * [0, 1], row-major. Isomorphic.
 */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../data/fashionMnist.js";
import {createRandom, type Random} from "../random.js";

/** A named group of OOD inputs. */
export interface OodGroup {
  name: string;
  /** What the group holds, for docs/ood.md and the bench's table. */
  description: string;
  count: number;
  xs: Float32Array;
}

const S = IMAGE_SIZE;

function group(name: string, description: string, images: Float32Array[]): OodGroup {
  const xs = new Float32Array(images.length * IMAGE_PIXELS);
  images.forEach((img, i) => xs.set(img, i * IMAGE_PIXELS));
  return {name, description, count: images.length, xs};
}

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Uniform, smooth (bilinear 7×7) and salt-and-pepper noise, `n` of each. */
export function noiseGroup(n: number, seed = 1): OodGroup {
  const random = createRandom(seed);
  const images: Float32Array[] = [];
  for (let i = 0; i < n; i++) images.push(Float32Array.from({length: IMAGE_PIXELS}, () => random()));
  for (let i = 0; i < n; i++) {
    const g = Float32Array.from({length: 49}, () => random());
    images.push(
      Float32Array.from({length: IMAGE_PIXELS}, (_, p) => {
        const fy = ((Math.floor(p / S) + 0.5) / S) * 6;
        const fx = (((p % S) + 0.5) / S) * 6;
        const [y0, x0] = [Math.floor(fy), Math.floor(fx)];
        const [dy, dx] = [fy - y0, fx - x0];
        const at = (y: number, x: number) => g[Math.min(6, y) * 7 + Math.min(6, x)];
        return (
          (1 - dy) * ((1 - dx) * at(y0, x0) + dx * at(y0, x0 + 1)) +
          dy * ((1 - dx) * at(y0 + 1, x0) + dx * at(y0 + 1, x0 + 1))
        );
      })
    );
  }
  for (let i = 0; i < n; i++) {
    images.push(Float32Array.from({length: IMAGE_PIXELS}, () => (random() < 0.1 ? (random() < 0.5 ? 1 : 0) : 0)));
  }
  for (let i = 0; i < n; i++) {
    images.push(
      Float32Array.from({length: IMAGE_PIXELS}, () => Math.min(1, Math.max(0, 0.5 + 0.25 * gaussian(random))))
    );
  }
  return group("noise", `${n} each of uniform, smooth (bilinear 7×7), salt-and-pepper and Gaussian noise`, images);
}

/** Flat images at 11 grey levels (0 is a blank drawing pad) and chessboards of 2–14 px squares. */
export function flatGroup(): OodGroup {
  const images: Float32Array[] = [];
  for (let level = 0; level <= 10; level++) images.push(new Float32Array(IMAGE_PIXELS).fill(level / 10));
  for (const square of [2, 4, 7, 14]) {
    for (const phase of [0, 1]) {
      images.push(
        Float32Array.from({length: IMAGE_PIXELS}, (_, p) =>
          (Math.floor(Math.floor(p / S) / square) + Math.floor((p % S) / square) + phase) % 2 ? 1 : 0
        )
      );
    }
  }
  return group("flat", "11 flat grey levels (0 = blank pad) and 8 chessboards (2, 4, 7, 14 px squares)", images);
}

/** Pixel (y, x) of image `i` in `xs`, 0 outside the frame. */
function pixel(xs: Float32Array, i: number, y: number, x: number): number {
  return y < 0 || y >= S || x < 0 || x >= S ? 0 : xs[i * IMAGE_PIXELS + y * S + x];
}

/**
 * Test images out of the dataset's conventions, `n` of each kind (taken from `xs`, spread over it):
 * inverted (dark garment on white), shifted 10 px towards a corner, turned 90° and upside down.
 */
export function transformedGroups(xs: Float32Array, n: number, seed = 2): OodGroup[] {
  const total = xs.length / IMAGE_PIXELS;
  const random = createRandom(seed);
  const pick = (j: number) => Math.floor(((j + 0.5) * total) / n);
  const make = (f: (i: number, y: number, x: number) => number) =>
    Array.from({length: n}, (_, j) => {
      const i = pick(j);
      return Float32Array.from({length: IMAGE_PIXELS}, (_, p) => f(i, Math.floor(p / S), p % S));
    });
  const shifts = Array.from({length: total}, () => [random() < 0.5 ? -10 : 10, random() < 0.5 ? -10 : 10]);
  return [
    group(
      "inverted",
      `${n} test images with inverted grey levels`,
      make((i, y, x) => 1 - pixel(xs, i, y, x))
    ),
    group(
      "shifted",
      `${n} test images shifted 10 px diagonally (partly out of frame)`,
      make((i, y, x) => pixel(xs, i, y - shifts[i][0], x - shifts[i][1]))
    ),
    group(
      "rotated90",
      `${n} test images turned 90°`,
      make((i, y, x) => pixel(xs, i, x, S - 1 - y))
    ),
    group(
      "upsideDown",
      `${n} test images turned 180°`,
      make((i, y, x) => pixel(xs, i, S - 1 - y, S - 1 - x))
    )
  ];
}
