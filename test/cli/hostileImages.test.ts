/**
 * Hostile images through the real `fmnist classify` (issue 14, items 11 and 15):
 *
 * - absurd dimensions (a 48 KB PNG of 50,000,000 x 1 pixels, a 60,000 x 100 one) are refused up
 *   front with one line each, and the rest of the batch is still classified;
 * - an SVG never reads other files: `xi:include` of a file beside it (relative, absolute and
 *   file: URLs), `<image href>` of a photo beside it and an external style sheet draw nothing,
 *   while the same text written inline does (so the test can see text when there is some); all
 *   through decodeImageFile, what classify calls, and one through the CLI's report pictures.
 */
import {copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {deflateSync} from "node:zlib";

import CRC32 from "crc-32";
import sharp from "sharp";
import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";

import {decodeImageFile} from "../../src/node/image/decode.js";
import {runCli} from "../helpers/cli.js";

// Child processes of the real CLI: minutes each when the machine is loaded.
vi.setConfig({testTimeout: 900_000, hookTimeout: 900_000});

const root = mkdtempSync(join(tmpdir(), "fmnist-hostile-images-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeInt32BE(CRC32.buf(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid all-black greyscale PNG of any size (its pixels deflate to almost nothing). */
function blackPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth; colour type 0 (grey), no interlace
  const rows = Buffer.alloc((width + 1) * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, {level: 9})),
    chunk("IEND", Buffer.alloc(0))
  ]);
}

describe("classify refuses absurd dimensions up front", () => {
  it("names each bad image on one line and still classifies the others", async () => {
    const thin = join(root, "thin.png");
    writeFileSync(thin, blackPng(50_000_000, 1));
    expect(readFileSync(thin).length).toBeLessThan(60_000);
    const strip = join(root, "strip.png");
    writeFileSync(strip, blackPng(60_000, 100));
    const r = await runCli(["classify", thin, "sample_images/sneaker.jpg", strip], 900_000);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `fmnist: ${thin}: image is 50000000x1, an edge over the 65535-pixel limit`,
      `fmnist: ${strip}: image is 60000x100, an aspect ratio of 600:1, over the 100:1 limit (photograph one garment, roughly square)`
    ]);
    expect(r.stdout).toMatch(/^sample_images\/sneaker\.jpg: (Sneaker|Sandal) \d/);
  }, 900_000);
});

const SVG_OPEN =
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude" width="300" height="300">';
const TEXT = (inner: string) =>
  `${SVG_OPEN}<rect width="300" height="300" fill="white"/><text x="10" y="150" font-size="60" fill="black">${inner}</text></svg>`;

/** Dark pixels of a decoded image: text or a photo drawn into a white SVG. */
const darkPixels = (r: {data: Uint8Array}) => r.data.filter((v) => v < 128).length;

describe("an SVG never reads other files", () => {
  const secret = join(root, "secret.txt");
  const svgs: Record<string, string> = {
    inline: TEXT("SECRET"),
    relative: TEXT('<xi:include href="secret.txt" parse="text"/>'),
    absolute: TEXT(`<xi:include href="${secret}" parse="text"/>`),
    url: TEXT(`<xi:include href="file://${secret}" parse="text"/>`),
    image: `${SVG_OPEN}<rect width="300" height="300" fill="white"/><image href="photo.jpg" width="300" height="300"/></svg>`,
    stylesheet: `<?xml-stylesheet href="style.css" type="text/css"?>${SVG_OPEN}<rect width="300" height="300" fill="white"/></svg>`
  };
  beforeAll(() => {
    writeFileSync(secret, "SECRET");
    copyFileSync("sample_images/sneaker.jpg", join(root, "photo.jpg"));
    writeFileSync(join(root, "style.css"), "rect { fill: black !important; }");
    for (const [name, text] of Object.entries(svgs)) writeFileSync(join(root, `${name}.svg`), text);
  });

  it("decodeImageFile draws nothing of an included text file, photo or style sheet, and draws inline text", async () => {
    for (const name of Object.keys(svgs)) {
      const dark = darkPixels(await decodeImageFile(join(root, `${name}.svg`)));
      if (name === "inline") expect(dark, name).toBeGreaterThan(500);
      else expect(dark, name).toBe(0);
    }
  });

  it("classify --save-plots shows a blank input for an SVG including a file beside it", async () => {
    const plots = join(root, "plots");
    const r = await runCli(["classify", join(root, "relative.svg"), "--save-plots", "--plot-dir", plots], 900_000);
    expect(r.code, r.stderr).toBe(0);
    const {data} = await sharp(join(plots, "input_image.png")).greyscale().raw().toBuffer({resolveWithObject: true});
    expect(darkPixels({data})).toBe(0);
  }, 900_000);
});
