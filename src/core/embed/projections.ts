/**
 * Computes the requested projections of the embeddings (PCA, t-SNE, UMAP, each in 2-D and/or
 * 3-D) and their quality numbers, reporting progress and timing each step. Seeds are derived
 * from one seed per projection and dimension, so asking for fewer projections does not change the
 * others. Used by `fmnist export` and by the web app's recompute worker. Isomorphic.
 */
import type {RepulsionRunner} from "./bhRepulsion.js";
import {exactKnn, type KnnOptions, type Neighbors} from "./knn.js";
import {pca, type PcaResult} from "./pca.js";
import {firstColumns, type Points} from "./points.js";
import {localQuality, type QualityMeasures} from "./quality.js";
import {qualityReference} from "./qualityReference.js";
import {Tsne} from "./tsne.js";
import {umapLayoutAsync} from "./umap.js";
import type {UmapRunner} from "./umapOptimize.js";
import {InterruptedError} from "../errors.js";
import {silentProgress, type Progress} from "../effects.js";
import {createRandom} from "../random.js";

export const PROJECTION_NAMES = ["pca", "tsne", "umap"] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

/** Options of {@link computeProjections}. */
export interface ProjectionOptions {
  projections: readonly ProjectionName[];
  /** Output dimensions to compute (2, 3 or both). */
  dims: readonly (2 | 3)[];
  seed: number;
  /** t-SNE perplexity (default 30). */
  perplexity?: number;
  /** t-SNE iterations (default 1000). */
  tsneIterations?: number;
  /** UMAP neighbours, the point itself included (default 15). */
  umapNeighbors?: number;
  /** UMAP minimum distance (default 0.1). */
  umapMinDist?: number;
  /** UMAP epochs (default: umap-js' choice for the point count). */
  umapEpochs?: number;
  /** Measure the layouts' quality (default true); without it the quality numbers are NaN. */
  quality?: boolean;
  /** Steps as they start and advance: "nearest neighbours", "t-SNE 2-D", "UMAP 3-D", … */
  progress?: Progress;
  /** Called after each t-SNE iteration with a reader of the layout so far (for live views). */
  onTsneIteration?: (dim: 2 | 3, iteration: number, layout: () => Points) => void;
  /**
   * The exact kNN to use (default {@link exactKnn} on this thread); `fmnist export` passes the
   * worker-thread pool of src/node/embed/knnPool.ts, which gives the same bytes.
   */
  knn?: (x: Points, k: number, options: KnnOptions & {signal?: AbortSignal}) => Promise<Neighbors> | Neighbors;
  /**
   * Threads for t-SNE's repulsion (default none: this thread); `fmnist export` passes
   * src/node/embed/tsneThreads.ts, which gives the same bytes. Closed after each layout.
   */
  tsneThreads?: (count: number, dim: 2 | 3) => {runner: RepulsionRunner; close(): void};
  /** Runs UMAP's epochs on several threads (src/node/embed/umapNative.ts, the same bytes on any number); closed after each layout. */
  umapRunner?: () => UmapRunner | undefined;
  /**
   * The quality measures to use (default quality.ts on this thread); `fmnist export` passes the
   * worker-thread pool of src/node/embed/qualityPool.ts, which gives the same numbers.
   */
  qualityMeasures?: QualityMeasures;
  /** Checked between steps and iterations; once aborted, the work stops with an {@link InterruptedError}. */
  signal?: AbortSignal;
}

/** Quality of a 2-D layout (see quality.ts). */
export interface LayoutQuality {
  trustworthiness: number;
  knnAccuracy: number;
}

export interface ProjectionResult {
  name: ProjectionName;
  parameters: Record<string, number | string>;
  /** Layouts by dimension. */
  layouts: Partial<Record<2 | 3, Points>>;
  /** Of the 2-D layout (or the 3-D one when only 3-D was computed). */
  quality: LayoutQuality;
  /** PCA only. */
  explainedVarianceRatio?: number[];
}

export interface ProjectionsResult {
  results: ProjectionResult[];
  /** kNN accuracy in the original space (the ceiling for the layouts). */
  referenceKnnAccuracy: number;
  /** Seconds per step, for the closing note (never written to files). */
  timings: Record<string, number>;
}

export const QUALITY_K = 10;
const TRUST_SAMPLE = 1000;
const KNN_SAMPLE = 2000;

/** A seed for one (projection, dimension) pair, derived from the user's seed. */
export function derivedSeed(seed: number, name: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export async function computeProjections(
  x: Points,
  labels: ArrayLike<number>,
  options: ProjectionOptions
): Promise<ProjectionsResult> {
  const progress = options.progress ?? silentProgress;
  const timings: Record<string, number> = {};
  const checkStop = () => {
    if (options.signal?.aborted) throw new InterruptedError("export interrupted; nothing was written");
  };
  const timed = async <T>(step: string, fn: () => Promise<T> | T): Promise<T> => {
    checkStop();
    const t0 = performance.now();
    const value = await fn();
    timings[step] = (performance.now() - t0) / 1000;
    return value;
  };
  const perplexity = options.perplexity ?? 30;
  const umapNeighbors = options.umapNeighbors ?? 15;
  const umapMinDist = options.umapMinDist ?? 0.1;
  const tsneIterations = options.tsneIterations ?? 1000;
  const wants = (name: ProjectionName) => options.projections.includes(name);
  const dims = [...options.dims].sort();
  const unmeasured: LayoutQuality = {trustworthiness: NaN, knnAccuracy: NaN};
  const measures = options.qualityMeasures ?? localQuality;
  // The original space prepared once for every layout (and the 64-D kNN accuracy); the same numbers as `x`.
  let reference: Points | undefined;
  const original = (): Points => (reference ??= qualityReference(x) ?? x);
  const quality = async (layout: Points, name: string): Promise<LayoutQuality> =>
    options.quality === false
      ? unmeasured
      : {
          trustworthiness: await measures.trustworthiness(original(), layout, {
            k: QUALITY_K,
            sample: TRUST_SAMPLE,
            random: createRandom(derivedSeed(options.seed, `trust-${name}`))
          }),
          knnAccuracy: await measures.knnAccuracy(layout, labels, {
            k: QUALITY_K,
            sample: KNN_SAMPLE,
            random: createRandom(derivedSeed(options.seed, "knn"))
          })
        };

  // Exact neighbours once, shared by t-SNE (3 * perplexity) and UMAP (nNeighbors - 1).
  let neighbors: Neighbors | undefined;
  const k = Math.min(
    x.count - 1,
    Math.max(wants("tsne") ? Math.floor(3 * perplexity) : 0, wants("umap") ? umapNeighbors - 1 : 0)
  );
  if (k > 0) {
    const knn = options.knn ?? exactKnn;
    neighbors = await timed("kNN", async () => {
      progress.start("nearest neighbours", x.count);
      try {
        return await knn(x, k, {onProgress: (done) => progress.update(done), signal: options.signal});
      } catch (error) {
        checkStop();
        throw error;
      } finally {
        progress.stop();
      }
    });
  }

  const results: ProjectionResult[] = [];
  if (wants("pca")) {
    const result: PcaResult = await timed("PCA", () => pca(x, {components: Math.max(...dims)}));
    const layouts: ProjectionResult["layouts"] = {};
    for (const d of dims) layouts[d] = firstColumns(result.projected, d);
    results.push({
      name: "pca",
      parameters: {components: Math.max(...dims)},
      layouts,
      quality: await timed("PCA quality", () => quality(firstColumns(result.projected, 2), "pca")),
      explainedVarianceRatio: Array.from(result.explainedVarianceRatio)
    });
  }
  if (wants("tsne")) {
    const layouts: ProjectionResult["layouts"] = {};
    let learningRate = 0;
    for (const d of dims) {
      layouts[d] = await timed(`t-SNE ${d}-D`, async () => {
        const threads = options.tsneThreads?.(x.count, d);
        const tsne = new Tsne({
          dim: d,
          perplexity,
          iterations: tsneIterations,
          random: createRandom(derivedSeed(options.seed, `tsne${d}`)),
          repulsion: threads?.runner
        });
        if (neighbors) tsne.setPrecomputedKnn(neighbors);
        progress.start(`t-SNE ${d}-D`, tsneIterations);
        try {
          const layout = await tsne.fitAsync(x, (iteration) => {
            if (iteration % 10 === 0) progress.update(iteration);
            options.onTsneIteration?.(d, iteration, () => tsne.getEmbedding());
            return !options.signal?.aborted;
          });
          progress.stop();
          learningRate = tsne.getLearningRate() ?? 0;
          return layout;
        } finally {
          threads?.close();
        }
      });
    }
    checkStop();
    results.push({
      name: "tsne",
      parameters: {
        perplexity,
        theta: 0.5,
        iterations: tsneIterations,
        earlyExaggeration: 12,
        learningRate,
        init: "pca"
      },
      layouts,
      quality: await timed("t-SNE quality", () => quality((layouts[2] ?? layouts[3]) as Points, "tsne"))
    });
  }
  if (wants("umap")) {
    const layouts: ProjectionResult["layouts"] = {};
    for (const d of dims) {
      layouts[d] = await timed(`UMAP ${d}-D`, async () => {
        let started = false;
        const runner = options.umapRunner?.();
        const layout = await umapLayoutAsync(
          x,
          {
            dim: d,
            nNeighbors: umapNeighbors,
            minDist: umapMinDist,
            neighbors,
            nEpochs: options.umapEpochs,
            random: createRandom(derivedSeed(options.seed, `umap${d}`)),
            runner
          },
          (epoch, total) => {
            if (!started) {
              progress.start(`UMAP ${d}-D`, total);
              started = true;
            }
            progress.update(epoch);
            return !options.signal?.aborted;
          }
        ).finally(() => runner?.close());
        progress.stop();
        return layout;
      });
    }
    checkStop();
    results.push({
      name: "umap",
      parameters: {nNeighbors: umapNeighbors, minDist: umapMinDist},
      layouts,
      quality: await timed("UMAP quality", () => quality((layouts[2] ?? layouts[3]) as Points, "umap"))
    });
  }
  const referenceKnnAccuracy =
    options.quality === false
      ? NaN
      : await timed("64-D kNN accuracy", () =>
          measures.knnAccuracy(original(), labels, {
            k: QUALITY_K,
            sample: KNN_SAMPLE,
            random: createRandom(derivedSeed(options.seed, "knn"))
          })
        );
  return {results, referenceKnnAccuracy, timings};
}
