import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {logsCommand} from "../../src/cli/commands/logs.js";
import {formatLogs} from "../../src/cli/format/logs.js";
import {EventFileWriter} from "../../src/node/tensorboard/eventWriter.js";
import {TRAIN_LOG_DIR, VALIDATION_LOG_DIR} from "../../src/node/tensorboard/logger.js";
import {recordingEffects} from "../helpers/effects.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-logs-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** A run folder with two epochs of scalars and one histogram. */
async function writeRun(run: string): Promise<string[]> {
  const options = {now: () => 1_700_000_000, hostname: "h"};
  const train = await EventFileWriter.open(join(run, TRAIN_LOG_DIR), options);
  const validation = await EventFileWriter.open(join(run, VALIDATION_LOG_DIR), options);
  for (const epoch of [1, 2]) {
    train.scalar("batch_loss", 1 / epoch, epoch * 10);
    train.scalar("epoch_loss", 0.5 / epoch, epoch);
    train.scalar("epoch_accuracy", 0.75, epoch);
    train.histogram("dense/kernel", [epoch, -epoch], epoch);
    validation.scalar("epoch_loss", 0.625 / epoch, epoch);
  }
  await Promise.all([train.close(), validation.close()]);
  return [train.path, validation.path];
}

describe("logsCommand({run})", () => {
  const run = join(root, "run");
  let paths: string[];
  beforeAll(async () => {
    paths = await writeRun(run);
  });

  it("returns the scalars of each TensorBoard run with exact steps and values", async () => {
    const result = await logsCommand({run}, recordingEffects());
    expect(result.logDir).toBe(join(run, "logs"));
    expect(result.errors).toEqual([]);
    expect(result.runs.map((r) => r.name)).toEqual(["train", "validation"]);
    const [train, validation] = result.runs;
    expect(train.files).toEqual([{path: paths[0], events: 9}]);
    expect(train.scalars.epoch_loss).toEqual([
      {step: 1, wallTime: 1_700_000_000, value: 0.5},
      {step: 2, wallTime: 1_700_000_000, value: 0.25}
    ]);
    expect(train.scalars.batch_loss.map((p) => p.step)).toEqual([10, 20]);
    expect(train.histograms).toEqual({"dense/kernel": 2});
    expect(validation.scalars.epoch_loss.map((p) => p.value)).toEqual([0.625, 0.3125]);
  });

  it("also accepts the log folder itself", async () => {
    const result = await logsCommand({run: join(run, "logs")}, recordingEffects());
    expect(result.runs.map((r) => r.name)).toEqual(["train", "validation"]);
  });

  it("formats a table of the epoch scalars and a digest of the rest", async () => {
    const text = formatLogs(await logsCommand({run}, recordingEffects()));
    expect(text).toMatch(/^train: 1 file\(s\), 9 events$/m);
    expect(text).toMatch(/^ +epoch +epoch_loss +epoch_accuracy$/m);
    expect(text).toMatch(/^ +2 +0\.2500 +0\.7500$/m);
    expect(text).toMatch(/batch_loss: 2 points, steps 10\.\.20, last 0\.5000/);
    expect(text).toMatch(/histograms \(1\): dense\/kernel/);
  });

  it("reports the file and offset of a corrupt record and keeps what came before", async () => {
    const damagedRun = join(root, "damaged");
    const [trainPath] = await writeRun(damagedRun);
    const bytes = readFileSync(trainPath);
    const good = await logsCommand({run: damagedRun}, recordingEffects());
    expect(good.runs[0].files[0].events).toBe(9);
    bytes[bytes.length - 10] ^= 0xff; // inside the last record's data
    writeFileSync(trainPath, bytes);
    const result = await logsCommand({run: damagedRun}, recordingEffects());
    expect(result.runs[0].files[0].events).toBe(8);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({path: trainPath, kind: "crc"});
    expect(result.errors[0].message).toMatch(/^record at byte \d+: data CRC mismatch/);
  });

  it("fails with a clear message when there are no event files", async () => {
    const empty = join(root, "empty");
    mkdirSync(empty);
    await expect(logsCommand({run: empty}, recordingEffects())).rejects.toThrow(/no TensorBoard event files/);
    await expect(logsCommand({run: join(root, "missing")}, recordingEffects())).rejects.toThrow(/no such run folder/);
  });
});
