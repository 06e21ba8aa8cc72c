/**
 * `fmnist export`: one forward pass over the test images gives the embeddings and predictions;
 * then the Projector files, our PCA / t-SNE / UMAP projections with their quality numbers, and
 * pictures. Everything is written into a temporary folder that replaces `--out` at the end, and
 * the same inputs and seed give byte-identical files (timings go to stderr only).
 */
import {selectBackend, type BackendName} from "../backend/selectBackend.js";
import {normalise} from "../data/dataset.js";
import {CLASS_NAMES, DATASET_FILES, IMAGE_PIXELS} from "../data/fashionMnist.js";
import {loadFashionMnist} from "../data/loadFashionMnist.js";
import {points} from "../embed/points.js";
import {CliError, InterruptedError} from "../errors.js";
import {describe, scatterPng, thumbnailsPng} from "../export/pictures.js";
import {
  computeProjections,
  PROJECTION_NAMES,
  QUALITY_K,
  type ProjectionName,
  type ProjectionsResult
} from "../export/projections.js";
import {
  decimalsFor,
  FILES,
  metadataTsv,
  parseBaseUrl,
  projectorBookmarks,
  projectorConfig,
  roundedRows,
  spriteLayout,
  spritePng,
  tensorBytes,
  tensorTsv,
  type BookmarkLayout
} from "../export/projector.js";
import {ClaimedDir, type DirSpec} from "../io/atomicDir.js";
import {DEFAULT_MODEL_DIR} from "../model/defaultModel.js";
import {embedAll} from "../model/embedding.js";
import {loadAnyModel} from "../model/loadAnyModel.js";
import {silentProgress, type Progress} from "../progress.js";
import {formatDuration, type Logger} from "../tty.js";

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
  /** Number of test images, from the first (default 10,000: all). */
  count?: number;
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
  /** Compute backend for the forward pass (default: tfjs-node if installed, else WASM). */
  backend?: BackendName;
}

export interface ExportEffects {
  logger: Logger;
  progress?: Progress;
  /** Polled during long steps; true aborts the export (nothing is written). */
  shouldStop?: () => boolean;
}

export interface ExportSummary {
  out: string;
  count: number;
  files: string[];
  /** Seconds per step. */
  timings: Record<string, number>;
  quality: Record<string, {trustworthiness: number; knnAccuracy: number}>;
  referenceKnnAccuracy: number;
  accuracy: number;
}

/** Parses `--projections pca,tsne,umap`. */
export function parseProjections(raw: string): ProjectionName[] {
  const names = raw
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = names.filter((n) => !(PROJECTION_NAMES as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0) {
    throw new CliError(`--projections takes a list of ${PROJECTION_NAMES.join(", ")}; got "${raw}"`, {exitCode: 2});
  }
  return PROJECTION_NAMES.filter((n) => names.includes(n));
}

/** Parses `--dims 2,3`. */
export function parseDims(raw: string): (2 | 3)[] {
  const dims = raw.split(",").map((s) => s.trim());
  if (dims.length === 0 || dims.some((d) => d !== "2" && d !== "3")) {
    throw new CliError(`--dims takes 2, 3 or 2,3; got "${raw}"`, {exitCode: 2});
  }
  return ([2, 3] as const).filter((d) => dims.includes(String(d)));
}

export async function exportCommand(options: ExportOptions, effects: ExportEffects): Promise<ExportSummary> {
  const {logger} = effects;
  const progress = effects.progress ?? silentProgress;
  const maxCount = DATASET_FILES.test.count;
  const count = options.count ?? maxCount;
  if (!Number.isInteger(count) || count < MIN_COUNT || count > maxCount) {
    throw new CliError(`--count must be an integer from ${MIN_COUNT} to ${maxCount}; got ${count}`, {exitCode: 2});
  }
  spriteLayout(count); // refuse an oversized sprite before any work
  const projections = options.projections ?? PROJECTION_NAMES;
  const dims = options.dims ?? [2, 3];
  const seed = options.seed ?? 42;
  const baseUrl = parseBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const out = options.out ?? "projector";
  const timings: Record<string, number> = {};
  const stopCheck = () => {
    if (effects.shouldStop?.()) throw new InterruptedError("export interrupted; nothing was written");
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
  for (const dir of restored) logger.warn(`put back the previous export from ${dir}, left by an interrupted export`);
  for (const dir of removed) logger.warn(`removed ${dir}, left by an interrupted export`);
  try {
    await selectBackend(options.backend);
    const modelPath = options.model ?? DEFAULT_MODEL_DIR;
    const {model} = await loadAnyModel(modelPath);
    const split = await loadFashionMnist("test", {dataDir: options.dataDir, limit: count});
    const test = normalise(split);
    const embedded = await time("forward pass", async () => {
      progress.start("forward pass", test.count);
      try {
        return await embedAll(model, test, {batchSize: 250, onBatch: (done) => progress.update(done)});
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
      progress,
      shouldStop: effects.shouldStop
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
        await put(FILES.rawTsv, tensorTsv(test.xs, IMAGE_PIXELS));
        await put(FILES.rawBytes, tensorBytes(test.xs));
        await put(FILES.metadata, metadataTsv(test.ys, embedded.predicted, embedded.probabilities, CLASS_NAMES));
        await put(FILES.sprite, await spritePng(split.images, count));
        const bookmarkLayouts = bookmarksOf(projected);
        await put(
          FILES.config,
          JSON.stringify(
            projectorConfig({
              count,
              dim: embedded.dim,
              layerName: embedded.layerName,
              baseUrl,
              bookmarks: bookmarkLayouts.length > 0
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
          projectionsJson(projected, {count, seed, layerName: embedded.layerName, dim: embedded.dim})
        );
        for (const result of projected.results) {
          const subtitle = describe(result, count, seed, projected.referenceKnnAccuracy);
          await put(`${result.name}.png`, await scatterPng(result, test.ys, CLASS_NAMES, subtitle));
          if (result.name === "tsne") {
            await put("tsne_thumbs.png", await thumbnailsPng(result, split.images, test.ys, CLASS_NAMES, subtitle));
          }
        }
      })
    );
    const quality = Object.fromEntries(projected.results.map((r) => [r.name, r.quality]));
    const summary: ExportSummary = {
      out,
      count,
      files,
      timings,
      quality,
      referenceKnnAccuracy: projected.referenceKnnAccuracy,
      accuracy: correct / count
    };
    logger.info(formatSummary(summary, baseUrl));
    return summary;
  } finally {
    await target.release();
  }
}

function bookmarksOf(projected: ProjectionsResult): BookmarkLayout[] {
  const labels: Record<string, string> = {pca: "PCA", tsne: "t-SNE", umap: "UMAP"};
  const order = ["tsne", "umap", "pca"];
  const sorted = [...projected.results].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return sorted.flatMap((r) =>
    ([2, 3] as const).flatMap((d) => {
      const layout = r.layouts[d];
      if (!layout) return [];
      const p = r.parameters;
      return [
        {
          type: r.name,
          layout,
          label: `${labels[r.name]} ${d}-D (fmnist export)`,
          perplexity: typeof p.perplexity === "number" ? p.perplexity : undefined,
          learningRate: typeof p.learningRate === "number" ? p.learningRate : undefined,
          iterations: typeof p.iterations === "number" ? p.iterations : undefined,
          nNeighbors: typeof p.nNeighbors === "number" ? p.nNeighbors : undefined,
          minDist: typeof p.minDist === "number" ? p.minDist : undefined
        }
      ];
    })
  );
}

/** `projections.json`: coordinates, parameters, seed and quality of every projection. */
export function projectionsJson(
  projected: ProjectionsResult,
  info: {count: number; seed: number; layerName: string; dim: number}
): string {
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const body = {
    format: "fmnist-projections/1",
    count: info.count,
    seed: info.seed,
    source: {layer: info.layerName, dim: info.dim, split: "test", firstIndex: 0},
    quality: {k: QUALITY_K, referenceKnnAccuracy: round(projected.referenceKnnAccuracy)},
    projections: Object.fromEntries(
      projected.results.map((r) => [
        r.name,
        {
          parameters: r.parameters,
          ...(r.explainedVarianceRatio ? {explainedVarianceRatio: r.explainedVarianceRatio.map(round)} : {}),
          quality: {trustworthiness: round(r.quality.trustworthiness), knnAccuracy: round(r.quality.knnAccuracy)},
          ...Object.fromEntries(
            ([2, 3] as const).flatMap((d) => {
              const layout = r.layouts[d];
              return layout ? [[`${d}d`, roundedRows(layout, decimalsFor(layout, 6))]] : [];
            })
          )
        }
      ])
    )
  };
  return JSON.stringify(body) + "\n";
}

/** The closing note: where the files are, how to view them, each step's time and the quality numbers. */
export function formatSummary(s: ExportSummary, baseUrl: string): string {
  const lines = [
    `wrote ${s.files.length} files for ${s.count} test images to ${s.out}/ (model accuracy on them ${(s.accuracy * 100).toFixed(2)}%)`
  ];
  for (const [name, q] of Object.entries(s.quality)) {
    lines.push(
      `  ${name.padEnd(5)} trustworthiness ${q.trustworthiness.toFixed(4)}  ${QUALITY_K}-NN accuracy ${(q.knnAccuracy * 100).toFixed(2)}%` +
        `  (64-d: ${(s.referenceKnnAccuracy * 100).toFixed(2)}%)`
    );
  }
  lines.push("time per step:");
  for (const [step, seconds] of Object.entries(s.timings)) {
    lines.push(`  ${step.padEnd(20)} ${seconds < 60 ? `${seconds.toFixed(1)}s` : formatDuration(seconds)}`);
  }
  lines.push(
    `view: fmnist serve --dir ${s.out}, then open https://projector.tensorflow.org/?config=${baseUrl}/${FILES.config}`
  );
  return lines.join("\n");
}
