import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {gunzipSync, gzipSync} from "node:zlib";

import {afterAll, beforeAll, describe, expect, it, vi} from "vitest";

import {DATASET_FILES, IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {
  DEBIAN_DATA_DIR,
  loadFashionMnist,
  readDatasetFile,
  resolveDataDir
} from "../../src/node/data/loadFashionMnist.js";
import {UserError, FormatError} from "../../src/core/errors.js";
import {exitCodeOf} from "../../src/cli/exitCodes.js";
import {makeIdx, makeSplitFiles} from "./makeIdx.js";
import {rejection} from "../helpers/rejection.js";

const TEST = DATASET_FILES.test;
const TRAIN = DATASET_FILES.train;

let root: string;
let counter = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fmnist-load-"));
});
afterAll(() => {
  rmSync(root, {recursive: true, force: true});
});

/** A fresh empty directory under the test's tmp dir. */
function freshDir(): string {
  const dir = join(root, `d${counter++}`);
  mkdirSync(dir);
  return dir;
}

/** Writes `files` (name → bytes) into a fresh directory; the real files are linked, never copied. */
function dirWith(files: Record<string, Uint8Array>, realLinks: string[] = []): string {
  const dir = freshDir();
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  for (const name of realLinks) symlinkSync(join(DEBIAN_DATA_DIR, name), join(dir, name));
  return dir;
}

const realTestLabels = (): Uint8Array => gunzipSync(readFileSync(join(DEBIAN_DATA_DIR, TEST.labels.file)));

describe("loadFashionMnist(split, options) on the real files", () => {
  it("loads the first 100 test images (784 bytes each) and labels in 0..9", async () => {
    const split = await loadFashionMnist("test", {limit: 100, env: {}});
    expect(split.count).toBe(100);
    expect(split.images.length).toBe(100 * IMAGE_PIXELS);
    expect(split.labels.length).toBe(100);
    expect(split.labels.every((l) => l <= 9)).toBe(true);
    // Not all one class, and real images: some background (0) and some full-intensity pixels.
    expect(new Set(split.labels).size).toBeGreaterThan(5);
    expect(split.images.includes(0)).toBe(true);
    expect(split.images.includes(255)).toBe(true);
  });

  it("returns exactly the bytes in the file: the first test label is 9 (Ankle boot)", async () => {
    const raw = realTestLabels();
    expect(raw[8]).toBe(9); // after the 8-byte header
    const split = await loadFashionMnist("test", {limit: 100, env: {}});
    expect(Array.from(split.labels)).toEqual(Array.from(raw.subarray(8, 108)));
    expect(split.labels[0]).toBe(9);
    const rawImages = gunzipSync(readFileSync(join(DEBIAN_DATA_DIR, TEST.images.file)));
    expect(Buffer.from(split.images).equals(rawImages.subarray(16, 16 + 100 * IMAGE_PIXELS))).toBe(true);
  });

  it("loads the whole test split without a limit", async () => {
    const split = await loadFashionMnist("test", {dataDir: DEBIAN_DATA_DIR});
    expect(split.count).toBe(TEST.count);
    expect(split.images.length).toBe(TEST.count * IMAGE_PIXELS);
    // Fashion-MNIST's test set is balanced: 1000 of each class.
    const perClass = new Array<number>(10).fill(0);
    for (const l of split.labels) perClass[l]++;
    expect(perClass).toEqual(new Array(10).fill(1000));
  });

  it("verifies the SHA-256 and size of all four real files", async () => {
    for (const spec of [TEST.labels, TEST.images, TRAIN.labels, TRAIN.images]) {
      const bytes = await readDatasetFile(DEBIAN_DATA_DIR, spec, true);
      expect(bytes.length, spec.file).toBe(spec.bytes);
    }
  });
});

describe("readDatasetFile(dir, spec, verify) and loadFashionMnist(split, options) on damaged copies", () => {
  it("accepts the uncompressed variant of a file (name without .gz)", async () => {
    const dir = dirWith({"t10k-labels-idx1-ubyte": realTestLabels()}, [TEST.images.file]);
    const bytes = await readDatasetFile(dir, TEST.labels, true);
    expect(bytes.length).toBe(TEST.labels.bytes);
    const split = await loadFashionMnist("test", {dataDir: dir, limit: 3});
    expect(Array.from(split.labels)).toEqual([9, 2, 1]);
  });

  it("prefers the .gz file when both variants exist", async () => {
    const broken = realTestLabels().slice(0, 100);
    const dir = dirWith({"t10k-labels-idx1-ubyte": broken}, [TEST.labels.file]);
    expect((await readDatasetFile(dir, TEST.labels, true)).length).toBe(TEST.labels.bytes);
  });

  it("rejects a truncated gzip file with a FormatError naming the path", async () => {
    const gz = readFileSync(join(DEBIAN_DATA_DIR, TEST.labels.file));
    const dir = dirWith({[TEST.labels.file]: gz.subarray(0, gz.length >> 1)}, [TEST.images.file]);
    const path = join(dir, TEST.labels.file);
    const error = await rejection(readDatasetFile(dir, TEST.labels, false), FormatError);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/corrupt or truncated gzip/);
    const viaLoad = await rejection(loadFashionMnist("test", {dataDir: dir}), FormatError);
    expect(viaLoad.message).toContain(path);
  });

  it("rejects a file with one flipped byte: SHA-256 mismatch", async () => {
    const labels = realTestLabels();
    labels[5000] ^= 0x01; // label 5000 changes to another valid class: only the checksum can tell
    const dir = dirWith({[TEST.labels.file]: gzipSync(labels)}, [TEST.images.file]);
    const error = await rejection(loadFashionMnist("test", {dataDir: dir}), FormatError);
    expect(error.message).toContain(join(dir, TEST.labels.file));
    expect(error.message).toContain("SHA-256 mismatch");
    expect(error.message).toContain(`expected ${TEST.labels.sha256.slice(0, 16)}`);
    // Without verification the same file loads.
    const split = await loadFashionMnist("test", {dataDir: dir, verify: false});
    expect(split.count).toBe(TEST.count);
  });

  it("with verify: false, a wrong-length gzipped file gives the parseIdx truncation error naming the file", async () => {
    const {images, labels} = makeSplitFiles(4);
    const dir = dirWith({
      [TEST.images.file]: gzipSync(images.subarray(0, images.length - 28)),
      [TEST.labels.file]: gzipSync(labels)
    });
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), FormatError);
    expect(error.message).toBe(
      `${join(dir, TEST.images.file)}: truncated: header declares 4x28x28 = 3136 bytes of data, file has 3108`
    );
  });

  it("with verify: false, a wrong-length uncompressed file gives the truncation error naming that file", async () => {
    const {images, labels} = makeSplitFiles(4);
    const dir = dirWith({
      "t10k-images-idx3-ubyte": images,
      "t10k-labels-idx1-ubyte": labels.subarray(0, labels.length - 1)
    });
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), FormatError);
    expect(error.message).toBe(
      `${join(dir, "t10k-labels-idx1-ubyte")}: truncated: header declares 4 = 4 bytes of data, file has 3`
    );
  });

  it("with verify: false, loads small synthetic files of the right format", async () => {
    const {images, labels} = makeSplitFiles(12);
    const dir = dirWith({[TRAIN.images.file]: gzipSync(images), "train-labels-idx1-ubyte": labels});
    const split = await loadFashionMnist("train", {dataDir: dir, verify: false});
    expect(split.count).toBe(12);
    expect(Array.from(split.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(Array.from(split.images.subarray(0, 3))).toEqual([0, 1, 2]);
    const limited = await loadFashionMnist("train", {dataDir: dir, verify: false, limit: 5});
    expect(limited.count).toBe(5);
    expect(limited.images.length).toBe(5 * IMAGE_PIXELS);
    expect(Array.from(limited.labels)).toEqual([0, 1, 2, 3, 4]);
    // A limit above the count keeps everything.
    expect((await loadFashionMnist("train", {dataDir: dir, verify: false, limit: 1000})).count).toBe(12);
  });

  it("with verify: true, rejects synthetic files: they are not Fashion-MNIST", async () => {
    const {images, labels} = makeSplitFiles(2);
    const dir = dirWith({[TEST.images.file]: images, [TEST.labels.file]: labels});
    const error = await rejection(loadFashionMnist("test", {dataDir: dir}), FormatError);
    expect(error.message).toMatch(/SHA-256 mismatch/);
    expect(error.message).toMatch(/\d+ bytes vs (7840016|10008)/);
  });

  it("rejects a labels file given as the images file (wrong magic), naming the file", async () => {
    const {labels} = makeSplitFiles(3);
    const dir = dirWith({[TEST.images.file]: labels, [TEST.labels.file]: labels});
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), FormatError);
    expect(error.message).toContain(join(dir, TEST.images.file));
    expect(error.message).toContain("expected magic 2051");
    expect(error.message).toContain("got 2049");
  });

  it("rejects images that are not 28x28", async () => {
    const dir = dirWith({
      [TEST.images.file]: makeIdx([2, 32, 32]),
      [TEST.labels.file]: makeIdx([2], {data: Uint8Array.from([1, 2])})
    });
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), FormatError);
    expect(error.message).toMatch(/expected items of 28x28, got 32x32/);
  });

  it("rejects a label outside 0..9, giving its value and index", async () => {
    const dir = dirWith({
      [TEST.images.file]: makeIdx([3, 28, 28]),
      [TEST.labels.file]: makeIdx([3], {data: Uint8Array.from([1, 2, 10])})
    });
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), FormatError);
    expect(error.message).toBe(`${join(dir, TEST.labels.file)}: label 10 at index 2 is not in 0..9`);
  });

  it("rejects a missing file with a UserError naming it", async () => {
    const {images} = makeSplitFiles(2);
    const dir = dirWith({[TEST.images.file]: images});
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), UserError);
    expect(error).not.toBeInstanceOf(FormatError);
    expect(exitCodeOf(error)).toBe(1);
    expect(error.message).toContain(join(dir, TEST.labels.file));
    expect(error.message).toContain(join(dir, "t10k-labels-idx1-ubyte"));
  });

  it("rejects a directory that does not exist with a UserError naming the file", async () => {
    const dir = join(root, "does-not-exist");
    const error = await rejection(loadFashionMnist("train", {dataDir: dir}), UserError);
    expect(error.message).toMatch(/^Missing dataset file /);
    expect(error.message).toContain(dir);
  });

  it("rejects an unreadable path (a directory where the file should be) with a UserError naming it", async () => {
    const dir = freshDir();
    mkdirSync(join(dir, TEST.labels.file));
    const error = await rejection(readDatasetFile(dir, TEST.labels), UserError);
    expect(error.message).toContain(`Cannot read ${join(dir, TEST.labels.file)}`);
  });

  it("rejects image and label files with different counts", async () => {
    const dir = dirWith({
      [TEST.images.file]: makeSplitFiles(5).images,
      [TEST.labels.file]: makeSplitFiles(4).labels
    });
    const error = await rejection(loadFashionMnist("test", {dataDir: dir, verify: false}), FormatError);
    expect(error.message).toBe(`${dir}: test has 5 images but 4 labels; the files do not belong together`);
  });
});

describe("resolveDataDir(options)", () => {
  it("uses an explicit dataDir over FASHION_MNIST_DIR and Debian's directory", () => {
    expect(resolveDataDir({dataDir: "/explicit", env: {FASHION_MNIST_DIR: "/from-env"}})).toBe("/explicit");
  });

  it("uses FASHION_MNIST_DIR over Debian's directory", () => {
    expect(resolveDataDir({env: {FASHION_MNIST_DIR: "/from-env"}})).toBe("/from-env");
  });

  it("falls back to Debian's directory when neither is given", () => {
    expect(resolveDataDir({env: {}})).toBe(DEBIAN_DATA_DIR);
    expect(resolveDataDir({dataDir: "", env: {FASHION_MNIST_DIR: ""}})).toBe(DEBIAN_DATA_DIR);
  });

  it("reads FASHION_MNIST_DIR from process.env by default", () => {
    vi.stubEnv("FASHION_MNIST_DIR", "/from-process-env");
    try {
      expect(resolveDataDir()).toBe("/from-process-env");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("loadFashionMnist reads from the directory FASHION_MNIST_DIR names", async () => {
    const {images, labels} = makeSplitFiles(3);
    const dir = dirWith({[TEST.images.file]: images, [TEST.labels.file]: labels});
    const split = await loadFashionMnist("test", {env: {FASHION_MNIST_DIR: dir}, verify: false});
    expect(split.count).toBe(3);
  });

  it("throws a UserError saying how to get the dataset when it is nowhere", async () => {
    vi.resetModules();
    vi.doMock("node:fs", async (importOriginal) => ({...(await importOriginal<object>()), existsSync: () => false}));
    try {
      const fresh = await import("../../src/node/data/loadFashionMnist.js");
      const freshErrors = await import("../../src/core/errors.js");
      expect(() => fresh.resolveDataDir({env: {}})).toThrow(freshErrors.UserError);
      expect(() => fresh.resolveDataDir({env: {}})).toThrow(/Fashion-MNIST not found in .*--data-dir DIR/);
      // Only ways that exist: there is no `fmnist download` command.
      expect(() => fresh.resolveDataDir({env: {}})).not.toThrow(/fmnist download/);
    } finally {
      vi.doUnmock("node:fs");
      vi.resetModules();
    }
  });
});
