/**
 * `fmnist export`: one forward pass over the test images gives the embeddings and predictions;
 * then the Projector files, our PCA / t-SNE / UMAP projections with their quality numbers, and
 * pictures. Everything is written into a temporary folder that replaces `--out` at the end, and
 * the same inputs and seed give byte-identical files (timings go to stderr only).
 */
import {selectBackend, type BackendName} from "../../node/backend/selectBackend.js";
import {normalise} from "../../core/data/dataset.js";
import {CLASS_NAMES, DATASET_FILES, IMAGE_PIXELS} from "../../core/data/fashionMnist.js";
import {firstTrainingRow, imagesOf, loadExportRows, splitRows, type ExportSplit} from "../../node/data/exportRows.js";
import {points} from "../../core/embed/points.js";
import {InterruptedError, UsageError, UserError} from "../../core/errors.js";
import {describe, scatterPng, spritePng, thumbnailsPng} from "../../node/pictures/projectorPictures.js";
import {ClaimedDir, type DirSpec} from "../../node/fs/atomicDir.js";
import {
  computeProjections,
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionsResult
} from "../../core/embed/projections.js";
import {bookmarksOf, projectorBookmarks} from "../../core/formats/projectorBookmarks.js";
import {
  FILES,
  metadataTsv,
  parseBaseUrl,
  pixelRows,
  projectorConfig,
  spriteLayout,
  tensorBytes,
  tensorTsv
} from "../../core/formats/projector.js";
import {DEFAULT_MODEL_DIR} from "../../node/model/defaultModel.js";
import {parallelKnn} from "../../node/embed/knnPool.js";
import {qualityPool} from "../../node/embed/qualityPool.js";
import {createTsneThreads} from "../../node/embed/tsneThreads.js";
import {createNativeUmap} from "../../node/embed/umapNative.js";
import {embedAll} from "../../core/model/embedding.js";
import {loadAnyModel} from "../../node/model/loadAnyModel.js";
import type {Effects} from "../../core/effects.js";
import {formatExportSummary, type ExportSummary} from "../format/exportSummary.js";
import {serialiseProjections} from "../../core/formats/projections.js";
import {
  DEFAULT_TRAINING_EXAMPLES,
  serialiseTrainingExamples,
  TRAINING_EXAMPLES_FILE
} from "../../core/formats/trainingExamples.js";
import {computeTrainingExamples, trainingExamplesFrom} from "../../node/embed/trainingExamples.js";

/** `fmnist serve` serves the export at /projector/ on port 8000 by default. */
export const DEFAULT_BASE_URL = "http://localhost:8000/projector";
/** An export folder: replaced only when fmnist wrote it (its marker lists every file). */
export const EXPORT_DIR: DirSpec = {kind: "export", option: "--out", label: "export"};
/** The fewest images: the quality measures compare 10 neighbours, UMAP needs 15. */
export const MIN_COUNT = 16;

export interface ExportOptions {
  /** Model folder, model.json or Keras .h5 file (default: the shipped model). */
  model?: string;
  /** Output folder (default "projector"). */
  out?: string;
  /** Which images: the test split (default), the training split or all 70,000 (test first). */
  split?: ExportSplit;
  /** Number of images, from the first (default: all of the split). */
  count?: number;
  /** Most rows of the pixel tensor (default PIXEL_ROWS_MAX; smaller in tests of the subset). */
  maxPixelRows?: number;
  /** Projections to compute (default all: pca, tsne, umap). */
  projections?: readonly ProjectionName[];
  /** Output dimensions of the projections (default [2, 3]). */
  dims?: readonly (2 | 3)[];
  /** Seed of t-SNE, UMAP and the quality samples (default 42). */
  seed?: number;
  /** Base URL the files will be served from, for config.json (default http://localhost:8000/projector). */
  baseUrl?: string;
  /** t-SNE iterations (default 1000). */
  tsneIterations?: number;
  /** Folder with the Fashion-MNIST files (default: see resolveDataDir). */
  dataDir?: string;
  /** Check the dataset's SHA-256 (default true). */
  verify?: boolean;
  /** Compute backend for the forward pass (default: tfjs-node if installed, else WASM). */
  backend?: BackendName;
  /** Training images shipped for the web app's nearest examples (default 10,000; 0: none). */
  trainingExamples?: number;
}

/** Parses `--projections pca,tsne,umap`. */
export function parseProjections(raw: string): ProjectionName[] {
  const names = raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = names.filter((n) => !(PROJECTION_NAMES as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) {
    throw new UsageError(`--projections takes a list of ${PROJECTION_NAMES.join(", ")}; got "${raw}"`);
  }
  return PROJECTION_NAMES.filter((n) => names.includes(n));
}

/** Parses `--dims 2,3`. */
export function parseDims(raw: string): (2 | 3)[] {
  const dims = raw.split(",").map((s) => s.trim());
  if (dims.length === 0 || dims.some((d) => d !== "2" && d !== "3")) {
    throw new UsageError(`--dims takes 2, 3 or 2,3; got "${raw}"`);
  }
  return ([2, 3] as const).filter((d) => dims.includes(String(d)));
}

export async function exportCommand(options: ExportOptions, effects: Effects): Promise<ExportSummary> {
  const {progress, signal} = effects;
  const splitName = options.split ?? "test";
  const maxCount = splitRows(splitName);
  const count = options.count ?? maxCount;
  if (!Number.isInteger(count) || count < MIN_COUNT || count > maxCount) {
    throw new UsageError(`--count must be an integer from ${MIN_COUNT} to ${maxCount}; got ${count}`);
  }
  spriteLayout(count); // refuse an oversized sprite before any work
  const maxExamples = DATASET_FILES.train.count;
  if (
    options.trainingExamples !== undefined &&
    !(options.trainingExamples >= 0 && options.trainingExamples <= maxExamples)
  ) {
    throw new UsageError(
      `--training-examples must be an integer from 0 to ${maxExamples}; got ${options.trainingExamples}`
    );
  }
  const projections = options.projections ?? PROJECTION_NAMES;
  const dims = options.dims ?? [2, 3];
  const seed = options.seed ?? 42;
  const baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const out = options.out ?? "projector";
  const timings: Record<string, number> = {};
  const stopCheck = () => {
    if (signal.aborted) throw new InterruptedError("export interrupted; nothing was written");
  };
  const time = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    stopCheck();
    const t0 = performance.now();
    const value = await fn();
    timings[step] = (performance.now() - t0) / 1000;
    return value;
  };

  const target = await ClaimedDir.claim(out, EXPORT_DIR);
  const {restored, removed} = target.recovery;
  for (const dir of restored)
    effects.log.warn(`put back the previous export from ${dir}, left by an interrupted export`);
  for (const dir of removed) effects.log.warn(`removed ${dir}, left by an interrupted export`);
  try {
    await selectBackend(options.backend);
    const modelPath = options.model ?? DEFAULT_MODEL_DIR;
    const {model} = await loadAnyModel(modelPath);
    const split = await loadExportRows(splitName, count, {dataDir: options.dataDir, verify: options.verify});
    if (split.count < count) {
      throw new UserError(`--count ${count}: the ${splitName} data has only ${split.count} images`);
    }
    const test = normalise(split);
    // A test export keeps its four metadata columns; the others say which split each row is from.
    const splitColumn = splitName === "test" ? undefined : split.splits;
    const pixels = Math.min(pixelRows(count), options.maxPixelRows ?? count);
    const exampleCount = options.trainingExamples ?? DEFAULT_TRAINING_EXAMPLES;
    // A train or all export whose rows hold the first training images has embedded them already:
    // take them from there, the same bytes (test/commands/exportSplit.test.ts), no second pass.
    const trainStart = firstTrainingRow(splitName);
    const inRows = trainStart !== undefined && count - trainStart >= exampleCount;
    const {embedded, examples} = await time("forward pass", async () => {
      progress.start("forward pass", test.count + (inRows ? 0 : exampleCount));
      try {
        const embedded = await embedAll(model, test, {batchSize: 250, onBatch: (done) => progress.update(done)});
        const examples =
          exampleCount === 0
            ? undefined
            : inRows
              ? trainingExamplesFrom(split, embedded, trainStart, exampleCount)
              : await computeTrainingExamples(model, exampleCount, {
                  dataDir: options.dataDir,
                  verify: options.verify,
                  onBatch: (done) => progress.update(test.count + done)
                });
        return {embedded, examples};
      } finally {
        progress.stop();
        model.dispose();
      }
    });
    let correct = 0;
    for (let i = 0; i < test.count; i++) if (embedded.predicted[i] === test.ys[i]) correct++;
    const x = points(embedded.embeddings, embedded.dim);

    const projected: ProjectionsResult = await computeProjections(x, test.ys, {
      projections,
      dims,
      seed,
      // Small exports: keep perplexity and neighbours below what the points allow.
      perplexity: Math.min(30, (count - 1) / 3),
      umapNeighbors: Math.min(15, count - 1),
      tsneIterations: options.tsneIterations,
      knn: parallelKnn,
      tsneThreads: createTsneThreads,
      umapRunner: () => createNativeUmap(),
      qualityMeasures: qualityPool(),
      progress,
      signal
    });
    Object.assign(timings, projected.timings);

    const files = await time("write files", () =>
      target.commit(async (writer) => {
        const put = async (name: string, data: string | Uint8Array | undefined) => {
          if (data === undefined) return;
          stopCheck();
          await writer.write(name, data);
        };
        await put(FILES.embeddingTsv, tensorTsv(embedded.embeddings, embedded.dim));
        await put(FILES.embeddingBytes, tensorBytes(embedded.embeddings));
        const pixelXs = test.xs.subarray(0, pixels * IMAGE_PIXELS);
        await put(FILES.rawTsv, tensorTsv(pixelXs, IMAGE_PIXELS));
        await put(FILES.rawBytes, tensorBytes(pixelXs));
        const metadata = (rows: number) =>
          metadataTsv(
            test.ys.subarray(0, rows),
            embedded.predicted.subarray(0, rows),
            embedded.probabilities,
            CLASS_NAMES,
            splitColumn?.subarray(0, rows)
          );
        await put(FILES.metadata, metadata(count));
        if (pixels < count) await put(FILES.pixelMetadata, metadata(pixels));
        await put(FILES.sprite, await spritePng(split.images, count));
        if (examples) await put(TRAINING_EXAMPLES_FILE, serialiseTrainingExamples(examples));
        const bookmarkLayouts = bookmarksOf(projected.results);
        await put(
          FILES.config,
          JSON.stringify(
            projectorConfig({
              count,
              dim: embedded.dim,
              layerName: embedded.layerName,
              baseUrl,
              bookmarks: bookmarkLayouts.length > 0,
              pixelRows: pixels
            }),
            null,
            2
          ) + "\n"
        );
        if (bookmarkLayouts.length > 0) {
          await put(FILES.bookmarks, JSON.stringify(projectorBookmarks(bookmarkLayouts, [count, embedded.dim])) + "\n");
        }
        await put(
          FILES.projections,
          serialiseProjections(projected, {count, seed, layerName: embedded.layerName, dim: embedded.dim})
        );
        for (const result of projected.results) {
          const subtitle = describe(result, imagesOf(splitName, count), seed, projected.referenceKnnAccuracy);
          const picture = {result, labels: test.ys, classNames: CLASS_NAMES, subtitle};
          await put(`${result.name}.png`, await scatterPng(picture));
          if (result.name === "tsne") await put("tsne_thumbs.png", await thumbnailsPng(picture, split.images));
        }
      })
    );

    const quality = Object.fromEntries(projected.results.map((r) => [r.name, r.quality]));
    const summary: ExportSummary = {
      out,
      count,
      split: splitName,
      files,
      timings,
      quality,
      referenceKnnAccuracy: projected.referenceKnnAccuracy,
      accuracy: correct / count
    };
    effects.log.info(formatExportSummary(summary, baseUrl));
    return summary;
  } finally {
    await target.release();
  }
}
