/**
 * Finds, reads, verifies and parses the Fashion-MNIST files (Node only).
 * Lookup order: explicit directory (`--data-dir`), `FASHION_MNIST_DIR`, Debian's
 * `/usr/share/datasets/fashion-mnist`, then a per-user cache, which `downloadFashionMnist` fills.
 */
import {createHash} from "node:crypto";
import {existsSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {homedir} from "node:os";
import {join} from "node:path";
import {gunzipSync} from "node:zlib";

import {UserError, FormatError} from "../../core/errors.js";
import {isEnoent} from "../fs/errno.js";
import {
  DATASET_FILES,
  IMAGE_SIZE,
  NUM_CLASSES,
  type DatasetFile,
  type FashionMnistSplit,
  type SplitName
} from "../../core/data/fashionMnist.js";
import {parseIdx} from "../../core/data/idx.js";

export const DEBIAN_DATA_DIR = "/usr/share/datasets/fashion-mnist";

/** Per-user cache directory for a downloaded copy of the dataset. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "fmnist-vis", "fashion-mnist");
}

/** Options for {@link resolveDataDir} and {@link loadFashionMnist}. */
export interface DataDirOptions {
  /** Directory given by the user; wins over everything else. */
  dataDir?: string;
  /** Environment to read `FASHION_MNIST_DIR` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

function hasAllFiles(dir: string): boolean {
  return Object.values(DATASET_FILES).every(
    (s) => existsSync(join(dir, s.images.file)) || existsSync(join(dir, s.images.file.replace(/\.gz$/, "")))
  );
}

/** Returns the directory holding the dataset, or throws a {@link UserError} that says how to get it. */
export function resolveDataDir(options: DataDirOptions = {}): string {
  if (options.dataDir) return options.dataDir;
  const env = options.env ?? process.env;
  if (env.FASHION_MNIST_DIR) return env.FASHION_MNIST_DIR;
  for (const dir of [DEBIAN_DATA_DIR, cacheDir()]) if (hasAllFiles(dir)) return dir;
  throw new UserError(
    `Fashion-MNIST not found in ${DEBIAN_DATA_DIR} or ${cacheDir()}. ` +
      "Install it with `sudo apt-get install dataset-fashion-mnist` or pass --data-dir DIR (a folder with the four *-ubyte.gz files)."
  );
}

/** Reads one dataset file (gzipped or not), checks its SHA-256, and returns the gunzipped bytes. */
export async function readDatasetFile(dir: string, spec: DatasetFile, verify = true): Promise<Uint8Array> {
  return (await readDatasetFileWithPath(dir, spec, verify)).bytes;
}

/** {@link readDatasetFile}, also returning the path actually read (the `.gz` file or the uncompressed one). */
async function readDatasetFileWithPath(
  dir: string,
  spec: DatasetFile,
  verify: boolean
): Promise<{bytes: Uint8Array; path: string}> {
  const gz = join(dir, spec.file);
  const plain = gz.replace(/\.gz$/, "");
  let bytes: Uint8Array;
  let path = gz;
  try {
    bytes = await readFile(gz);
  } catch (error) {
    if (!isEnoent(error)) throw new UserError(`Cannot read ${gz}: ${(error as Error).message}`, {cause: error});
    path = plain;
    try {
      bytes = await readFile(plain);
    } catch (error2) {
      if (isEnoent(error2)) throw new UserError(`Missing dataset file ${gz} (or ${plain}); see --data-dir.`);
      throw new UserError(`Cannot read ${plain}: ${(error2 as Error).message}`, {cause: error2});
    }
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, {maxOutputLength: 64 * 1024 * 1024});
    } catch (error) {
      throw new FormatError(`${path}: corrupt or truncated gzip data (${(error as Error).message})`, {cause: error});
    }
  }
  if (verify) {
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (digest !== spec.sha256) {
      throw new FormatError(
        `${path}: SHA-256 mismatch (got ${digest.slice(0, 16)}…, expected ${spec.sha256.slice(0, 16)}…, ` +
          `${bytes.length} bytes vs ${spec.bytes}); the file is damaged or not Fashion-MNIST. ` +
          "Reinstall it (apt-get install --reinstall dataset-fashion-mnist), or pass --no-verify to use it anyway."
      );
    }
  }
  return {bytes, path};
}

/** Options for {@link loadFashionMnist}. */
export interface LoadOptions extends DataDirOptions {
  /** Check SHA-256 of every file (default true). */
  verify?: boolean;
  /** Keep only the first `limit` examples. */
  limit?: number;
}

/** Loads one split; every failure is a one-line {@link UserError} naming the file. */
export async function loadFashionMnist(split: SplitName, options: LoadOptions = {}): Promise<FashionMnistSplit> {
  const dir = resolveDataDir(options);
  const spec = DATASET_FILES[split];
  const verify = options.verify ?? true;
  // Read in parallel, but when both fail report the images file: Promise.all would report
  // whichever failed first, which varies from run to run.
  const [imageRead, labelRead] = await Promise.allSettled([
    readDatasetFileWithPath(dir, spec.images, verify),
    readDatasetFileWithPath(dir, spec.labels, verify)
  ]);
  if (imageRead.status === "rejected") throw imageRead.reason;
  if (labelRead.status === "rejected") throw labelRead.reason;
  const [imageFile, labelFile] = [imageRead.value, labelRead.value];
  const images = parseIdx(imageFile.bytes, {name: imageFile.path, rank: 3, innerShape: [IMAGE_SIZE, IMAGE_SIZE]});
  const labels = parseIdx(labelFile.bytes, {name: labelFile.path, rank: 1});
  if (images.shape[0] !== labels.shape[0]) {
    throw new FormatError(
      `${dir}: ${split} has ${images.shape[0]} images but ${labels.shape[0]} labels; the files do not belong together`
    );
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] >= NUM_CLASSES) {
      throw new FormatError(`${labelFile.path}: label ${labels.data[i]} at index ${i} is not in 0..9`);
    }
  }
  const count = Math.min(images.shape[0], options.limit ?? Infinity);
  return {
    images: images.data.subarray(0, count * IMAGE_SIZE * IMAGE_SIZE),
    labels: labels.data.subarray(0, count),
    count
  };
}
