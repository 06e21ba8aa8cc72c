/**
 * `fmnist export` end to end on the first 200 test images with an untrained CNN (the files' form,
 * not the layouts' quality, is under test here; see test/embed/realEmbeddings.test.ts), then
 * `fmnist serve` on the result: config.json and every file it names, with CORS headers.
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import sharp from "sharp";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {selectBackend} from "../../src/node/backend/selectBackend.js";
import {exportCommand, parseDims, parseProjections} from "../../src/cli/commands/export.js";
import type {ExportSummary} from "../../src/cli/format/exportSummary.js";
import {serveCommand} from "../../src/cli/commands/serve.js";
import {UserError} from "../../src/core/errors.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {loadModel, saveModel} from "../../src/node/model/io.js";
import {normalise} from "../../src/core/data/dataset.js";
import {parseTrainingExamples, TRAINING_EXAMPLES_FILE} from "../../src/core/formats/trainingExamples.js";
import {embedAll} from "../../src/core/model/embedding.js";
import {loadFashionMnist} from "../../src/node/data/loadFashionMnist.js";
import type {StaticServer} from "../../src/node/server/staticServer.js";
import {recordingEffects} from "../helpers/effects.js";

const COUNT = 200;
const EXAMPLES = 300;
const root = mkdtempSync(join(tmpdir(), "fmnist-export-cmd-"));
const modelDir = join(root, "model");
const out = join(root, "projector");
const effects = recordingEffects();
const {lines} = effects;
let server: StaticServer;
let summary: ExportSummary;

const read = (name: string) => readFileSync(join(out, name));
const sha = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash("sha256")
          .update(readFileSync(join(dir, f)))
          .digest("hex")
      ])
  );

beforeAll(async () => {
  await selectBackend("wasm");
  await saveModel(createCnn({seed: 11}), modelDir);
  // Serve the (empty) output folder first so that config.json can name this server's port.
  mkdirSync(out);
  server = await serveCommand({dir: out, port: 0}, effects);
  summary = await exportCommand(
    {model: modelDir, out, count: COUNT, seed: 7, baseUrl: base(), trainingExamples: EXAMPLES},
    effects
  );
}, 240_000);

/** Where `fmnist serve` puts the export: /projector/ (beside the web app at /). */
function base(): string {
  return `${server.url}/projector`;
}

afterAll(async () => {
  await server?.close();
  rmSync(root, {recursive: true, force: true});
});

describe("exportCommand({count: 200})", () => {
  it("writes the Projector files, projections and pictures, and nothing else", () => {
    expect(readdirSync(out).sort()).toEqual(
      [
        ".fmnist-owned.json",
        "bookmarks.json",
        "config.json",
        "embedding_tensors.bytes",
        "embedding_tensors.tsv",
        "metadata.tsv",
        "pca.png",
        "projections.json",
        "raw_tensors.bytes",
        "raw_tensors.tsv",
        "sprite.png",
        "tsne.png",
        "training_examples.bin",
        "tsne_thumbs.png",
        "umap.png"
      ].sort()
    );
    expect(summary.count).toBe(COUNT);
    expect(Object.keys(summary.timings)).toEqual(
      expect.arrayContaining(["forward pass", "kNN", "t-SNE 2-D", "UMAP 3-D"])
    );
    expect(lines.join("\n")).toMatch(/time per step:[\s\S]*t-SNE 2-D/);
    // No temporary folder is left beside the output.
    expect(readdirSync(root).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("writes N rows of 64 and of 784 numbers, the same in TSV and in float32 bytes", () => {
    for (const [name, dim] of [
      ["embedding_tensors", 64],
      ["raw_tensors", 784]
    ] as const) {
      const rows = read(`${name}.tsv`).toString().trimEnd().split("\n");
      expect(rows).toHaveLength(COUNT);
      const values = rows.map((r) => r.split("\t").map(Number));
      expect(values.every((r) => r.length === dim && r.every(Number.isFinite))).toBe(true);
      const bytes = read(`${name}.bytes`);
      expect(bytes.length).toBe(COUNT * dim * 4);
      const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      expect(Math.fround(values[5][3])).toBe(floats[5 * dim + 3]);
      expect(Math.fround(values[COUNT - 1][dim - 1])).toBe(floats[COUNT * dim - 1]);
    }
    const pixels = read("raw_tensors.tsv")
      .toString()
      .split(/[\t\n]/)
      .filter(Boolean)
      .map(Number);
    expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("writes metadata with a header and one row of four columns per image", () => {
    const rows = read("metadata.tsv").toString().trimEnd().split("\n");
    expect(rows[0]).toBe("Label\tPredicted\tScore\tCorrect");
    expect(rows).toHaveLength(COUNT + 1);
    expect(rows.slice(1).every((r) => /^[^\t]+\t[^\t]+\t\d\.\d{4}\t(yes|no)$/.test(r))).toBe(true);
    expect(rows[1].split("\t")[0]).toBe("Ankle boot"); // the first test image
  });

  it("ships the first 300 training images with their labels and the model's embeddings of them", async () => {
    const examples = parseTrainingExamples(new Uint8Array(read(TRAINING_EXAMPLES_FILE)), "x");
    const train = await loadFashionMnist("train", {limit: EXAMPLES});
    expect([examples.first, examples.count, examples.dims]).toEqual([0, EXAMPLES, 64]);
    expect(examples.labels).toEqual(Uint8Array.from(train.labels.subarray(0, EXAMPLES)));
    expect(examples.pixels).toEqual(Uint8Array.from(train.images.subarray(0, EXAMPLES * 784)));
    // Row 7's embedding is the model's for training image 7.
    const model = await loadModel(modelDir);
    const one = await embedAll(model, normalise({...train, count: EXAMPLES}), {batchSize: 250});
    model.dispose();
    const row = (data: Float32Array) => Array.from(data.subarray(7 * 64, 8 * 64));
    expect(row(examples.embeddings)).toEqual(row(one.embeddings));
  });

  it("writes a square grayscale sprite of 15 x 15 thumbnails", async () => {
    const meta = await sharp(read("sprite.png")).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([420, 420, 1]);
  });

  it("writes config.json in the Projector's format with absolute URLs on --base-url", () => {
    const config = JSON.parse(read("config.json").toString()) as {
      embeddings: {
        tensorShape: number[];
        tensorPath: string;
        metadataPath: string;
        bookmarksPath?: string;
        sprite: {imagePath: string; singleImageDim: number[]};
      }[];
    };
    expect(config.embeddings.map((e) => e.tensorShape)).toEqual([
      [COUNT, 64],
      [COUNT, 784]
    ]);
    for (const e of config.embeddings) {
      for (const url of [e.tensorPath, e.metadataPath, e.sprite.imagePath, e.bookmarksPath ?? e.tensorPath]) {
        expect(url.startsWith(`${server.url}/`)).toBe(true);
      }
      expect(e.sprite.singleImageDim).toEqual([28, 28]);
    }
  });

  it("writes projections.json with 2-D and 3-D coordinates, parameters, seed and quality", () => {
    const p = JSON.parse(read("projections.json").toString()) as {
      count: number;
      seed: number;
      projections: Record<
        string,
        {parameters: object; quality: {trustworthiness: number}; "2d": number[][]; "3d": number[][]}
      >;
    };
    expect(p.count).toBe(COUNT);
    expect(p.seed).toBe(7);
    expect(Object.keys(p.projections)).toEqual(["pca", "tsne", "umap"]);
    for (const proj of Object.values(p.projections)) {
      expect(proj["2d"]).toHaveLength(COUNT);
      expect(proj["3d"]).toHaveLength(COUNT);
      expect(proj["2d"].every((r) => r.length === 2)).toBe(true);
      expect(proj["3d"].every((r) => r.length === 3)).toBe(true);
      expect(proj.quality.trustworthiness).toBeGreaterThan(0);
    }
    const bookmarks = JSON.parse(read("bookmarks.json").toString()) as {label: string; projections: object[]}[];
    expect(bookmarks.map((b) => b.label)).toEqual([
      "t-SNE 2-D (fmnist export)",
      "t-SNE 3-D (fmnist export)",
      "UMAP 2-D (fmnist export)",
      "UMAP 3-D (fmnist export)",
      "PCA 2-D (fmnist export)",
      "PCA 3-D (fmnist export)"
    ]);
    expect(bookmarks.every((b) => b.projections.length === COUNT)).toBe(true);
  });

  it("draws the pictures", async () => {
    for (const name of ["pca.png", "tsne.png", "umap.png", "tsne_thumbs.png"]) {
      const meta = await sharp(read(name)).metadata();
      expect(meta.width).toBeGreaterThan(900);
    }
  });

  it("serves config.json and every file it names with a CORS header", async () => {
    const configUrl = `${base()}/config.json`;
    const config = await fetch(configUrl);
    expect(config.status).toBe(200);
    expect(config.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await config.json()) as {
      embeddings: {tensorPath: string; metadataPath: string; bookmarksPath?: string; sprite: {imagePath: string}}[];
    };
    const urls = new Set(
      body.embeddings.flatMap((e) => [
        e.tensorPath,
        e.metadataPath,
        e.sprite.imagePath,
        ...(e.bookmarksPath ? [e.bookmarksPath] : [])
      ])
    );
    expect(urls.size).toBe(5);
    for (const url of urls) {
      const r = await fetch(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(bytes.equals(read(url.slice(url.lastIndexOf("/") + 1)))).toBe(true);
    }
    expect(lines.some((l) => l.includes(`projector.tensorflow.org/?config=${base()}/config.json`))).toBe(true);
  });

  it("is byte-identical on a re-run with the same seed", async () => {
    const before = sha(out);
    await exportCommand(
      {model: modelDir, out, count: COUNT, seed: 7, baseUrl: base(), trainingExamples: EXAMPLES},
      effects
    );
    expect(sha(out)).toEqual(before);
  }, 240_000);
});

/** Effects whose signal is already aborted, as after Ctrl-C. */
function stopped() {
  const e = recordingEffects();
  e.stop();
  return e;
}

describe("exportCommand refusals", () => {
  it("refuses to replace a folder that holds something else, and leaves it as it was", async () => {
    const other = join(root, "other");
    mkdirSync(other);
    writeFileSync(join(other, "precious.txt"), "keep me");
    await expect(
      exportCommand({model: modelDir, out: other, count: 20, projections: ["pca"], dims: [2]}, effects)
    ).rejects.toThrow(/not empty and holds no export written by fmnist/);
    expect(readdirSync(other)).toEqual(["precious.txt"]);
    expect(readdirSync(root).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("writes nothing when interrupted", async () => {
    const target = join(root, "interrupted");
    await expect(
      exportCommand({model: modelDir, out: target, count: 120, projections: ["tsne"], dims: [2]}, stopped())
    ).rejects.toThrow(/interrupted/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(root).filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("handles the smallest export, lowering perplexity and neighbours to fit", async () => {
    const tiny = join(root, "tiny");
    const result = await exportCommand({model: modelDir, out: tiny, count: 16, dims: [2]}, effects);
    expect(result.count).toBe(16);
    const p = JSON.parse(readFileSync(join(tiny, "projections.json"), "utf8")) as {
      projections: {
        tsne: {parameters: {perplexity: number}};
        umap: {parameters: {nNeighbors: number}; "2d": number[][]};
      };
    };
    expect(p.projections.tsne.parameters.perplexity).toBe(5);
    expect(p.projections.umap.parameters.nNeighbors).toBe(15);
    expect(p.projections.umap["2d"]).toHaveLength(16);
  });

  it("checks --count, --projections, --dims and --base-url", async () => {
    await expect(exportCommand({model: modelDir, count: 15}, effects)).rejects.toThrow(
      /--count must be an integer from 16 to 10000/
    );
    await expect(exportCommand({model: modelDir, baseUrl: "ftp://x"}, effects)).rejects.toThrow(UserError);
    expect(parseProjections("umap, PCA")).toEqual(["pca", "umap"]);
    expect(() => parseProjections("tsne,mds")).toThrow(/pca, tsne, umap/);
    expect(parseDims("3,2")).toEqual([2, 3]);
    expect(() => parseDims("4")).toThrow(/2, 3 or 2,3/);
  });
});
