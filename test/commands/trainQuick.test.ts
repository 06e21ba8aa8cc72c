/**
 * The README's quick run (`fmnist train --limit 3000 --epochs 3`) on the real data set gives a usable
 * model with the default recipe (it ended at 14.65 % before precise batch-norm statistics: issue 16),
 * and a run whose validation accuracy stays near chance says so.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {trainCommand} from "../../src/cli/commands/train.js";
import {makeIdx} from "../data/makeIdx.js";
import {writeSplitFiles} from "../helpers/dataSlice.js";
import {recordingEffects} from "../helpers/effects.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-train-quick-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

function testAccuracy(run: string): number {
  const metadata = JSON.parse(readFileSync(join(run, "model", "metadata.json"), "utf8")) as {
    metrics: {testAccuracy: number; wallSeconds: number};
  };
  expect(metadata.metrics.wallSeconds).toBeGreaterThan(0);
  return metadata.metrics.testAccuracy;
}

describe("fmnist train --limit 3000 --epochs 3 (the README's quick run) on the real data", () => {
  const run = join(root, "quick");
  const effects = recordingEffects();
  beforeAll(async () => {
    await trainCommand({out: run, limit: 3000, epochs: 3}, effects);
  }, 900_000);

  it("reaches at least 70 % test accuracy", () => {
    expect(testAccuracy(run)).toBeGreaterThanOrEqual(0.7);
  });

  it("does not warn about chance-level accuracy", () => {
    expect(effects.lines.filter((l) => l.includes("near chance"))).toEqual([]);
  });
});

/** A blank split: every image black, labels 0–9 in turn (no model can beat 10 % on it). */
function blankSplit(count: number): {images: Uint8Array; labels: Uint8Array} {
  const labels = new Uint8Array(count).map((_, i) => i % 10);
  return {
    images: makeIdx([count, 28, 28], {data: new Uint8Array(count * 784)}),
    labels: makeIdx([count], {data: labels})
  };
}

function writeBlankDataDir(dir: string): void {
  mkdirSync(dir, {recursive: true});
  for (const [split, files] of [
    ["train", blankSplit(200)],
    ["test", blankSplit(40)]
  ] as const)
    writeSplitFiles(dir, split, files);
}

describe("a run that stays at chance", () => {
  const run = join(root, "chance");
  const dataDir = join(root, "blank");
  const effects = recordingEffects();
  beforeAll(async () => {
    writeBlankDataDir(dataDir);
    await trainCommand({out: run, dataDir, verify: false, epochs: 1, batchSize: 50, validation: "test"}, effects);
  }, 900_000);

  it("warns that validation accuracy is near chance and the model is not usable", () => {
    const warning = effects.lines.find((l) => l.includes("near chance"));
    expect(warning).toMatch(/^warning: validation accuracy 10\.00% is near chance .*not usable/);
  });
});
