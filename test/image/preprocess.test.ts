/**
 * The two preprocessing pipelines on synthetic product photos (a dark object on a white background)
 * and on the real sample photos.
 */
import {join} from "node:path";

import sharp from "sharp";
import {describe, expect, it} from "vitest";

import {centreDrawing, preprocess} from "../../src/core/image/preprocess.js";
import {trimBox} from "../../src/core/image/pixelSteps.js";
import {createRaster} from "../../src/core/image/raster.js";
import {decodeImageFile} from "../../src/node/image/decode.js";
import {SAMPLE_IMAGES} from "../helpers/paths.js";
import type {Raster} from "../../src/core/image/raster.js";

/** A `width` x `height` RGB photo: white, with a dark (#202020) disk of radius `r` centred at (cx, cy). */
async function photo(width: number, height: number, cx: number, cy: number, r: number): Promise<Raster> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="${width}" height="${height}" fill="#ffffff"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="#202020"/></svg>`;
  const {data, info} = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({resolveWithObject: true});
  return {width: info.width, height: info.height, channels: 3, data: new Uint8Array(data)};
}

const at = (input: Float32Array, x: number, y: number) => input[y * 28 + x];

function border(input: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < 28; i++) out.push(at(input, i, 0), at(input, i, 27), at(input, 0, i), at(input, 27, i));
  return out;
}

describe("preprocess fashion", () => {
  it("turns a dark object on white into a bright object on black, 28x28 in [0, 1]", async () => {
    const rgb = await photo(300, 200, 150, 100, 70);
    const {input, inputRaster} = await preprocess(rgb, "fashion");
    expect(input).toHaveLength(784);
    expect([inputRaster.width, inputRaster.height, inputRaster.channels]).toEqual([28, 28, 1]);
    for (const v of input) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // Object bright in the middle, background dark at the corners and along the border.
    expect(at(input, 14, 14)).toBeGreaterThan(0.8);
    for (const [x, y] of [
      [0, 0],
      [27, 0],
      [0, 27],
      [27, 27]
    ])
      expect(at(input, x, y)).toBeLessThan(0.1);
    const ring = border(input);
    expect(ring.reduce((a, b) => a + b, 0) / ring.length).toBeLessThan(0.35);
    // The raster is the same picture as the input vector.
    expect(inputRaster.data[14 * 28 + 14] / 255).toBeCloseTo(at(input, 14, 14), 5);
  });

  it("trims the background so an off-centre object is centred and fills the frame", async () => {
    const rgb = await photo(400, 300, 60, 60, 40); // a small disk in the top-left corner
    const {steps, input} = await preprocess(rgb, "fashion");
    const trimmed = steps.find((s) => s.id === "trimmed")?.raster;
    expect(trimmed).toBeDefined();
    expect(trimmed!.width).toBeLessThan(100);
    expect(trimmed!.height).toBeLessThan(100);
    // Centred: bright in the middle, and it fills the frame (bright near the middle of each edge).
    expect(at(input, 14, 14)).toBeGreaterThan(0.8);
    expect(Math.max(at(input, 14, 1), at(input, 14, 0))).toBeGreaterThan(0.5);
    expect(Math.max(at(input, 1, 14), at(input, 0, 14))).toBeGreaterThan(0.5);
    expect(at(input, 0, 0)).toBeLessThan(0.1);
  });

  it("keeps the aspect ratio: a wide object is padded top and bottom", async () => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300">
<rect width="300" height="300" fill="#ffffff"/><rect x="30" y="120" width="240" height="60" fill="#101010"/></svg>`;
    const {data, info} = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({resolveWithObject: true});
    const {input, steps} = await preprocess(
      {width: info.width, height: info.height, channels: 3, data: new Uint8Array(data)},
      "fashion"
    );
    const resized = steps.find((s) => s.id === "resized")!.raster;
    expect([resized.width, resized.height]).toEqual([28, 7]);
    for (let x = 0; x < 28; x++) {
      expect(at(input, x, 2)).toBeLessThan(0.1); // padding above
      expect(at(input, x, 25)).toBeLessThan(0.1); // padding below
    }
    expect(at(input, 14, 14)).toBeGreaterThan(0.8);
  });

  it("keeps every intermediate, in order, ending with the model input", async () => {
    const rgb = await photo(300, 200, 150, 100, 70);
    const {steps, inputRaster} = await preprocess(rgb, "fashion");
    expect(steps.map((s) => s.id)).toEqual([
      "input_image",
      "trimmed",
      "resized",
      "sharpened",
      "padded",
      "negated",
      "greyscale_input"
    ]);
    expect(steps[0].raster).toBe(rgb);
    for (const s of steps) expect(s.title.length).toBeGreaterThan(0);
    const padded = steps.find((s) => s.id === "padded")!.raster;
    const negated = steps.find((s) => s.id === "negated")!.raster;
    expect([padded.width, padded.height, padded.channels]).toEqual([28, 28, 3]);
    // The padding is the background colour (white) before negation and black after.
    expect(Array.from(padded.data.subarray(0, 3))).toEqual([255, 255, 255]);
    expect(Array.from(negated.data.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(steps.at(-1)!.raster).toBe(inputRaster);
  });

  it("copes with a uniform image (nothing to trim)", async () => {
    const rgb: Raster = {width: 50, height: 40, channels: 3, data: new Uint8Array(50 * 40 * 3).fill(255)};
    const {input} = await preprocess(rgb, "fashion");
    expect(input).toHaveLength(784);
    for (const v of input) expect(v).toBeLessThan(0.05);
  });
});

describe("preprocess plain", () => {
  it("greyscales and resizes to 28x28 without inverting", async () => {
    const rgb = await photo(300, 200, 150, 100, 70);
    const {steps, input, inputRaster} = await preprocess(rgb, "plain");
    expect(steps.map((s) => s.id)).toEqual(["input_image", "greyscale_input"]);
    expect([inputRaster.width, inputRaster.height, inputRaster.channels]).toEqual([28, 28, 1]);
    const grey = steps[1].raster;
    expect([grey.width, grey.height, grey.channels]).toEqual([300, 200, 1]);
    for (const v of input) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(at(input, 14, 14)).toBeLessThan(0.2); // the dark object stays dark
    expect(at(input, 0, 0)).toBeGreaterThan(0.95); // the white background stays white
  });
});

describe("preprocess fashion on the sample photos", () => {
  const samples = ["ankle_boot.png", "black_bag.jpg", "dress.webp", "pullover.jpg", "sneaker.jpg", "trousers.jpg"];
  it.each(samples)("%s: trimmed to the object, 28×28, bright on a dark border", async (name) => {
    const rgb = await decodeImageFile(join(SAMPLE_IMAGES, name));
    const {steps, input} = preprocess(rgb, "fashion");
    const trimmed = steps[1].raster;
    expect(trimmed.width * trimmed.height).toBeLessThan(rgb.width * rgb.height);
    expect(input).toHaveLength(784);
    const ring = border(input);
    expect(ring.reduce((a, b) => a + b, 0) / ring.length).toBeLessThan(0.35);
  });

  it("keeps a uniform image whole (nothing to trim)", () => {
    const flat = createRaster(40, 30, 3, 200);
    const {steps, input} = preprocess(flat, "fashion");
    expect(steps[1].raster).toBe(flat);
    expect(input.every((v) => Math.abs(v - 55 / 255) < 1e-6)).toBe(true);
  });
});

describe("centreDrawing", () => {
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
