/**
 * `fmnist train` end to end on a tiny synthetic data set (one short epoch, then a resumed second
 * one): the TensorBoard event files, the pictures and the printed model summary.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {trainCommand} from "../../src/cli/commands/train.js";
import {listEventFiles, readEventFile, scalarSeries, tagCounts} from "../../src/node/tensorboard/reader.js";
import {makeSplitFiles} from "../data/makeIdx.js";
import {writeSplitFiles} from "../helpers/dataSlice.js";
import {recordingEffects} from "../helpers/effects.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-train-cmd-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** Writes uncompressed synthetic train and test IDX files. */
function writeDataDir(dir: string): void {
  mkdirSync(dir, {recursive: true});
  for (const [split, count] of [
    ["train", 200],
    ["test", 40]
  ] as const) {
    writeSplitFiles(dir, split, makeSplitFiles(count));
  }
}

async function readDir(dir: string) {
  const files = await Promise.all((await listEventFiles(dir)).map(readEventFile));
  for (const f of files) expect(f.error).toBeUndefined();
  return files;
}

describe("trainCommand(options) with TensorBoard logging", () => {
  const run = join(root, "run");
  const dataDir = join(root, "data");
  const effects = recordingEffects();
  const {lines} = effects;
  beforeAll(async () => {
    writeDataDir(dataDir);
    const common = {dataDir, verify: false, batchSize: 64};
    await trainCommand({...common, out: run, epochs: 1}, effects);
    await trainCommand({...common, resume: run, epochs: 2}, effects);
  });

  it("prints a Keras-style model summary", () => {
    expect(lines).toContain('Model: "fashion_cnn"');
    expect(lines.some((l) => /^conv2d \(Conv2D\) +\(None, 26, 26, 64\) +640$/.test(l))).toBe(true);
  });

  it("reports the test accuracy as a percentage, like evaluate", () => {
    expect(lines.some((l) => /test accuracy \d{1,3}\.\d\d%/.test(l))).toBe(true);
  });

  it("writes train and validation event files whose every record reads back", async () => {
    const train = await readDir(join(run, "logs", "train"));
    const validation = await readDir(join(run, "logs", "validation"));
    const scalars = scalarSeries(train);
    expect(scalars.epoch_loss.map((p) => p.step)).toEqual([1, 2]);
    expect(scalars.batch_loss.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]); // 180 images, batch 64: 3 per epoch
    const metrics = readFileSync(join(run, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(scalars.epoch_loss.map((p) => p.value)).toEqual(metrics.map((m) => Math.fround(m.loss)));
    expect(scalarSeries(validation).epoch_accuracy.map((p) => p.value)).toEqual(
      metrics.map((m) => Math.fround(m.val_accuracy))
    );
    expect(Object.keys(tagCounts(train, "histo"))).toHaveLength(26);
    expect(tagCounts(train, "image")).toEqual({sample_inputs: 1});
    expect(tagCounts(validation, "image")).toEqual({confusion_matrix: 2});
  });

  it("leaves the pictures in the run folder", () => {
    for (const name of ["confusion_matrix.png", "curves.png", "model.png"]) {
      expect(readFileSync(join(run, name)).subarray(1, 4).toString()).toBe("PNG");
    }
    expect(readFileSync(join(run, "model.svg"), "utf8")).toContain("global_average_pooling2d");
  });
});
