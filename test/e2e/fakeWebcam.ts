/**
 * A project-made clip for Chromium's fake webcam (--use-file-for-fake-video-capture): a sample
 * photo centred on white in a 320×240 frame, written as a few identical YUV4MPEG2 (I420) frames.
 */
import {mkdtempSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import sharp from "sharp";

const WIDTH = 320;
const HEIGHT = 240;

/** BT.601 studio-range YUV 4:2:0 planes of an RGB frame (chroma averaged over each 2×2 block). */
export function rgbToI420(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 1.5);
  const cw = width / 2;
  const u0 = width * height;
  const v0 = u0 + (width * height) / 4;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      out[y * width + x] = Math.round(16 + (65.481 * rgb[i] + 128.553 * rgb[i + 1] + 24.966 * rgb[i + 2]) / 255);
    }
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1]
      ]) {
        const i = ((2 * y + dy) * width + 2 * x + dx) * 3;
        r += rgb[i] / 4;
        g += rgb[i + 1] / 4;
        b += rgb[i + 2] / 4;
      }
      out[u0 + y * cw + x] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      out[v0 + y * cw + x] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return out;
}

/** Writes the clip of `imagePath` into a new temp folder and returns the .y4m file's path. */
export async function writeFakeWebcamClip(imagePath: string, frames = 5): Promise<string> {
  const rgb = await sharp(imagePath)
    .flatten({background: "#ffffff"})
    .resize(WIDTH - 40, HEIGHT - 40, {fit: "contain", background: "#ffffff"})
    .extend({top: 20, bottom: 20, left: 20, right: 20, background: "#ffffff"})
    .removeAlpha()
    .raw()
    .toBuffer();
  const frame = rgbToI420(new Uint8Array(rgb), WIDTH, HEIGHT);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  const parts: Uint8Array[] = [header];
  for (let i = 0; i < frames; i++) parts.push(Buffer.from("FRAME\n"), frame);
  const path = join(mkdtempSync(join(tmpdir(), "fmnist-webcam-")), "garment.y4m");
  writeFileSync(path, Buffer.concat(parts));
  return path;
}
