/** Image sizes from headers, checked against sharp's reading of real files in each format. */
import {readFileSync} from "node:fs";

import sharp from "sharp";
import {describe, expect, it} from "vitest";

import {imageHeaderSize} from "../../src/core/image/headerSize.js";

const file = (name: string) => readFileSync(new URL(`../../sample_images/${name}`, import.meta.url));

describe("imageHeaderSize", () => {
  it.each(["ankle_boot.png", "black_bag.jpg", "dress.webp", "not_fashion_chessboard.png"])(
    "reads %s as sharp does",
    async (name) => {
      const bytes = file(name);
      const meta = await sharp(bytes).metadata();
      expect(imageHeaderSize(bytes)).toEqual({width: meta.width, height: meta.height});
    }
  );

  it("reads GIF, lossless and extended WebP, and progressive JPEG", async () => {
    const source = sharp(file("pullover.jpg")).resize(333, 211, {fit: "fill"});
    const encoded = await Promise.all([
      source.clone().gif().toBuffer(),
      source.clone().webp({lossless: true}).toBuffer(),
      source.clone().ensureAlpha(0.5).webp().toBuffer(),
      source.clone().jpeg({progressive: true}).toBuffer()
    ]);
    for (const bytes of encoded) expect(imageHeaderSize(bytes)).toEqual({width: 333, height: 211});
  });

  it("reports a hostile header's claimed size without decoding, and nothing for unknown or cut bytes", () => {
    const png = Uint8Array.from(file("ankle_boot.png").subarray(0, 33));
    const view = new DataView(png.buffer);
    view.setUint32(16, 100_000);
    view.setUint32(20, 90_000);
    expect(imageHeaderSize(png)).toEqual({width: 100_000, height: 90_000});
    expect(imageHeaderSize(new TextEncoder().encode("hello, not an image"))).toBeUndefined();
    expect(imageHeaderSize(file("black_bag.jpg").subarray(0, 20))).toBeUndefined();
    expect(imageHeaderSize(new Uint8Array(0))).toBeUndefined();
  });
});
