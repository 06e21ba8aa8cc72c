/**
 * `npm run bench -- --embed [--embed-70k] [--iterations N] [--no-peer] [--json]`: exact kNN, t-SNE
 * and UMAP on the shipped model's 64-d embeddings of the first 2,500 and 10,000 test images (and
 * of all 70,000 images, ours only, with --embed-70k), ours against Rtsne, uwot and scikit-learn
 * on the same input file with the same iterations, one step at a time.
 */
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import os from "node:os";
import {join} from "node:path";

import {nativeTsneAvailable} from "../src/node/embed/tsneNative.js";
import {availablePeers, runEmbedPeer, type EmbedPeer} from "./embedPeers.js";
import {firstRows, layoutQuality, loadEmbedInput, oursKnn, oursTsne, oursUmap, umapEpochs} from "./embedOurs.js";
import {entry, ratioOf, round, sizeKey, type EmbedReport} from "./embedReport.js";

export interface EmbedBenchOptions {
  iterations: number;
  peers: boolean;
  full: boolean;
}

export const EMBED_SIZES = [2500, 10_000] as const;

export async function embedBench(options: EmbedBenchOptions, log: (line: string) => void): Promise<EmbedReport> {
  const loadStart = os.loadavg()[0];
  const cpus = os.availableParallelism();
  const total = options.full ? 70_000 : 10_000;
  log(`embed: forward pass of ${total} images with the shipped model`);
  const input = await loadEmbedInput(total);
  const peers = options.peers ? await availablePeers(log) : [];
  if (!options.peers) log("peers skipped: --no-peer");
  const dir = mkdtempSync(join(os.tmpdir(), "fmnist-bench-embed-"));
  const report: EmbedReport = {
    // The keys of issue 18 first, null until measured.
    ours: {tsne10k: null, umap10k: null, knn10k: null, tsne70k: null, umap70k: null},
    peers: {rtsne10k: null, uwot10k: null, sklearnTsne10k: null},
    ratio: {tsne: null, umap: null},
    machine: {cpus, loadStart: 0, loadEnd: 0, peakRssMb: 0},
    versions: {}
  };
  try {
    for (const n of [...EMBED_SIZES, ...(options.full ? [70_000] : [])]) {
      const part = firstRows(input, n);
      const size = sizeKey(n);
      if (n <= 10_000) {
        log(`ours: exact kNN (k = 90) of ${n}`);
        const knn = await oursKnn(part);
        report.ours[`knn${size}`] = entry(knn.seconds, knn.cores);
      }
      const path = nativeTsneAvailable() ? "native addon" : "JavaScript on worker threads";
      log(`ours: t-SNE of ${n} (${options.iterations} iterations, ${path})`);
      const tsne = await oursTsne(part, options.iterations);
      report.ours[`tsne${size}`] = entry(tsne.seconds, tsne.cores, tsne);
      log(`ours: UMAP of ${n} (${umapEpochs(n)} epochs)`);
      const umap = await oursUmap(part);
      report.ours[`umap${size}`] = entry(umap.seconds, umap.cores, umap);
      if (n > 10_000) continue;
      const file = join(dir, `x${n}.f32`);
      const x = part.x.data;
      writeFileSync(file, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
      for (const peer of peers) {
        const iterations = peer === "uwot" ? umapEpochs(n) : options.iterations;
        log(`peer: ${peer} of ${n} (${iterations} ${peer === "uwot" ? "epochs" : "iterations"}, ${cpus} threads)`);
        const run = await runEmbedPeer(peer, file, n, part.x.dim, join(dir, "y.f64"), cpus, iterations, log);
        report.peers[`${peer}${size}`] = run
          ? entry(run.seconds, run.cpuSeconds / run.seconds, layoutQuality(part, run.layout))
          : null;
        if (run) report.versions[peer] = run.version;
      }
    }
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
  const peer10k = (p: EmbedPeer) => report.peers[`${p}10k`];
  report.ratio = {
    tsne: ratioOf(report.ours.tsne10k, [peer10k("rtsne"), peer10k("sklearnTsne")]),
    umap: ratioOf(report.ours.umap10k, [peer10k("uwot")])
  };
  report.machine = {
    cpus,
    loadStart: round(loadStart, 2),
    loadEnd: round(os.loadavg()[0], 2),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024)
  };
  return report;
}
