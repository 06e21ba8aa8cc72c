/**
 * Decoding user images: every supported format from real files written by sharp, EXIF rotation,
 * alpha flattening, and hostile inputs (truncated, not an image, empty, too many pixels, too big).
 */
import {mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {crc32} from "node:zlib";

import sharp, {type Sharp} from "sharp";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {UserError, FormatError} from "../../src/core/errors.js";
import {decodeImage, decodeImageFile, MAX_FILE_BYTES, MAX_PIXELS} from "../../src/node/image/decode.js";
import {pixel} from "../helpers/images.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fmnist-decode-"));
});
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

/** 40x20 RGB: left half red, right half blue. */
function halves(): Buffer {
  const data = Buffer.alloc(40 * 20 * 3);
  for (let y = 0; y < 20; y++) {
    for (let x = 0; x < 40; x++) data[(y * 40 + x) * 3 + (x < 20 ? 0 : 2)] = 255;
  }
  return data;
}

const raw = (data: Buffer, width: number, height: number, channels: 1 | 3 | 4 = 3) =>
  sharp(data, {raw: {width, height, channels}});

/** Asserts that `promise` rejects with a one-line FormatError that names `name` and matches `pattern`. */
async function expectFormatError(promise: Promise<unknown>, name: string, pattern: RegExp): Promise<FormatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  );
  expect(error).toBeInstanceOf(FormatError);
  const message = (error as FormatError).message;
  expect(message).toContain(name);
  expect(message).toMatch(pattern);
  expect(message).not.toContain("\n");
  return error as FormatError;
}

describe("decodeImageFile: formats", () => {
  const formats = [
    ["png", (s: Sharp) => s.png()],
    ["jpg", (s: Sharp) => s.jpeg({quality: 95})],
    ["webp", (s: Sharp) => s.webp({lossless: true})],
    ["tiff", (s: Sharp) => s.tiff()],
    ["avif", (s: Sharp) => s.avif({lossless: true})],
    ["gif", (s: Sharp) => s.gif()]
  ] as const;
  for (const [ext, encode] of formats) {
    it(`decodes ${ext} to 40x20 RGB with the colours in place`, async () => {
      const file = join(dir, `halves.${ext}`);
      await encode(raw(halves(), 40, 20)).toFile(file);
      const r = await decodeImageFile(file);
      expect([r.width, r.height, r.channels, r.data.length]).toEqual([40, 20, 3, 40 * 20 * 3]);
      const [lr, lg, lb] = pixel(r, 5, 10);
      const [rr, rg, rb] = pixel(r, 35, 10);
      expect(lr).toBeGreaterThan(200);
      expect(Math.max(lg, lb)).toBeLessThan(60);
      expect(rb).toBeGreaterThan(200);
      expect(Math.max(rr, rg)).toBeLessThan(60);
    });
  }

  it("returns 3 channels for a greyscale PNG", async () => {
    const grey = Buffer.alloc(16 * 8, 77);
    const file = join(dir, "grey.png");
    await raw(grey, 16, 8, 1).png().toFile(file);
    const r = await decodeImageFile(file);
    expect([r.width, r.height, r.channels, r.data.length]).toEqual([16, 8, 3, 16 * 8 * 3]);
    expect(pixel(r, 3, 3)).toEqual([77, 77, 77]);
  });

  it("returns 8-bit samples for a 16-bit PNG", async () => {
    const file = join(dir, "deep.png");
    await raw(halves(), 40, 20).toColourspace("rgb16").png().toFile(file);
    expect((await sharp(file).metadata()).depth).toBe("ushort");
    const r = await decodeImageFile(file);
    expect([r.width, r.height, r.channels, r.data.length]).toEqual([40, 20, 3, 40 * 20 * 3]);
    expect(pixel(r, 5, 10)[0]).toBeGreaterThan(200);
  });

  it("converts a CMYK JPEG to RGB", async () => {
    const file = join(dir, "cmyk.jpg");
    await raw(halves(), 40, 20).toColourspace("cmyk").jpeg({quality: 95}).toFile(file);
    expect((await sharp(file).metadata()).space).toBe("cmyk");
    const r = await decodeImageFile(file);
    expect(r.channels).toBe(3);
    const [red, , blue] = pixel(r, 5, 10);
    expect(red).toBeGreaterThan(blue + 100);
  });

  it("takes the first frame of an animated GIF", async () => {
    // Two 16x16 frames: red, then blue.
    const frames = Buffer.alloc(16 * 32 * 3);
    for (let i = 0; i < 16 * 32; i++) frames[i * 3 + (i < 16 * 16 ? 0 : 2)] = 255;
    const file = join(dir, "anim.gif");
    await sharp(frames, {raw: {width: 16, height: 32, channels: 3, pageHeight: 16}})
      .gif()
      .toFile(file);
    expect((await sharp(file).metadata()).pages).toBe(2);
    const r = await decodeImageFile(file);
    expect([r.width, r.height]).toEqual([16, 16]);
    expect(pixel(r, 8, 8)).toEqual([255, 0, 0]);
  });

  it("applies EXIF orientation: a JPEG tagged orientation 6 comes back rotated 90° clockwise", async () => {
    const file = join(dir, "rotated.jpg");
    await raw(halves(), 40, 20).jpeg({quality: 95}).withMetadata({orientation: 6}).toFile(file);
    expect((await sharp(file).metadata()).orientation).toBe(6);
    const r = await decodeImageFile(file);
    expect([r.width, r.height]).toEqual([20, 40]);
    // Rotating clockwise moves the left (red) half to the top.
    expect(pixel(r, 10, 5)[0]).toBeGreaterThan(200);
    expect(pixel(r, 10, 35)[2]).toBeGreaterThan(200);
  });

  it("flattens transparency onto white", async () => {
    // Left half fully transparent black, right half half-transparent black, one opaque black pixel.
    const rgba = Buffer.alloc(40 * 20 * 4);
    for (let y = 0; y < 20; y++) for (let x = 20; x < 40; x++) rgba[(y * 40 + x) * 4 + 3] = 128;
    rgba[(10 * 40 + 30) * 4 + 3] = 255;
    const file = join(dir, "alpha.png");
    await raw(rgba, 40, 20, 4).png().toFile(file);
    const r = await decodeImageFile(file);
    expect(r.channels).toBe(3);
    expect(pixel(r, 5, 5)).toEqual([255, 255, 255]);
    for (const v of pixel(r, 25, 5)) {
      expect(v).toBeGreaterThan(110);
      expect(v).toBeLessThan(145);
    }
    expect(pixel(r, 30, 10)).toEqual([0, 0, 0]);
  });

  it("decodes bytes as well as paths", async () => {
    const bytes = new Uint8Array(await raw(halves(), 40, 20).png().toBuffer());
    const r = await decodeImage(bytes, "memory.png");
    expect([r.width, r.height, r.channels]).toEqual([40, 20, 3]);
    await expectFormatError(decodeImage(new Uint8Array([1, 2, 3, 4]), "memory.bin"), "memory.bin", /not a/);
  });
});

/** A real PNG whose IHDR (with a valid CRC) declares `width` x `height` grey pixels, with a tiny IDAT. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk("IEND", Buffer.alloc(0))
  ]);
}

describe("decodeImageFile: hostile and broken files", () => {
  it("rejects a truncated JPEG (a real one cut in half)", async () => {
    const full = await sharp({
      create: {
        width: 120,
        height: 80,
        channels: 3,
        background: "#808080",
        noise: {type: "gaussian", mean: 128, sigma: 40}
      }
    })
      .jpeg({quality: 90})
      .toBuffer();
    const whole = join(dir, "whole.jpg");
    const cut = join(dir, "cut.jpg");
    writeFileSync(whole, full);
    writeFileSync(cut, full.subarray(0, full.length >> 1));
    expect((await decodeImageFile(whole)).width).toBe(120);
    await expectFormatError(decodeImageFile(cut), cut, /premature end|truncat/i);
  });

  it("rejects a text file named .png", async () => {
    const file = join(dir, "notes.png");
    writeFileSync(file, "these are not pixels\n");
    await expectFormatError(decodeImageFile(file), file, /not a readable image/);
  });

  it("rejects a zero-byte file", async () => {
    const file = join(dir, "empty.jpg");
    writeFileSync(file, "");
    await expectFormatError(decodeImageFile(file), file, /empty file/);
  });

  it("rejects a PNG declaring 30000x30000 from its header, quickly and without allocating the pixels", async () => {
    const file = join(dir, "huge.png");
    writeFileSync(file, pngHeader(30000, 30000));
    expect(await sharp(file, {limitInputPixels: false}).metadata()).toMatchObject({width: 30000, height: 30000});
    const rss = process.memoryUsage().rss;
    const start = performance.now();
    const error = await expectFormatError(decodeImageFile(file), file, /30000x30000 \(900 megapixels\)/);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
    expect(error.message).toContain(`${MAX_PIXELS / 1e6} megapixel limit`);
  });

  it("rejects a file over the size limit before reading it", async () => {
    const file = join(dir, "large.png");
    writeFileSync(file, pngHeader(10, 10));
    truncateSync(file, MAX_FILE_BYTES + 1); // sparse: costs no disk
    await expectFormatError(decodeImageFile(file), file, /64\.0 MiB, over the 64 MiB limit/);
  });

  it("names the path of a missing file and of a folder", async () => {
    const missing = join(dir, "missing.png");
    const error = await decodeImageFile(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`${missing}: no such file`);
    const folder = join(dir, "folder.png");
    mkdirSync(folder);
    await expect(decodeImageFile(folder)).rejects.toThrow(`${folder}: not a file`);
  });

  it("keeps decoding after a failure (no state is left broken)", async () => {
    const file = join(dir, "after.png");
    const bad = join(dir, "bad.png");
    await raw(halves(), 40, 20).png().toFile(file);
    writeFileSync(bad, "nope");
    await expect(decodeImageFile(bad)).rejects.toThrow(FormatError);
    expect((await decodeImage(await readFile(file))).width).toBe(40);
  });
});
