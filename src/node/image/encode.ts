/**
 * Encoding pictures with sharp (Node only): raw pixel buffers and SVG documents to PNG.
 * Charts are drawn as SVG strings (isomorphic, also usable by the web app) and rasterised here;
 * sharp's librsvg renders the text with the system's fonts (DejaVu Sans on Debian).
 */
import sharp from "sharp";

/** Encodes a raw buffer ([height, width, channels] bytes, channels 1, 3 or 4) as PNG. */
export async function encodePng(
  data: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4
): Promise<Uint8Array> {
  const buffer = await sharp(data, {raw: {width, height, channels}}).png({compressionLevel: 9}).toBuffer();
  return new Uint8Array(buffer);
}

/** Encodes one grey channel as a greyscale PNG (one channel in the file, not three). */
export async function encodeGreyPng(data: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const buffer = await sharp(data, {raw: {width, height, channels: 1}})
    .toColourspace("b-w")
    .png({compressionLevel: 9})
    .toBuffer();
  return new Uint8Array(buffer);
}

/** Rasterises an SVG document to PNG at its own size (`density` 72 = 1 px per SVG unit). */
export async function svgToPng(svg: string, density = 72): Promise<Uint8Array> {
  const buffer = await sharp(Buffer.from(svg), {density}).png({compressionLevel: 9}).toBuffer();
  return new Uint8Array(buffer);
}

/** A `data:` URI for embedding PNG bytes in SVG or HTML. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString("base64")}`;
}
