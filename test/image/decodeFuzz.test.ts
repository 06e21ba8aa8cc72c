/**
 * Fuzzing image decoding with files that start right and then go wrong: valid PNG, JPEG, WebP and
 * GIF headers followed by random bytes, and the sample images (GIF: re-encoded) cut at random
 * lengths. Every case must end
 * in an RGB raster or a one-line FormatError, never another exception or a hang.
 */
import {readFileSync} from "node:fs";
import {crc32} from "node:zlib";

import fc from "fast-check";
import sharp from "sharp";
import {beforeAll, describe, expect, it} from "vitest";

import {concatBytes} from "../../src/core/bytes.js";
import {FormatError} from "../../src/core/errors.js";
import {decodeImage} from "../../src/node/image/decode.js";
import type {Raster} from "../../src/core/image/raster.js";

const SEED = 20261129;
const sample = (name: string) => new Uint8Array(readFileSync(new URL(`../../sample_images/${name}`, import.meta.url)));

/** A raster is fine if it is consistent; an error must be a one-line FormatError. */
async function outcome(bytes: Uint8Array): Promise<"image" | "error"> {
  let raster: Raster;
  try {
    raster = await decodeImage(bytes, "fuzzed");
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    expect((error as Error).message).toMatch(/^fuzzed: /);
    expect((error as Error).message).not.toContain("\n");
    return "error";
  }
  expect(raster.channels).toBe(3);
  expect(raster.data.length).toBe(raster.width * raster.height * 3);
  return "image";
}

function u32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

const concat = (...parts: Uint8Array[]) => concatBytes(parts);

const ascii = (s: string) => new TextEncoder().encode(s);

/** PNG signature and a valid IHDR chunk (8-bit, colour type `colour`) for `width` x `height`. */
function pngHeader(width: number, height: number, colour: number): Uint8Array {
  const body = concat(ascii("IHDR"), u32be(width), u32be(height), new Uint8Array([8, colour, 0, 0, 0]));
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return concat(signature, u32be(13), body, u32be(crc32(body)));
}

/** JPEG start of image and a JFIF APP0 segment. */
const JPEG_HEADER = concat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]), ascii("JFIF\0"), new Uint8Array(9));

/** RIFF/WEBP container header for a chunk of kind `chunk` (VP8 , VP8L, VP8X) of `size` bytes. */
function webpHeader(chunk: string, size: number): Uint8Array {
  const le = (n: number) => new Uint8Array([n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255]);
  return concat(ascii("RIFF"), le(size + 12), ascii("WEBP"), ascii(chunk), le(size));
}

/** GIF89a header with a logical screen of `width` x `height`. */
function gifHeader(width: number, height: number): Uint8Array {
  return concat(ascii("GIF89a"), new Uint8Array([width & 255, width >> 8, height & 255, height >> 8, 0xf0, 0, 0]));
}

const dimension = fc.oneof(fc.integer({min: 1, max: 64}), fc.integer({min: 1, max: 10000}));
const headerArb: fc.Arbitrary<[string, Uint8Array]> = fc.oneof(
  fc
    .tuple(dimension, dimension, fc.constantFrom(0, 2, 3, 4, 6))
    .map(([w, h, c]): [string, Uint8Array] => ["png", pngHeader(w, h, c)]),
  fc.constant<[string, Uint8Array]>(["jpeg", JPEG_HEADER]),
  fc
    .tuple(fc.constantFrom("VP8 ", "VP8L", "VP8X"), fc.nat({max: 100_000}))
    .map(([chunk, size]): [string, Uint8Array] => ["webp", webpHeader(chunk, size)]),
  fc.tuple(dimension, dimension).map(([w, h]): [string, Uint8Array] => ["gif", gifHeader(w, h)])
);

describe("decodeImage on a valid header followed by random bytes", () => {
  const NUM_RUNS = 1000;
  it(`ends in a raster or a one-line FormatError (${NUM_RUNS} cases)`, async () => {
    const counts: Record<string, {image: number; error: number}> = {};
    await fc.assert(
      fc.asyncProperty(headerArb, fc.uint8Array({maxLength: 2000}), async ([format, header], tail) => {
        const c = (counts[format] ??= {image: 0, error: 0});
        c[await outcome(concat(header, tail))]++;
      }),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    const summary = Object.entries(counts).map(([f, c]) => `${f} ${c.image + c.error} (${c.image} decoded)`);
    console.log(`image header + random bytes: ${NUM_RUNS} cases: ${summary.join(", ")}`);
  }, 120_000);
});

describe("decodeImage on real images cut short", () => {
  const NUM_RUNS = 600;
  const files: Record<string, Uint8Array> = {};
  beforeAll(async () => {
    files.jpeg = sample("sneaker.jpg");
    files.png = sample("ankle_boot.png");
    files.webp = sample("dress.webp");
    files.gif = new Uint8Array(await sharp(files.jpeg).resize(64).gif().toBuffer());
  });

  it(`ends in a raster or a one-line FormatError (${NUM_RUNS} cases)`, async () => {
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("jpeg", "png", "webp", "gif"), fc.double({min: 0, max: 1}), async (f, at) => {
        const bytes = files[f];
        const cut = Math.min(bytes.length - 1, Math.floor(at * bytes.length));
        if ((await outcome(bytes.subarray(0, Math.max(1, cut)))) === "error") errors++;
      }),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    console.log(`truncated real images: ${NUM_RUNS} cases, ${errors} one-line errors`);
    expect(errors).toBeGreaterThan(NUM_RUNS / 2);
  }, 120_000);
});
