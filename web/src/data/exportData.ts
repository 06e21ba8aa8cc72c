/**
 * The export folder served at /projector/ (written by `fmnist export`): metadata, projections,
 * 64-d embeddings and the sprite of all test images. Loaded once and shared by every view.
 */
import {CLASS_NAMES, IMAGE_PIXELS, IMAGE_SIZE} from "../../../src/core/data/fashionMnist.js";
import {FormatError} from "../../../src/core/errors.js";
import {mountedUrl} from "../../../src/core/formats/mounts.js";
import {parseProjections, type ProjectionsFile} from "../../../src/core/formats/projections.js";
import {FILES, parseMetadataTsv, type MetadataColumns} from "../../../src/core/formats/projector.js";
import {DataError, fetchFloat32, fetchGreyImage, fetchJson, fetchText, once} from "./fetchData.js";

export interface ExportData extends MetadataColumns {
  projections: ProjectionsFile;
  /** Embedding rows (count × dim), row-major. */
  embeddings: Float32Array;
  dim: number;
  /** The sprite's grey pixels and its grid (cells × cells images of 28×28). */
  sprite: {grey: Uint8Array; side: number; cells: number};
  /** The sprite as served, for textures and thumbnails. */
  spriteUrl: string;
}

const REEXPORT = "Re-run `fmnist export`.";

/** A file of the export, relative to the app. */
const url = (file: string) => mountedUrl("projector", file);

/** Parses with a core parser; a FormatError becomes a DataError that says how to fix it. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof FormatError) throw new DataError(error.message, REEXPORT);
    throw error;
  }
}

async function load(): Promise<ExportData> {
  const [metadataText, projectionsJson, embeddings, sprite] = await Promise.all([
    fetchText(url(FILES.metadata)),
    fetchJson<unknown>(url(FILES.projections)),
    fetchFloat32(url(FILES.embeddingBytes)),
    fetchGreyImage(url(FILES.sprite))
  ]);
  const meta = parsed(() => parseMetadataTsv(metadataText, CLASS_NAMES));
  const projections = parsed(() => parseProjections(projectionsJson));
  if (projections.count !== meta.count) {
    throw new DataError(`projections.json has ${projections.count} points but metadata.tsv ${meta.count}`, REEXPORT);
  }
  const dim = embeddings.length / meta.count;
  if (!Number.isInteger(dim)) {
    throw new DataError("embedding_tensors.bytes does not match metadata.tsv", REEXPORT);
  }
  const cells = Math.floor(sprite.width / IMAGE_SIZE);
  if (sprite.width !== sprite.height || cells * cells < meta.count) {
    throw new DataError("sprite.png does not hold every image", REEXPORT);
  }
  return {
    ...meta,
    projections,
    embeddings,
    dim,
    sprite: {grey: sprite.grey, side: sprite.width, cells},
    spriteUrl: url(FILES.sprite)
  };
}

/** The export, fetched once (a failed load is retried on the next call). */
export const loadExport = once(load);

/**
 * How the app names row `index`: "test image 7", or in an export of `--split train|all` by its own
 * split and its index there ("training image 12" is row 10,012 of an `all` export).
 */
export function imageName(data: ExportData, index: number): string {
  if (!data.splits || data.splits[index] === 0) return `test image ${index}`;
  const first = data.splits.indexOf(1);
  return `training image ${index - first}`;
}

/** How the app names the rows together: "test images", "training images" or "images". */
export function imagesName(data: ExportData): string {
  if (!data.splits) return "test images";
  const hasTest = data.splits.includes(0);
  const hasTrain = data.splits.includes(1);
  return hasTest && hasTrain ? "images" : hasTrain ? "training images" : "test images";
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
