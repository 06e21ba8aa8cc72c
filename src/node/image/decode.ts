/**
 * Decoding user images with sharp (Node only): PNG, JPEG, WebP, GIF (first frame), TIFF, AVIF and
 * whatever else libvips reads. EXIF orientation is applied and transparency is flattened onto
 * white, like a product photo. Size limits keep hostile files from exhausting memory.
 */
import {stat} from "node:fs/promises";

import sharp, {type Metadata} from "sharp";

import {UserError, FormatError} from "../../core/errors.js";
import {isEnoent} from "../fs/errno.js";
import type {Raster} from "../../core/image/raster.js";

const MIB = 1024 * 1024;
/** Largest accepted file (bytes). */
export const MAX_FILE_BYTES = 64 * MIB;
/** Largest accepted image (pixels), checked from the header before decoding. */
export const MAX_PIXELS = 50_000_000;

/** Reads, checks and decodes an image file to RGB. */
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
  return decodeImage(path, path);
}

/** Decodes image bytes (or a path) to an RGB raster; `name` is used in error messages. */
export async function decodeImage(input: string | Uint8Array, name = "image"): Promise<Raster> {
  const source = typeof input === "string" ? input : Buffer.from(input);
  let meta: Metadata;
  try {
    meta = await sharp(source, {limitInputPixels: false}).metadata();
  } catch (error) {
    throw new FormatError(`${name}: not a readable image (${firstLine(error)})`);
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > MAX_PIXELS) {
    throw new FormatError(
      `${name}: image is ${meta.width}x${meta.height} (${(pixels / 1e6).toFixed(0)} megapixels), over the ${MAX_PIXELS / 1e6} megapixel limit`
    );
  }
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
