/**
 * Generates sample_images/: product-photo-like pictures synthesised from Fashion-MNIST test
 * images (MIT licence), so the project can ship them. Each 28x28 image is upscaled, inverted onto
 * a white background, tinted and framed with a margin, then saved in a few formats.
 * Run: npx tsx scripts/makeSampleImages.ts
 */
import {mkdir} from "node:fs/promises";

import sharp from "sharp";

import {CLASS_NAMES, IMAGE_PIXELS, IMAGE_SIZE} from "../src/core/data/fashionMnist.js";
import {loadFashionMnist} from "../src/node/data/loadFashionMnist.js";

const PICKS: {
  label: number;
  nth: number;
  name: string;
  tint: [number, number, number];
  format: "jpeg" | "png" | "webp";
}[] = [
  {label: 8, nth: 0, name: "black_bag", tint: [20, 20, 24], format: "jpeg"},
  {label: 7, nth: 1, name: "sneaker", tint: [40, 60, 140], format: "jpeg"},
  {label: 9, nth: 0, name: "ankle_boot", tint: [90, 55, 30], format: "png"},
  {label: 3, nth: 0, name: "dress", tint: [150, 30, 60], format: "webp"},
  {label: 1, nth: 0, name: "trousers", tint: [30, 40, 70], format: "jpeg"},
  {label: 2, nth: 3, name: "pullover", tint: [60, 110, 70], format: "jpeg"}
];

const test = await loadFashionMnist("test");
await mkdir("sample_images", {recursive: true});
for (const pick of PICKS) {
  let seen = 0;
  let index = -1;
  for (let i = 0; i < test.count; i++) {
    if (test.labels[i] === pick.label && seen++ === pick.nth) {
      index = i;
      break;
    }
  }
  const pixels = test.images.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS);
  // Ink amount a in [0, 1] -> colour lerp from white to the tint.
  const rgb = new Uint8Array(IMAGE_PIXELS * 3);
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    const a = pixels[i] / 255;
    for (let k = 0; k < 3; k++) rgb[3 * i + k] = Math.round(255 * (1 - a) + pick.tint[k] * a);
  }
  const big = await sharp(rgb, {raw: {width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3}})
    .resize(392, 392, {kernel: "lanczos3"})
    .extend({top: 64, bottom: 64, left: 96, right: 96, background: "#ffffff"})
    .blur(0.6)
    .png()
    .toBuffer();
  const out = sharp(big);
  const file = `sample_images/${pick.name}.${pick.format === "jpeg" ? "jpg" : pick.format}`;
  if (pick.format === "jpeg") await out.jpeg({quality: 88}).toFile(file);
  else if (pick.format === "png") await out.png().toFile(file);
  else await out.webp({quality: 88}).toFile(file);
  process.stderr.write(`${file}: test image #${index} (${CLASS_NAMES[pick.label]})\n`);
}

// Something that is not a garment at all, to show the out-of-distribution flag.
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480">
<rect width="480" height="480" fill="#ffffff"/>
<g fill="#222">${Array.from({length: 36}, (_, i) => {
  const x = (i % 6) * 60 + 60;
  const y = Math.floor(i / 6) * 60 + 60;
  return (Math.floor(i / 6) + i) % 2 === 0 ? `<rect x="${x}" y="${y}" width="60" height="60"/>` : "";
}).join("")}</g></svg>`;
await sharp(Buffer.from(svg)).png().toFile("sample_images/not_fashion_chessboard.png");
process.stderr.write("sample_images/not_fashion_chessboard.png: a chessboard (out of distribution)\n");
