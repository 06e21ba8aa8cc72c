/**
 * Decoding user images with sharp (Node only): PNG, JPEG, WebP, GIF (first frame), TIFF, AVIF and
 * whatever else libvips reads. EXIF orientation is applied and transparency is flattened onto
 * white, like a product photo. Size limits keep hostile files from exhausting memory.
 */
import {stat} from "node:fs/promises";

import sharp, {type Metadata} from "sharp";

import {UserError, FormatError} from "../../core/errors.js";
import {isEnoent} from "../fs/errno.js";
import {readRegularFile} from "../fs/readRegularFile.js";
import type {Raster} from "../../core/image/raster.js";

const MIB = 1024 * 1024;
/** Largest accepted file (bytes). */
export const MAX_FILE_BYTES = 64 * MIB;
/** Largest accepted image (pixels), checked from the header before decoding. */
export const MAX_PIXELS = 50_000_000;
/** Longest accepted edge (pixels): JPEG's own limit; libvips cannot shrink much longer edges to 28. */
export const MAX_EDGE = 65_535;
/** Most elongated accepted image (long edge : short edge); garments are nowhere near it. */
export const MAX_ASPECT_RATIO = 100;

/**
 * Why an image of this size is refused before decoding, or undefined when it is fine: over
 * {@link MAX_PIXELS}, an edge over {@link MAX_EDGE}, or an aspect ratio over {@link MAX_ASPECT_RATIO}
 * (a 50,000,000 x 1 PNG of 48 KB took libvips 80 s to decode and then failed to shrink).
 */
export function imageSizeProblem(width: number, height: number): string | undefined {
  const pixels = width * height;
  if (pixels > MAX_PIXELS) {
    return `image is ${width}x${height} (${(pixels / 1e6).toFixed(0)} megapixels), over the ${MAX_PIXELS / 1e6} megapixel limit`;
  }
  if (Math.max(width, height) > MAX_EDGE) {
    return `image is ${width}x${height}, an edge over the ${MAX_EDGE}-pixel limit`;
  }
  const ratio = Math.max(width, height) / Math.max(1, Math.min(width, height));
  if (ratio > MAX_ASPECT_RATIO) {
    return `image is ${width}x${height}, an aspect ratio of ${Math.round(ratio)}:1, over the ${MAX_ASPECT_RATIO}:1 limit (photograph one garment, roughly square)`;
  }
  return undefined;
}

/**
 * Reads, checks and decodes an image file to RGB. The bytes are read here and handed to libvips
 * as a buffer, never as a path: an SVG decoded from a file may pull in the files beside it
 * (`xi:include`, `<image href>`, style sheets), while librsvg loads nothing external for an SVG
 * that has no file name.
 */
export async function decodeImageFile(path: string): Promise<Raster> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError(`${path}: not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (isEnoent(error)) throw new UserError(`${path}: no such file`);
    throw new UserError(`${path}: cannot read (${(error as Error).message})`);
  }
  if (size === 0) throw new FormatError(`${path}: empty file`);
  if (size > MAX_FILE_BYTES) {
    throw new FormatError(
      `${path}: file is ${(size / MIB).toFixed(1)} MiB, over the ${(MAX_FILE_BYTES / MIB).toFixed(0)} MiB limit`
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, MAX_FILE_BYTES, "image file");
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${path}: cannot read (${(error as Error).message})`);
  }
  return decodeImage(bytes, path);
}

/** Decodes image bytes to an RGB raster; `name` is used in error messages. */
export async function decodeImage(input: Uint8Array, name = "image"): Promise<Raster> {
  const source = Buffer.isBuffer(input) ? input : Buffer.from(input);
  let meta: Metadata;
  try {
    meta = await sharp(source, {limitInputPixels: false}).metadata();
  } catch (error) {
    throw new FormatError(`${name}: not a readable image (${firstLine(error)})`);
  }
  const problem = imageSizeProblem(meta.width ?? 0, meta.height ?? 0);
  if (problem) throw new FormatError(`${name}: ${problem}`);
  try {
    const {data, info} = await sharp(source, {limitInputPixels: MAX_PIXELS, failOn: "truncated", pages: 1})
      .rotate()
      .flatten({background: "#ffffff"})
      .toColourspace("srgb")
      .removeAlpha()
      .raw()
      .toBuffer({resolveWithObject: true});
    if (info.channels !== 3) throw new FormatError(`${name}: decoded to ${info.channels} channels, expected 3`);
    return {width: info.width, height: info.height, channels: 3, data: new Uint8Array(data)};
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError(`${name}: cannot decode image (${firstLine(error)})`);
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
}
