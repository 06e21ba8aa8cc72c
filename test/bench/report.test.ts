import {describe, expect, it} from "vitest";

import {DEFAULT_COLD_RUNS, DEFAULT_STEPS, DEFAULT_TSNE_ITERATIONS, parseBenchArgs} from "../../bench/args.js";
import {PEER_RUNS, combinePeerRuns, parsePeerOutput, type PeerRun} from "../../bench/peer.js";
import {
  coldStart,
  epochSeconds,
  formatReport,
  imagesPerSecond,
  loadWarning,
  ratios,
  speedRatio,
  type OursResult
} from "../../bench/report.js";
import {UsageError} from "../../src/core/errors.js";

// A line as peer_torch.py prints it (PyTorch 1.13, 2 threads), with figures from a real run.
const PEER_LINE = (batch: number, trainStepMs: number, predictBatch: number, predictMs: number): string =>
  JSON.stringify({
    peer: "pytorch",
    version: "1.13.0a0",
    threads: 2,
    batch,
    trainStepMs,
    trainImagesPerS: (batch * 1000) / trainStepMs,
    predictBatch,
    predictMs,
    predictImagesPerS: (predictBatch * 1000) / predictMs
  });

const PEER_STDOUT = [
  `warming up\n${PEER_LINE(128, 362, 128, 117.7)}\n`,
  PEER_LINE(256, 700, 256, 262.4),
  PEER_LINE(32, 110, 1, 1.6),
  PEER_LINE(64, 190, 1, 1.8)
];

const OURS: OursResult = {
  backend: "wasm",
  threads: 2,
  trainStepMs: 1332,
  predictMs: 190.5,
  predict256Ms: 371.8,
  predict1Ms: 2,
  trainImagesPerS: 96.1,
  predict256ImagesPerS: 688.5,
  predict1ImagesPerS: 500,
  epochSecondsEstimate: epochSeconds(1332, 371.8),
  scaling: {"32": 400, "64": 700, "128": 1332, "256": 2600},
  coldClassify: coldStart([1010, 990, 1200, 980, 1005])
};

describe("bench report math", () => {
  it("images per second and the epoch estimate", () => {
    expect(imagesPerSecond(128, 1000)).toBe(128);
    expect(imagesPerSecond(1, 2)).toBe(500);
    // 421.875 steps of 1 s plus 23.4375 validation batches of 0.5 s.
    expect(epochSeconds(1000, 500)).toBeCloseTo(421.875 + 11.71875, 9);
  });

  it("a ratio is our throughput over the peer's: above 1 when our time is shorter", () => {
    expect(speedRatio(1332, 362)).toBe(0.272);
    expect(speedRatio(100, 200)).toBe(2);
    expect(speedRatio(128, 128)).toBe(1);
    // The same number as images/s over images/s.
    expect(speedRatio(1332, 362)).toBeCloseTo(imagesPerSecond(128, 1332) / imagesPerSecond(128, 362), 3);
  });

  it("cold start: median and range of the wall times", () => {
    expect(coldStart([1010, 990, 1200, 980, 1005])).toEqual({runs: 5, medianMs: 1005, minMs: 980, maxMs: 1200});
    expect(coldStart([3, 1]).medianMs).toBe(2);
  });
});

describe("peer runs", () => {
  const runs: PeerRun[] = PEER_STDOUT.map(parsePeerOutput);

  it("parses the last line of the peer's output", () => {
    expect(runs[0]).toEqual({
      version: "1.13.0a0",
      threads: 2,
      batch: 128,
      predictBatch: 128,
      trainStepMs: 362,
      predictMs: 117.7
    });
    expect(() => parsePeerOutput("Traceback (most recent call last):")).toThrow(/no JSON/);
    expect(() => parsePeerOutput(JSON.stringify({trainStepMs: -1}))).toThrow(/threads/);
  });

  it("the planned runs cover every scaling batch and the predict batches 1, 128 and 256", () => {
    expect(PEER_RUNS.map((r) => r.batch).sort((a, b) => a - b)).toEqual([32, 64, 128, 256]);
    expect(new Set(PEER_RUNS.map((r) => r.predictBatch))).toEqual(new Set([1, 128, 256]));
  });

  it("combines the runs: training from each batch, batch-1 prediction as the median of its runs", () => {
    const peer = combinePeerRuns([...runs].reverse());
    expect(peer).toEqual({
      trainStepMs: 362,
      predictMs: 117.7,
      predict256Ms: 262.4,
      predict1Ms: 1.7,
      trainImagesPerS: 353.6,
      predict256ImagesPerS: 975.6,
      predict1ImagesPerS: 588.2,
      scaling: {"32": 110, "64": 190, "128": 362, "256": 700}
    });
    expect(() => combinePeerRuns(runs.slice(0, 2))).toThrow(/batch 32/);
  });

  it("ratios of ours against the combined peer", () => {
    const r = ratios(OURS, combinePeerRuns(runs));
    expect(r).toEqual({
      train: 0.272,
      predict: 0.618,
      predict256: 0.706,
      predict1: 0.85,
      scaling: {"32": 0.275, "64": 0.271, "128": 0.272, "256": 0.269}
    });
  });
});

describe("formatReport()", () => {
  it("prints one aligned row per measurement, the scaling lines and the cold start", () => {
    const peer = combinePeerRuns(PEER_STDOUT.map(parsePeerOutput));
    const text = formatReport({ours: OURS, peer, ratio: ratios(OURS, peer)}, {version: "1.13.0a0", threads: 2}, 8);
    const lines = text.split("\n");
    expect(lines[0]).toBe("ours: tfjs wasm, 2 threads; pytorch 1.13.0a0, 2 threads; median of 8 timed steps");
    const row = (label: string) => lines.find((l) => l.startsWith(label))?.split(/\s{3,}/);
    expect(row("train images/s (batch 128)")).toEqual(["train images/s (batch 128)", "96", "354", "0.27x"]);
    expect(row("predict images/s (batch 256)")).toEqual(["predict images/s (batch 256)", "689", "976", "0.71x"]);
    expect(row("predict (batch 1)")).toEqual(["predict (batch 1)", "2.0 ms", "1.7 ms", "0.85x"]);
    expect(row("cold classify, 1 image")).toEqual(["cold classify, 1 image", "1005.0 ms", "-", "-"]);
    // Columns line up: every table row has the same length up to its last column.
    const table = lines.slice(2, lines.indexOf("", 2));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(text).toContain("scaling, train step by batch (ours):    32: 400 ms (80 img/s)");
    expect(text).toContain("scaling, ratio by batch: 32: 0.28x, 64: 0.27x, 128: 0.27x, 256: 0.27x");
    expect(text).toContain("median of 5 (min 980.0 ms, max 1200.0 ms)");
  });

  it("states the load average, and warns when it exceeded the cores", () => {
    const quiet = formatReport(
      {ours: OURS, peer: null, ratio: null, machine: {cpus: 2, loadStart: 0.5, loadEnd: 1.9}},
      null,
      1
    );
    expect(quiet.split("\n")[0]).toContain("; load average 0.5 -> 1.9 on 2 cores");
    expect(quiet).not.toContain("warning");
    expect(loadWarning({cpus: 2, loadStart: 0.5, loadEnd: 1.9})).toBeNull();
    // The bench's own two threads raise the end figure by about 2.
    expect(loadWarning({cpus: 2, loadStart: 1.1, loadEnd: 3.9})).toBeNull();
    expect(loadWarning({cpus: 2, loadStart: 1.1, loadEnd: 4.5})).toMatch(/^warning: load average 4\.5 on 2 cores/);
    expect(loadWarning({cpus: 2, loadStart: 2.5, loadEnd: 2.5})).toMatch(/^warning: load average 2\.5/);
    expect(loadWarning(undefined)).toBeNull();
    const busy = formatReport(
      {ours: OURS, peer: null, ratio: null, machine: {cpus: 2, loadStart: 7.44, loadEnd: 3}},
      null,
      1
    );
    expect(busy).toContain("warning: load average 7.4 on 2 cores");
  });

  it("without a peer, peer columns are dashes and there is no peer scaling line", () => {
    const text = formatReport({ours: OURS, peer: null, ratio: null}, null, 1);
    expect(text).toContain("pytorch: skipped; median of 1 timed step");
    expect(text).not.toContain("(pytorch)");
    expect(text.split("\n").find((l) => l.startsWith("train step"))).toMatch(/1332\.0 ms\s+-\s+-$/);
  });
});

describe("parseBenchArgs()", () => {
  it("defaults and flags", () => {
    expect(parseBenchArgs([])).toEqual({
      steps: DEFAULT_STEPS,
      coldRuns: DEFAULT_COLD_RUNS,
      soak: false,
      json: false,
      peer: true,
      embed: false,
      embed70k: false,
      iterations: DEFAULT_TSNE_ITERATIONS,
      help: false
    });
    expect(parseBenchArgs(["--steps", "4", "--cold", "0", "--soak", "--json", "--no-peer"])).toEqual({
      steps: 4,
      coldRuns: 0,
      soak: true,
      json: true,
      peer: false,
      embed: false,
      embed70k: false,
      iterations: DEFAULT_TSNE_ITERATIONS,
      help: false
    });
  });

  it("rejects bad values with a usage error", () => {
    expect(() => parseBenchArgs(["--steps", "0"])).toThrow(UsageError);
    expect(() => parseBenchArgs(["--cold=-1"])).toThrow(/--cold must be an integer from 0/);
    expect(() => parseBenchArgs(["--steps", "2.5"])).toThrow(/--steps/);
    expect(() => parseBenchArgs(["--fast"])).toThrow(UsageError);
  });
});
