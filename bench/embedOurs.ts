/**
 * Our side of `npm run bench -- --embed`: the 64-d embeddings of the shipped model as input, then
 * exact kNN, t-SNE and UMAP exactly as `fmnist export` runs them (worker threads included), timed
 * in wall and CPU seconds (CPU over all threads of this process), and the quality measures that
 * every layout, ours or a peer's, gets.
 */
import {normalise} from "../src/core/data/dataset.js";
import type {Neighbors} from "../src/core/embed/knn.js";
import type {Points} from "../src/core/embed/points.js";
import {knnAccuracy, trustworthiness} from "../src/core/embed/quality.js";
import {Tsne} from "../src/core/embed/tsne.js";
import {defaultEpochs, umapLayout} from "../src/core/embed/umap.js";
import {embedAll} from "../src/core/model/embedding.js";
import {createRandom} from "../src/core/random.js";
import {selectBackend} from "../src/node/backend/selectBackend.js";
import {loadExportRows} from "../src/node/data/exportRows.js";
import {parallelKnn} from "../src/node/embed/knnPool.js";
import {createTsneThreads} from "../src/node/embed/tsneThreads.js";
import {createNativeUmap} from "../src/node/embed/umapNative.js";
import {DEFAULT_MODEL_DIR} from "../src/node/model/defaultModel.js";
import {loadModel} from "../src/node/model/io.js";

/** One measured step: wall seconds, cores used (CPU seconds / wall) and the 2-D layout's quality. */
export interface EmbedEntry {
  seconds: number;
  cores: number;
  trustworthiness: number | null;
  knnAccuracy: number | null;
}

/** The input: embeddings of the first `count` images (test images first) and their labels. */
export interface EmbedInput {
  x: Points;
  labels: Uint8Array;
}

/** UMAP epochs as ours (and umap-js) pick them for `n` points, given to uwot too so both do the same work. */
export const umapEpochs = defaultEpochs;

/** Embeds the first `count` images of the test split, then the training split, with the shipped model. */
export async function loadEmbedInput(count: number): Promise<EmbedInput> {
  await selectBackend("wasm");
  const model = await loadModel(DEFAULT_MODEL_DIR);
  try {
    const rows = await loadExportRows(count > 10_000 ? "all" : "test", count);
    const examples = normalise(rows);
    const embedded = await embedAll(model, examples, {batchSize: 250});
    if (embedded.embeddings.length !== count * embedded.dim) throw new Error(`${count} images gave no ${count} rows`);
    return {x: {data: embedded.embeddings, count, dim: embedded.dim}, labels: rows.labels};
  } finally {
    model.dispose();
  }
}

/** The first `n` rows of the input. */
export function firstRows(input: EmbedInput, n: number): EmbedInput {
  const {x} = input;
  return {x: {data: x.data.subarray(0, n * x.dim), count: n, dim: x.dim}, labels: input.labels.subarray(0, n)};
}

/** Trustworthiness (k = 10, 1,000 sampled points) and 10-NN accuracy (2,000) of a 2-D layout. */
export function layoutQuality(input: EmbedInput, layout: Points): Pick<EmbedEntry, "trustworthiness" | "knnAccuracy"> {
  return {
    trustworthiness: trustworthiness(input.x, layout, {k: 10, sample: 1000, random: createRandom(7)}),
    knnAccuracy: knnAccuracy(layout, input.labels, {k: 10, sample: 2000, random: createRandom(8)})
  };
}

/** Wall and CPU seconds of `fn`. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{value: T; seconds: number; cores: number}> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {value, seconds, cores: (cpu.user + cpu.system) / 1e6 / seconds};
}

/** Exact kNN (k = 90, what t-SNE at perplexity 30 uses) on all cores. */
export async function oursKnn(input: EmbedInput): Promise<EmbedEntry & {neighbors: Neighbors}> {
  const run = await timed(() => parallelKnn(input.x, 90));
  return {seconds: run.seconds, cores: run.cores, trustworthiness: null, knnAccuracy: null, neighbors: run.value};
}

/** t-SNE 2-D (perplexity 30, θ 0.5, `iterations`), its kNN included. */
export async function oursTsne(input: EmbedInput, iterations: number): Promise<EmbedEntry> {
  const run = await timed(async () => {
    const neighbors = await parallelKnn(input.x, 90);
    const threads = createTsneThreads(input.x.count, 2);
    try {
      const tsne = new Tsne({iterations, random: createRandom(42), repulsion: threads.runner});
      tsne.setPrecomputedKnn(neighbors);
      return tsne.fit(input.x);
    } finally {
      threads.close();
    }
  });
  return {seconds: run.seconds, cores: run.cores, ...layoutQuality(input, run.value)};
}

/** UMAP 2-D (15 neighbours, min. distance 0.1, umap-js' epochs), its kNN included, on the native threads where built. */
export async function oursUmap(input: EmbedInput): Promise<EmbedEntry> {
  const run = await timed(async () => {
    const neighbors = await parallelKnn(input.x, 14);
    const runner = createNativeUmap();
    try {
      return umapLayout(input.x, {neighbors, nEpochs: umapEpochs(input.x.count), random: createRandom(42), runner});
    } finally {
      runner?.close();
    }
  });
  return {seconds: run.seconds, cores: run.cores, ...layoutQuality(input, run.value)};
}
