/** The statistics file (src/core/formats/oodStats.ts): its writer and parser agree, and damage is a FormatError. */
import {readFileSync} from "node:fs";

import {describe, expect, it} from "vitest";

import {FormatError} from "../../src/core/errors.js";
import {isOodStatsFile, parseOodStats, serialiseOodStats, type OodStats} from "../../src/core/formats/oodStats.js";

const dims = 3;
const classes = 2;
const stats: OodStats = {
  method: "knn",
  threshold: 0.42,
  mirror: true,
  k: 2,
  dims,
  classes,
  samples: 4,
  falseAlarmRate: 0.05,
  auroc: 0.97,
  minConfidence: 0.5,
  means: Float32Array.from([0.1, 0.2, 0.3, 1, 2, 3]),
  precision: Float32Array.from([1, 0, 0, 0, 2, 0, 0, 0, 3]),
  bank: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.6, 0.8, 0]),
  centroids: Float32Array.from([0, 0, 1, 1, 0, 0]),
  maxDistance: Float32Array.from([0.5, Infinity])
};

describe("ood-stats.bin", () => {
  it("reads back what it wrote, Infinity and NaN AUROC included", () => {
    const bytes = serialiseOodStats(stats);
    expect(isOodStatsFile(bytes)).toBe(true);
    expect(parseOodStats(bytes, "x")).toEqual(stats);
    const noAuroc = parseOodStats(serialiseOodStats({...stats, auroc: NaN}), "x");
    expect(noAuroc.auroc).toBeNaN();
  });

  it("refuses a foreign file, a truncated one, a wrong header and a NaN, naming the file and the fix", () => {
    const bytes = serialiseOodStats(stats);
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode("PK\x03\x04 a zip file"), /not an out-of-distribution statistics file/],
      [bytes.subarray(0, bytes.length - 4), /bytes where the header promises/],
      [bytes.subarray(0, 16), /truncated header/]
    ];
    const text = new TextDecoder().decode(bytes.subarray(0, 200));
    const badHeader = new Uint8Array(bytes);
    const at = text.indexOf('"method":"knn"');
    badHeader.set(new TextEncoder().encode('"method":"xyz"'), at);
    cases.push([badHeader, /header field "method" is wrong/]);
    const nan = new Uint8Array(bytes);
    new DataView(nan.buffer).setFloat32(nan.length - 4 * (6 + 12 + 9 + 6 + 2) + 0, NaN, true);
    cases.push([nan, /means holds a NaN/]);
    for (const [damaged, message] of cases) {
      expect(() => parseOodStats(damaged, "m/ood-stats.bin")).toThrow(FormatError);
      expect(() => parseOodStats(damaged, "m/ood-stats.bin")).toThrow(message);
      expect(() => parseOodStats(damaged, "m/ood-stats.bin")).toThrow(/^m\/ood-stats\.bin: .*fmnist calibrate/);
    }
  });

  it("rewrites the shipped model's file byte for byte (the format has not moved)", () => {
    const shipped = new Uint8Array(readFileSync("models/fashion-cnn/ood-stats.bin"));
    const parsed = parseOodStats(shipped, "models/fashion-cnn/ood-stats.bin");
    expect(parsed.bank.length).toBe(5000 * parsed.dims);
    expect(Buffer.from(serialiseOodStats(parsed)).equals(Buffer.from(shipped))).toBe(true);
  });
});
