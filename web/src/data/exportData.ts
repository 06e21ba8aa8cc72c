/**
 * The export folder served at /projector/ (written by `fmnist export`): metadata, projections,
 * 64-d embeddings and the sprite of all test images. Loaded once and shared by every view.
 */
import {CLASS_NAMES, IMAGE_PIXELS, IMAGE_SIZE} from "../../../src/core/data/fashionMnist.js";
import {DataError, fetchFloat32, fetchGreyImage, fetchJson, fetchText} from "./fetchData.js";

export const EXPORT_BASE = "projector/";

/** One projection method's layouts, as written in projections.json. */
export interface ProjectionEntry {
  parameters: Record<string, unknown>;
  quality?: {trustworthiness: number; knnAccuracy: number};
  explainedVarianceRatio?: number[];
  "2d"?: number[][];
  "3d"?: number[][];
}

export interface ProjectionsFile {
  format: string;
  count: number;
  seed: number;
  source: {layer: string; dim: number; split: string; firstIndex: number};
  quality: {k: number; referenceKnnAccuracy: number};
  projections: Partial<Record<"pca" | "tsne" | "umap", ProjectionEntry>>;
}

export interface ExportData {
  count: number;
  /** True class index per test image. */
  labels: Uint8Array;
  /** Predicted class index per test image. */
  predicted: Uint8Array;
  /** Probability of the predicted class. */
  scores: Float32Array;
  projections: ProjectionsFile;
  /** Embedding rows (count × dim), row-major. */
  embeddings: Float32Array;
  dim: number;
  /** The sprite's grey pixels and its grid (cells × cells images of 28×28). */
  sprite: {grey: Uint8Array; side: number; cells: number};
  /** The sprite as served, for textures and thumbnails. */
  spriteUrl: string;
}

function classIndex(name: string, line: number): number {
  const i = (CLASS_NAMES as readonly string[]).indexOf(name);
  if (i < 0) throw new DataError(`metadata.tsv line ${line}: unknown class "${name}"`, "Re-run `fmnist export`.");
  return i;
}

/** Parses metadata.tsv (header Label, Predicted, Score, Correct). */
export function parseMetadata(text: string): Pick<ExportData, "labels" | "predicted" | "scores" | "count"> {
  const lines = text.split("\n").filter((l) => l.length > 0);
  const header = lines.shift()?.split("\t") ?? [];
  const [iLabel, iPred, iScore] = ["Label", "Predicted", "Score"].map((h) => header.indexOf(h));
  if (iLabel < 0 || iPred < 0 || iScore < 0) {
    throw new DataError("metadata.tsv lacks the Label, Predicted and Score columns", "Re-run `fmnist export`.");
  }
  const count = lines.length;
  const labels = new Uint8Array(count);
  const predicted = new Uint8Array(count);
  const scores = new Float32Array(count);
  lines.forEach((line, i) => {
    const cells = line.split("\t");
    labels[i] = classIndex(cells[iLabel], i + 2);
    predicted[i] = classIndex(cells[iPred], i + 2);
    scores[i] = Number(cells[iScore]);
  });
  return {labels, predicted, scores, count};
}

async function load(): Promise<ExportData> {
  const [metadataText, projections, embeddings, sprite] = await Promise.all([
    fetchText(`${EXPORT_BASE}metadata.tsv`),
    fetchJson<ProjectionsFile>(`${EXPORT_BASE}projections.json`),
    fetchFloat32(`${EXPORT_BASE}embedding_tensors.bytes`),
    fetchGreyImage(`${EXPORT_BASE}sprite.png`)
  ]);
  const meta = parseMetadata(metadataText);
  if (projections.count !== meta.count) {
    throw new DataError(
      `projections.json has ${projections.count} points but metadata.tsv ${meta.count}`,
      "Re-run `fmnist export`."
    );
  }
  const dim = embeddings.length / meta.count;
  if (!Number.isInteger(dim)) {
    throw new DataError("embedding_tensors.bytes does not match metadata.tsv", "Re-run `fmnist export`.");
  }
  const cells = Math.floor(sprite.width / IMAGE_SIZE);
  if (sprite.width !== sprite.height || cells * cells < meta.count) {
    throw new DataError("sprite.png does not hold every test image", "Re-run `fmnist export`.");
  }
  return {
    ...meta,
    projections,
    embeddings,
    dim,
    sprite: {grey: sprite.grey, side: sprite.width, cells},
    spriteUrl: `${EXPORT_BASE}sprite.png`
  };
}

let cached: Promise<ExportData> | undefined;

/** The export, fetched once (a failed load is retried on the next call). */
export function loadExport(): Promise<ExportData> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Test image `index` as the model's input: 784 floats in [0, 1], exactly the dataset's pixels. */
export function testImage(data: ExportData, index: number): Float32Array {
  if (!Number.isInteger(index) || index < 0 || index >= data.count) {
    throw new DataError(`there is no test image ${index}`, `Pick one from 0 to ${data.count - 1}.`);
  }
  const {grey, side, cells} = data.sprite;
  const ox = (index % cells) * IMAGE_SIZE;
  const oy = Math.floor(index / cells) * IMAGE_SIZE;
  const out = new Float32Array(IMAGE_PIXELS);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) out[y * IMAGE_SIZE + x] = grey[(oy + y) * side + ox + x] / 255;
  }
  return out;
}
