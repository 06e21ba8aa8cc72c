/** The browser's copy of the "fashion" preprocessing, against the sharp pipeline on the real sample photos. */
import {describe, expect, it} from "vitest";

import {decodeImageFile} from "../../src/node/image/decode.js";
import {
  centreDrawing,
  cornerColour,
  crop,
  fashionSteps,
  gaussianKernel,
  greyscale,
  negate,
  padCentred,
  resize,
  sharpen,
  trimBox
} from "../../src/core/image/preprocess.js";
import {preprocess} from "../../src/node/image/sharpPreprocess.js";
import {createRaster, type Raster} from "../../src/core/image/raster.js";

const SAMPLES = ["ankle_boot.png", "black_bag.jpg", "dress.webp", "pullover.jpg", "sneaker.jpg", "trousers.jpg"];
const sample = (name: string) => decodeImageFile(new URL(`../../sample_images/${name}`, import.meta.url).pathname);

function grey(width: number, height: number, values: number[]): Raster {
  return {width, height, channels: 1, data: Uint8Array.from(values)};
}

describe("fashionSteps on the sample photos", () => {
  it.each(SAMPLES)("%s: same trim box and nearly the same 28×28 input as the sharp pipeline", async (name) => {
    const rgb = await sample(name);
    const reference = await preprocess(rgb, "fashion");
    const ours = fashionSteps(rgb);
    expect(ours.steps.map((s) => s.id)).toEqual([
      "input",
      "trimmed",
      "resized",
      "sharpened",
      "padded",
      "negated",
      "greyscale"
    ]);
    const trimmed = ours.steps[1].raster;
    const sharpTrimmed = reference.steps.find((s) => s.id === "trimmed")?.raster;
    expect(Math.abs(trimmed.width - (sharpTrimmed?.width ?? 0))).toBeLessThanOrEqual(2);
    expect(Math.abs(trimmed.height - (sharpTrimmed?.height ?? 0))).toBeLessThanOrEqual(2);
    const last = ours.steps[6].raster;
    expect([last.width, last.height, last.channels]).toEqual([28, 28, 1]);
    let sum = 0;
    for (let i = 0; i < 784; i++) sum += Math.abs(ours.input[i] - reference.input[i]);
    // Resampling and sharpening differ in detail (Lanczos vs area averaging, libvips' sharpen vs unsharp mask).
    expect(sum / 784).toBeLessThan(0.035);
  });

  it("keeps a uniform image whole (nothing to trim)", () => {
    const flat = createRaster(40, 30, 3, 200);
    const {steps, input} = fashionSteps(flat);
    expect(steps[1].raster).toBe(flat);
    expect(input.every((v) => Math.abs(v - 55 / 255) < 1e-6)).toBe(true);
  });
});

describe("the pixel steps", () => {
  it("finds the corner colour and the box of pixels that differ from it by more than the threshold", () => {
    const r = createRaster(10, 8, 3, 250);
    r.data.set([250, 250, 200], (3 * 10 + 2) * 3); // 50 off in blue: counts
    r.data.set([240, 240, 240], (6 * 10 + 7) * 3); // 10 off: background
    r.data.set([0, 0, 0], (5 * 10 + 6) * 3);
    expect(cornerColour(r)).toEqual([250, 250, 250]);
    expect(trimBox(r, [250, 250, 250], 24)).toEqual({left: 2, top: 3, width: 5, height: 3});
    expect(trimBox(r, [250, 250, 250], 255)).toBeUndefined();
    expect(crop(r, {left: 2, top: 3, width: 5, height: 3}).data.subarray(0, 3)).toEqual(
      Uint8Array.from([250, 250, 200])
    );
  });

  it("averages areas when shrinking and interpolates when growing", () => {
    const r = grey(4, 2, [0, 100, 200, 200, 100, 0, 40, 40]);
    expect(Array.from(resize(r, 2, 1).data)).toEqual([50, 120]);
    // 3 → 2: each output covers 1.5 inputs.
    expect(Array.from(resize(grey(3, 1, [0, 90, 180]), 2, 1).data)).toEqual([30, 150]);
    expect(Array.from(resize(grey(2, 1, [0, 200]), 4, 1).data)).toEqual([0, 50, 150, 200]);
  });

  it("sharpens edges and leaves flat areas alone", () => {
    const kernel = gaussianKernel(1);
    expect(kernel).toHaveLength(7);
    expect(kernel.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const flat = createRaster(9, 9, 1, 120);
    expect(sharpen(flat).data.every((v) => v === 120)).toBe(true);
    const step = grey(8, 1, [50, 50, 50, 50, 150, 150, 150, 150]);
    const out = sharpen(step).data;
    expect(out[3]).toBeLessThan(50);
    expect(out[4]).toBeGreaterThan(150);
    expect(out[0]).toBe(50);
  });

  it("pads centred with the background, negates and converts to luma", () => {
    const padded = padCentred(grey(2, 1, [9, 9]), 5, [1]);
    expect(Array.from(padded.data.subarray(10, 15))).toEqual([1, 9, 9, 1, 1]);
    expect(padded.data[0]).toBe(1);
    expect(Array.from(negate(grey(2, 1, [0, 55])).data)).toEqual([255, 200]);
    const rgb: Raster = {width: 3, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255])};
    expect(Array.from(greyscale(rgb).data)).toEqual([76, 150, 29]);
  });

  it("centres a drawing by its strokes and scales its longest edge to 28", () => {
    const canvas = createRaster(280, 280, 1, 0);
    for (let y = 20; y < 120; y++) for (let x = 10; x < 30; x++) canvas.data[y * 280 + x] = 255;
    const out = centreDrawing(canvas);
    expect([out.width, out.height]).toEqual([28, 28]);
    const box = trimBox(out, [0], 16);
    expect(box?.height).toBe(28);
    expect(box?.width).toBeGreaterThanOrEqual(5);
    expect(box?.width).toBeLessThanOrEqual(6);
    expect(Math.abs((box?.left ?? 0) + (box?.width ?? 0) / 2 - 14)).toBeLessThanOrEqual(1);
    expect(centreDrawing(createRaster(50, 50, 1, 0)).data.every((v) => v === 0)).toBe(true);
  });
});
