/**
 * Files for the TensorBoard Embedding Projector (projector.tensorflow.org, or TensorBoard's
 * projector plugin) and for our own viewer: tensors as TSV and as little-endian float32 `.bytes`,
 * `metadata.tsv`, the sprite of thumbnails, `config.json` (the Projector's `ProjectorConfig`
 * JSON: `embeddings[]` of `EmbeddingInfo`), a bookmarks file (an array of the Projector's `State`)
 * that opens on our projections, and `projections.json`. Everything is a pure function of its
 * inputs, so the same inputs give byte-identical files. Isomorphic (the sprite is encoded to PNG in
 * ../../node/pictures/projectorPictures.ts).
 */
import {concatBytes} from "../bytes.js";
import {IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES} from "../data/fashionMnist.js";
import type {Points} from "../embed/points.js";
import {createRaster, type Raster} from "../image/raster.js";
import {FormatError, UserError, UsageError} from "../errors.js";

/** The Projector refuses sprites larger than this per side (MAX_SPRITE_IMAGE_SIZE_PX). */
export const MAX_SPRITE_SIDE = 8192;

export const FILES = {
  embeddingTsv: "embedding_tensors.tsv",
  embeddingBytes: "embedding_tensors.bytes",
  rawTsv: "raw_tensors.tsv",
  rawBytes: "raw_tensors.bytes",
  metadata: "metadata.tsv",
  sprite: "sprite.png",
  config: "config.json",
  bookmarks: "bookmarks.json",
  projections: "projections.json",
  /** Metadata of the pixel tensor's rows, when it holds fewer rows than the embedding. */
  pixelMetadata: "metadata_pixels.tsv"
} as const;

export const METADATA_HEADER = ["Label", "Predicted", "Score", "Correct"] as const;

/** Values of metadata.tsv's Split column (exports of `--split train|all`): index = split code. */
export const SPLIT_NAMES = ["test", "train"] as const;

/**
 * The pixel tensor (784-d) holds at most this many rows, the first: 70,000 rows would make a
 * 220 MB `.bytes` file (and a TSV twice that) that the Projector loads into the page at once.
 */
export const PIXEL_ROWS_MAX = 10_000;

/** Shortest decimal that reads back as the same float32 (the TSV twin of the `.bytes` file). */
export function formatFloat32(v: number): string {
  if (v === 0) return "0";
  for (let p = 1; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}

/** Tab-separated rows of `dim` numbers, no header, one line per row (each ends in "\n"), as UTF-8. */
export function tensorTsv(data: Float32Array, dim: number): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  const cache = new Map<number, string>();
  const rows = data.length / dim;
  let lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const cells = new Array<string>(dim);
    for (let d = 0; d < dim; d++) {
      const v = data[i * dim + d];
      let s = cache.get(v);
      if (s === undefined) {
        s = formatFloat32(v);
        if (cache.size < 65536) cache.set(v, s);
      }
      cells[d] = s;
    }
    lines.push(cells.join("\t") + "\n");
    if (lines.length === 500) {
      chunks.push(encoder.encode(lines.join("")));
      lines = [];
    }
  }
  chunks.push(encoder.encode(lines.join("")));
  return concatBytes(chunks);
}

/** The same numbers as little-endian float32 bytes (the Projector's `.bytes` tensor format). */
export function tensorBytes(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  return out;
}

/**
 * `metadata.tsv`: a header `Label Predicted Score Correct`, then one row per image; with `splits`
 * (codes into {@link SPLIT_NAMES}) a fifth column `Split` says which split each row is from.
 */
export function metadataTsv(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  probabilities: Float32Array,
  classNames: readonly string[],
  splits?: ArrayLike<number>
): string {
  const lines = [[...METADATA_HEADER, ...(splits ? ["Split"] : [])].join("\t")];
  for (let i = 0; i < labels.length; i++) {
    const score = probabilities[i * NUM_CLASSES + predicted[i]];
    const correct = labels[i] === predicted[i] ? "yes" : "no";
    const split = splits ? `\t${SPLIT_NAMES[splits[i]]}` : "";
    lines.push(`${classNames[labels[i]]}\t${classNames[predicted[i]]}\t${score.toFixed(4)}\t${correct}${split}`);
  }
  return lines.join("\n") + "\n";
}

/** The columns of `metadata.tsv` the web app reads, per image, as class indices and scores. */
export interface MetadataColumns {
  count: number;
  /** True class index per image. */
  labels: Uint8Array;
  /** Predicted class index per image. */
  predicted: Uint8Array;
  /** Probability of the predicted class. */
  scores: Float32Array;
  /** Split code per image ({@link SPLIT_NAMES}), when the file has a Split column. */
  splits?: Uint8Array;
}

/** Parses `metadata.tsv` (a header naming Label, Predicted and Score, then one row per image). */
export function parseMetadataTsv(text: string, classNames: readonly string[]): MetadataColumns {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const header = lines.shift()?.split("\t") ?? [];
  const [iLabel, iPred, iScore] = ["Label", "Predicted", "Score"].map((h) => header.indexOf(h));
  if (iLabel < 0 || iPred < 0 || iScore < 0) {
    throw new FormatError(`${FILES.metadata} lacks the Label, Predicted and Score columns`);
  }
  const classIndex = (name: string, line: number) => {
    const i = classNames.indexOf(name);
    if (i < 0) throw new FormatError(`${FILES.metadata} line ${line}: unknown class "${name}"`);
    return i;
  };
  const iSplit = header.indexOf("Split");
  const count = lines.length;
  const labels = new Uint8Array(count);
  const predicted = new Uint8Array(count);
  const scores = new Float32Array(count);
  const splits = iSplit < 0 ? undefined : new Uint8Array(count);
  lines.forEach((line, i) => {
    const cells = line.split("\t");
    labels[i] = classIndex(cells[iLabel], i + 2);
    predicted[i] = classIndex(cells[iPred], i + 2);
    scores[i] = Number(cells[iScore]);
    if (splits) {
      const code = (SPLIT_NAMES as readonly string[]).indexOf(cells[iSplit]);
      if (code < 0) throw new FormatError(`${FILES.metadata} line ${i + 2}: unknown split "${cells[iSplit]}"`);
      splits[i] = code;
    }
  });
  return {labels, predicted, scores, count, ...(splits ? {splits} : {})};
}

/** Geometry of the sprite: a square grid of `cells` x `cells` thumbnails of 28 px. */
export function spriteLayout(count: number): {cells: number; side: number} {
  const cells = Math.max(1, Math.ceil(Math.sqrt(count)));
  const side = cells * IMAGE_SIZE;
  if (side > MAX_SPRITE_SIDE) {
    const max = Math.floor(MAX_SPRITE_SIDE / IMAGE_SIZE) ** 2;
    throw new UserError(
      `sprite for ${count} images would be ${side}x${side} px, over the Projector's ${MAX_SPRITE_SIDE} px limit; use --count ${max} or fewer`
    );
  }
  return {cells, side};
}

/** The sprite's pixels: the images in row-major order on a black square, one grey channel. */
export function spriteRaster(images: Uint8Array, count: number): Raster {
  const {cells, side} = spriteLayout(count);
  const canvas = createRaster(side, side, 1);
  for (let i = 0; i < count; i++) {
    const ox = (i % cells) * IMAGE_SIZE;
    const oy = Math.floor(i / cells) * IMAGE_SIZE;
    for (let y = 0; y < IMAGE_SIZE; y++) {
      const src = i * IMAGE_PIXELS + y * IMAGE_SIZE;
      canvas.data.set(images.subarray(src, src + IMAGE_SIZE), (oy + y) * side + ox);
    }
  }
  return canvas;
}

/** An absolute URL for `file` under `baseUrl` (trailing slashes ignored). */
export function fileUrl(baseUrl: string, file: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${file}`;
}

/** Checks a `--base-url` value: an absolute http(s) URL. */
export function parseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url must be an absolute URL such as http://localhost:8000; got "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--base-url must use http or https; got "${raw}"`);
  }
  return raw.replace(/\/+$/, "");
}

/** The Projector's `EmbeddingInfo`. */
export interface EmbeddingInfo {
  tensorName: string;
  tensorShape: [number, number];
  tensorPath: string;
  metadataPath: string;
  bookmarksPath?: string;
  sprite: {imagePath: string; singleImageDim: [number, number]};
}

/** Rows of the pixel tensor for an export of `count` images. */
export function pixelRows(count: number): number {
  return Math.min(count, PIXEL_ROWS_MAX);
}

/**
 * `config.json`: the embedding (with bookmarks) and the raw pixels, both with metadata and sprite.
 * Past {@link PIXEL_ROWS_MAX} images the pixel tensor holds the first rows only, with their own
 * metadata file; both share the one sprite (its first cells are those rows).
 */
export function projectorConfig(options: {
  count: number;
  dim: number;
  layerName: string;
  baseUrl: string;
  bookmarks: boolean;
  /** Rows of the pixel tensor (default {@link pixelRows} of count). */
  pixelRows?: number;
}): {embeddings: EmbeddingInfo[]} {
  const url = (file: string) => fileUrl(options.baseUrl, file);
  const sprite = {imagePath: url(FILES.sprite), singleImageDim: [IMAGE_SIZE, IMAGE_SIZE] as [number, number]};
  const common = {metadataPath: url(FILES.metadata), sprite};
  const pixels = options.pixelRows ?? pixelRows(options.count);
  return {
    embeddings: [
      {
        tensorName: `Fashion-MNIST embedding (${options.layerName}, ${options.dim}-d)`,
        tensorShape: [options.count, options.dim],
        tensorPath: url(FILES.embeddingBytes),
        ...common,
        ...(options.bookmarks ? {bookmarksPath: url(FILES.bookmarks)} : {})
      },
      {
        tensorName: `Fashion-MNIST pixels (${IMAGE_PIXELS}-d${pixels < options.count ? `, first ${pixels} rows` : ""})`,
        tensorShape: [pixels, IMAGE_PIXELS],
        tensorPath: url(FILES.rawBytes),
        metadataPath: url(pixels < options.count ? FILES.pixelMetadata : FILES.metadata),
        sprite
      }
    ]
  };
}

/** Number of decimals that keeps about `digits` significant digits of a layout's extent. */
export function decimalsFor(p: Points, digits = 5): number {
  let max = 0;
  for (let i = 0; i < p.data.length; i++) max = Math.max(max, Math.abs(p.data[i]));
  return Math.min(12, Math.max(0, digits - 1 - Math.floor(Math.log10(max || 1))));
}

/** Rows of a layout rounded to `decimals` (plain numbers for JSON). */
export function roundedRows(p: Points, decimals: number): number[][] {
  const f = 10 ** decimals;
  const rows: number[][] = [];
  for (let i = 0; i < p.count; i++) {
    const row: number[] = [];
    for (let d = 0; d < p.dim; d++) row.push(Math.round(p.data[i * p.dim + d] * f) / f || 0);
    rows.push(row);
  }
  return rows;
}
