import {describe, expect, it} from "vitest";

import {DEFAULT_TSNE_ITERATIONS, parseBenchArgs} from "../../bench/args.js";
import {umapEpochs} from "../../bench/embedOurs.js";
import {entry, formatEmbedReport, ratioOf, sizeKey, type EmbedReport} from "../../bench/embedReport.js";
import {UsageError} from "../../src/core/errors.js";

describe("npm run bench -- --embed", () => {
  it("parses --embed, --embed-70k and --iterations", () => {
    expect(parseBenchArgs(["--embed", "--json"])).toMatchObject({
      embed: true,
      embed70k: false,
      json: true,
      iterations: DEFAULT_TSNE_ITERATIONS
    });
    expect(parseBenchArgs(["--embed-70k", "--iterations", "250"])).toMatchObject({
      embed: true,
      embed70k: true,
      iterations: 250
    });
    expect(() => parseBenchArgs(["--embed", "--iterations", "0"])).toThrow(UsageError);
  });

  it("names sizes as the issue's keys do and gives uwot umap-js' epochs", () => {
    expect([2500, 10_000, 70_000].map(sizeKey)).toEqual(["2500", "10k", "70k"]);
    expect([2500, 5000, 7500, 10_000].map(umapEpochs)).toEqual([500, 400, 300, 200]);
  });

  it("takes the ratio against the fastest peer present, above 1 when we are faster", () => {
    const ours = entry(10, 1.9, {trustworthiness: 0.99, knnAccuracy: 0.92});
    expect(ratioOf(ours, [entry(25, 1.9), null, entry(45, 2)])).toBe(2.5);
    expect(ratioOf(ours, [null])).toBeNull();
    expect(ratioOf(null, [entry(25, 1.9)])).toBeNull();
  });

  it("prints one line per step with its quality and the ratios", () => {
    const report: EmbedReport = {
      ours: {tsne10k: entry(12.345, 1.87, {trustworthiness: 0.99712, knnAccuracy: 0.9215}), tsne70k: null},
      peers: {rtsne10k: entry(27.1, 1.9, {trustworthiness: 0.9969, knnAccuracy: 0.92})},
      ratio: {tsne: 2.195, umap: null},
      machine: {cpus: 2, loadStart: 0.4, loadEnd: 1.9, peakRssMb: 900},
      versions: {rtsne: "0.16"}
    };
    const text = formatEmbedReport(report);
    expect(text).toMatch(/ours tsne10k\s+12\.35\s+1\.87\s+0\.9971\s+92\.2 %/);
    expect(text).toMatch(/ours tsne70k\s+\(not run\)/);
    expect(text).toContain("t-SNE 2.19, UMAP -");
    expect(text).toContain("load 0.4 -> 1.9");
  });
});
