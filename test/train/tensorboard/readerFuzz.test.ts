/**
 * Fuzzing the TensorBoard event-file reader (and `fmnist logs` on top of it) with random bit flips,
 * truncations and random bytes. Every record is CRC-checked, so the reader must keep exactly the
 * records before the first damaged one and name its offset; it must never throw, loop or allocate
 * what a damaged length field claims.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";

import fc from "fast-check";
import sharp from "sharp";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {logsCommand} from "../../../src/cli/commands/logs.js";
import {UserError} from "../../../src/core/errors.js";
import {EventFileWriter} from "../../../src/node/tensorboard/eventWriter.js";
import {maskedCrc32c, scanRecords} from "../../../src/node/tensorboard/record.js";
import {parseEventFile} from "../../../src/node/tensorboard/reader.js";
import {recordingEffects} from "../../helpers/effects.js";

const SEED = 20261129;
const root = mkdtempSync(join(tmpdir(), "fmnist-tb-fuzz-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

let original: Uint8Array;
let offsets: number[];
let eventsCount: number;

/** An event file like training writes: scalars, a weight histogram and a PNG image. */
beforeAll(async () => {
  let t = 1_700_000_000;
  const writer = await EventFileWriter.open(join(root, "source"), {now: () => (t += 0.5), hostname: "fuzz"});
  for (let step = 1; step <= 5; step++) {
    writer.scalar("epoch_loss", 1 / step, step);
    writer.scalar("epoch_accuracy", 1 - 0.5 / step, step);
    writer.histogram(
      "conv2d/kernel",
      Array.from({length: 200}, (_, i) => Math.sin(i * step)),
      step
    );
  }
  const png = await sharp({create: {width: 16, height: 16, channels: 3, background: "#808080"}})
    .png()
    .toBuffer();
  writer.image("sample_inputs", new Uint8Array(png), 0);
  await writer.close();
  original = new Uint8Array(readFileSync(writer.path));
  const scan = scanRecords(original);
  expect(scan.error).toBeUndefined();
  offsets = scan.records.map((r) => r.offset);
  eventsCount = parseEventFile(original).events.length;
  expect(eventsCount).toBe(offsets.length);
});

/** Index of the record holding byte `b`. */
function recordOf(b: number): number {
  let i = 0;
  while (i + 1 < offsets.length && offsets[i + 1] <= b) i++;
  return i;
}

describe("parseEventFile on damaged copies of a real event file", () => {
  const FLIP_RUNS = 1000;
  const CUT_RUNS = 300;
  const RANDOM_RUNS = 500;

  it(`keeps the records before the first flipped bit and reports a CRC error there (${FLIP_RUNS} cases)`, () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.nat({max: original.length - 1}), fc.nat({max: 7})), {
          minLength: 1,
          maxLength: 4,
          selector: ([byte]) => byte
        }),
        (flips) => {
          n++;
          const bytes = original.slice();
          for (const [byte, bit] of flips) bytes[byte] ^= 1 << bit;
          const first = recordOf(Math.min(...flips.map(([b]) => b)));
          const result = parseEventFile(bytes);
          expect(result.events.map((e) => e.offset)).toEqual(offsets.slice(0, first));
          expect(result.error?.kind).toBe("crc");
          expect(result.error?.offset).toBe(offsets[first]);
        }
      ),
      {seed: SEED, numRuns: FLIP_RUNS}
    );
    console.log(`tfevents bit flips: ${n} cases on a ${original.length}-byte file of ${offsets.length} records`);
  });

  it(`reads a truncated file up to the cut and calls the rest truncated (${CUT_RUNS} cases)`, () => {
    let n = 0;
    fc.assert(
      fc.property(fc.nat({max: original.length}), (cut) => {
        n++;
        const result = parseEventFile(original.subarray(0, cut));
        const whole = offsets.filter((o, i) => (offsets[i + 1] ?? original.length) <= cut).length;
        expect(result.events).toHaveLength(whole);
        if (offsets.includes(cut) || cut === original.length) expect(result.error).toBeUndefined();
        else expect(result.error).toMatchObject({kind: "truncated", offset: offsets[whole]});
      }),
      {seed: SEED, numRuns: CUT_RUNS}
    );
    console.log(`tfevents truncations: ${n} cases`);
  });

  it(`returns an error, never throws, on random bytes (${RANDOM_RUNS} cases)`, () => {
    let n = 0;
    fc.assert(
      fc.property(fc.uint8Array({minLength: 1, maxLength: 300}), (bytes) => {
        n++;
        const result = parseEventFile(bytes);
        expect(result.events).toEqual([]);
        expect(result.error?.offset).toBe(0);
      }),
      {seed: SEED, numRuns: RANDOM_RUNS}
    );
    console.log(`tfevents random bytes: ${n} cases`);
  });

  it("reports a record whose CRC-valid length claims 2^63 bytes as truncated, without allocating it", () => {
    const header = new Uint8Array(12);
    const view = new DataView(header.buffer);
    view.setBigUint64(0, 2n ** 63n, true);
    view.setUint32(8, maskedCrc32c(header.subarray(0, 8)), true);
    const result = parseEventFile(header);
    expect(result.error).toMatchObject({kind: "truncated", offset: 0});
    expect(result.error?.message).toContain(`length is ${2n ** 63n} bytes but only 0 follow`);
  });
});

describe("logsCommand on a run whose event files are damaged", () => {
  const RUNS = 60;
  it(`returns the readable scalars and lists every damaged file (${RUNS} cases)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({max: original.length - 1}),
        fc.nat({max: 7}),
        fc.nat({max: original.length}),
        async (byte, bit, cut) => {
          const run = join(root, `run-${n++}`);
          const trainDir = join(run, "logs", "train");
          const validationDir = join(run, "logs", "validation");
          mkdirSync(trainDir, {recursive: true});
          mkdirSync(validationDir, {recursive: true});
          const flipped = original.slice();
          flipped[byte] ^= 1 << bit;
          writeFileSync(join(trainDir, "events.out.tfevents.1.flipped"), flipped);
          writeFileSync(join(validationDir, "events.out.tfevents.1.cut"), original.subarray(0, cut));
          const result = await logsCommand({run}, recordingEffects());
          const errorFiles = result.errors.map((e) => basename(e.path));
          expect(errorFiles).toContain("events.out.tfevents.1.flipped");
          expect(result.runs.map((r) => r.name)).toEqual(["train", "validation"]);
          const expectedCut = offsets.includes(cut) || cut === original.length ? 0 : 1;
          expect(errorFiles.filter((f) => f.endsWith(".cut"))).toHaveLength(expectedCut);
          rmSync(run, {recursive: true});
        }
      ),
      {seed: SEED, numRuns: RUNS}
    );
    console.log(`fmnist logs on damaged runs: ${n} cases`);
  });

  it("is a one-line UserError for a folder without event files", async () => {
    const empty = join(root, "empty-run");
    mkdirSync(empty);
    await expect(logsCommand({run: empty}, recordingEffects())).rejects.toThrow(UserError);
    await expect(logsCommand({run: join(root, "missing")}, recordingEffects())).rejects.toThrow(/no such run folder/);
  });
});
