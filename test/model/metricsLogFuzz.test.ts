/**
 * Fuzzing the reader of a run's metrics.jsonl (readEpochLogs) with bit flips and truncations of
 * the shipped run's real log. The log has no checksums, so a flip may leave a valid but different
 * line; what must hold is that the reader never throws, returns only well-typed epoch lines, and
 * keeps every line the damage did not touch.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import fc from "fast-check";
import {afterAll, describe, expect, it} from "vitest";

import {readEpochLogs} from "../../src/node/model/runDir.js";
import {METRICS_FILE, type EpochLog} from "../../src/core/formats/metricsLog.js";

const SEED = 20261129;
const SHIPPED_LOG = new URL("../../models/fashion-cnn/run/metrics.jsonl", import.meta.url).pathname;
const run = mkdtempSync(join(tmpdir(), "fmnist-metrics-fuzz-"));
afterAll(() => rmSync(run, {recursive: true, force: true}));

const original = new Uint8Array(readFileSync(SHIPPED_LOG));
/** Byte ranges [start, end] of each line including its newline. */
const lines: {start: number; end: number; value: EpochLog}[] = [];
for (let start = 0; start < original.length;) {
  const end = original.indexOf(0x0a, start);
  const text = new TextDecoder().decode(original.subarray(start, end));
  // What the reader returns: the epoch's metrics, without the line's type and time.
  const {type: _type, time: _time, ...value} = JSON.parse(text) as EpochLog & {type: string; time: string};
  lines.push({start, end, value});
  start = end + 1;
}

function expectWellTyped(logs: EpochLog[]): void {
  for (const log of logs) {
    expect(Number.isInteger(log.epoch) && log.epoch >= 1).toBe(true);
    expect(typeof log.checkpoint).toBe("boolean");
    for (const f of ["loss", "accuracy", "val_loss", "val_accuracy", "seconds"] as const) {
      expect(log[f] === null || typeof log[f] === "number").toBe(true);
    }
  }
}

async function readBytes(bytes: Uint8Array): Promise<EpochLog[]> {
  writeFileSync(join(run, METRICS_FILE), bytes);
  return readEpochLogs(run);
}

describe("readEpochLogs on a damaged copy of the shipped run's metrics.jsonl", () => {
  const FLIP_RUNS = 300;
  const CUT_RUNS = 150;
  it(`keeps every untouched line and returns only well-typed ones (${FLIP_RUNS} bit-flip cases)`, async () => {
    // The fixture parsed: epochs 1, 2, … in order.
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.value.epoch)).toEqual(lines.map((_, i) => i + 1));
    let n = 0;
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.nat({max: original.length - 1}), fc.nat({max: 7})), {
          minLength: 1,
          maxLength: 6,
          selector: ([byte]) => byte
        }),
        async (flips) => {
          n++;
          const bytes = original.slice();
          for (const [byte, bit] of flips) bytes[byte] ^= 1 << bit;
          const logs = await readBytes(bytes);
          expectWellTyped(logs);
          // A flip may turn a byte into a newline or a newline into something else: the
          // neighbouring lines' bytes count as touched too.
          const touched = (l: (typeof lines)[number]) => flips.some(([b]) => b >= l.start - 1 && b <= l.end);
          const untouched = lines.filter((l) => !touched(l)).map((l) => l.value);
          for (const value of untouched) expect(logs).toContainEqual(value);
          kept += untouched.length;
        }
      ),
      {seed: SEED, numRuns: FLIP_RUNS}
    );
    console.log(`metrics.jsonl bit flips: ${n} cases, ${kept} untouched lines all kept`);
  });

  it(`returns exactly the complete lines before a cut (${CUT_RUNS} truncation cases)`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({max: original.length}), async (cut) => {
        n++;
        const logs = await readBytes(original.subarray(0, cut));
        // A line cut just before its newline is still complete JSON.
        const complete = lines.filter((l) => l.end < cut).map((l) => l.value);
        const last = lines.find((l) => l.end === cut);
        expect(logs).toEqual(last ? [...complete, last.value] : complete);
      }),
      {seed: SEED, numRuns: CUT_RUNS}
    );
    console.log(`metrics.jsonl truncations: ${n} cases`);
  });

  it("skips lines that are valid JSON but not epoch lines (null, numbers, wrong types)", async () => {
    const good = JSON.stringify({type: "epoch", ...lines[0].value});
    const text = [
      "null",
      "5",
      '"epoch"',
      "[]",
      '{"type":"epoch","epoch":"2"}',
      good.replace('"loss":', '"loss":"x","x":'),
      good
    ]
      .map((l) => l + "\n")
      .join("");
    expect(await readBytes(new TextEncoder().encode(text))).toEqual([lines[0].value]);
  });
});
