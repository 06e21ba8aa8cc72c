/**
 * The rendered part of the out-of-distribution benchmark (the generated part:
 * ../../core/model/oodSynthetic.ts), made offline with sharp (librsvg draws SVG text with the
 * installed fonts): digits and letters in Fashion-MNIST's size and style (bright on black, longest
 * edge 28, centred), random scribbles as drawn on the web app's pad, and pictures of things that
 * are not clothes (the desktop's device icons and sample pictures installed on this machine, where
 * present) through `classify`'s photo preprocessing. Node only.
 */
import {readdir, readFile} from "node:fs/promises";
import {join} from "node:path";

import sharp from "sharp";

import {IMAGE_PIXELS} from "../../core/data/fashionMnist.js";
import {centreDrawing, preprocess} from "../../core/image/preprocess.js";
import type {OodGroup} from "../../core/model/oodSynthetic.js";
import {createRandom} from "../../core/random.js";
import {decodeImage} from "../image/decode.js";

const GLYPHS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const FONTS = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"];
const PAD = 280;

/** Pictures of non-garments that Debian packages install (those missing on a machine are skipped). */
const PICTURE_DIRS = ["/usr/share/icons/Adwaita/512x512/devices", "/usr/share/icons/Adwaita/512x512/places"];
const PICTURE_FILES = [
  "/usr/share/matplotlib/mpl-data/sample_data/Minduka_Present_Blue_Pack.png",
  "/usr/lib/R/site-library/rgl/textures/world.png",
  "/usr/lib/R/site-library/bookdown/examples/images/cover.jpg"
];

/** Renders an SVG to one grey channel. */
async function renderGrey(svg: string): Promise<{width: number; height: number; channels: 1; data: Uint8Array}> {
  const {data, info} = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({resolveWithObject: true});
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels];
  return {width: info.width, height: info.height, channels: 1, data: grey};
}

function fromImages(name: string, description: string, images: Float32Array[]): OodGroup {
  const xs = new Float32Array(images.length * IMAGE_PIXELS);
  images.forEach((img, i) => xs.set(img, i * IMAGE_PIXELS));
  return {name, description, count: images.length, xs};
}

const toInput = (r: {data: Uint8Array}) => Float32Array.from(r.data, (v) => v / 255);

/** Digits and letters, white on black, in each font, cropped and centred like a drawing. */
export async function glyphGroup(): Promise<OodGroup> {
  const images: Float32Array[] = [];
  for (const font of FONTS) {
    for (const ch of GLYPHS) {
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="112" height="112"><rect width="112" height="112" fill="black"/>` +
        `<text x="56" y="86" font-family="${font}" font-size="84" text-anchor="middle" fill="white">${ch}</text></svg>`;
      images.push(toInput(centreDrawing(await renderGrey(svg))));
    }
  }
  return fromImages("glyphs", `${GLYPHS.length} digits and letters in each of ${FONTS.join(", ")}`, images);
}

/** Random scribbles: 2–6 strokes of a 20 px pen on the 280 px pad, as the web app's drawing path sees them. */
export async function scribbleGroup(n: number, seed = 3): Promise<OodGroup> {
  const random = createRandom(seed);
  const images: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    const points = Array.from({length: 2 + Math.floor(random() * 5)}, () =>
      [20 + random() * 240, 20 + random() * 240].map((v) => v.toFixed(0)).join(",")
    );
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${PAD}" height="${PAD}"><rect width="${PAD}" height="${PAD}" fill="black"/>` +
      `<polyline points="${points.join(" ")}" fill="none" stroke="white" stroke-width="20" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
    images.push(toInput(centreDrawing(await renderGrey(svg))));
  }
  return fromImages("scribbles", `${n} random scribbles (2–6 strokes) on the drawing pad`, images);
}

/** Installed pictures of non-garments, through classify's `fashion` preprocessing. */
export async function pictureGroup(): Promise<OodGroup> {
  const files = [...PICTURE_FILES];
  for (const dir of PICTURE_DIRS) {
    const names = await readdir(dir).catch(() => []);
    files.push(...names.filter((f) => f.endsWith(".png")).map((f) => join(dir, f)));
  }
  const images: Float32Array[] = [];
  const used: string[] = [];
  for (const file of files.sort()) {
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) continue;
    images.push(preprocess(await decodeImage(bytes, file), "fashion").input);
    used.push(file);
  }
  return fromImages(
    "pictures",
    `${used.length} installed pictures of non-garments (Adwaita device and place icons: headphones, keyboards, printers, phones, folders …; a gift box, a world map, a book cover)`,
    images
  );
}
