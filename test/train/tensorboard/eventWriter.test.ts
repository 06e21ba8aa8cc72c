import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {basename, join} from "node:path";

import sharp from "sharp";
import {afterAll, describe, expect, it} from "vitest";

import {EventFileWriter, pngImage} from "../../../src/node/tensorboard/eventWriter.js";
import {histogram} from "../../../src/node/tensorboard/histogram.js";
import {listEventFiles, readEventFile, scalarSeries} from "../../../src/node/tensorboard/reader.js";

const root = mkdtempSync(join(tmpdir(), "fmnist-tfevents-"));
afterAll(() => rmSync(root, {recursive: true, force: true}));

/** A clock that starts at a fixed time and advances by 0.25 s per reading. */
function clock(start = 1_700_000_000.5): () => number {
  let t = start - 0.25;
  return () => (t += 0.25);
}

async function tinyPng(): Promise<Uint8Array> {
  const raw = new Uint8Array(4 * 3 * 3).map((_, i) => (i * 37) % 256);
  return new Uint8Array(
    await sharp(raw, {raw: {width: 4, height: 3, channels: 3}})
      .png()
      .toBuffer()
  );
}

/** Writes a small run: version, three scalars, a histogram and an image. */
async function writeRun(dir: string) {
  const writer = await EventFileWriter.open(dir, {now: clock(), hostname: "testhost"});
  writer.scalar("epoch_loss", 0.6931471805599453, 1);
  writer.scalar("epoch_loss", 0.25, 2);
  writer.scalar("epoch_accuracy", 0.875, 2);
  writer.histogram("conv2d/kernel", [0.5, -0.25, 0.125, 3], 2);
  const png = await tinyPng();
  writer.image("sample_inputs", png, 0);
  await writer.close();
  return {path: writer.path, png};
}

describe("EventFileWriter and readEventFile", () => {
  it("names the file events.out.tfevents.<seconds>.<host> and starts it with brain.Event:2", async () => {
    const {path} = await writeRun(join(root, "naming"));
    expect(basename(path)).toBe("events.out.tfevents.1700000000.testhost");
    const {events, error} = await readEventFile(path);
    expect(error).toBeUndefined();
    expect(events[0]).toEqual({offset: 0, event: {wallTime: 1_700_000_000.5, step: 0, fileVersion: "brain.Event:2"}});
  });

  it("reads back exactly the values written", async () => {
    const {path, png} = await writeRun(join(root, "values"));
    const {events} = await readEventFile(path);
    expect(events.map((e) => e.event.step)).toEqual([0, 1, 2, 2, 2, 0]);
    expect(events.map((e) => e.event.wallTime)).toEqual([0, 1, 2, 3, 4, 5].map((k) => 1_700_000_000.5 + 0.25 * k));
    expect(scalarSeries([{path, events}])).toEqual({
      // Scalars are 32-bit floats in the file.
      epoch_loss: [
        {step: 1, wallTime: 1_700_000_000.75, value: Math.fround(0.6931471805599453)},
        {step: 2, wallTime: 1_700_000_001, value: 0.25}
      ],
      epoch_accuracy: [{step: 2, wallTime: 1_700_000_001.25, value: 0.875}]
    });
    expect(events[4].event.summary?.value).toEqual([{tag: "conv2d/kernel", histo: histogram([0.5, -0.25, 0.125, 3])}]);
    const image = events[5].event.summary?.value[0];
    expect(image?.tag).toBe("sample_inputs");
    expect(image?.image).toMatchObject({width: 4, height: 3, colorspace: 3});
    expect(new Uint8Array(image?.image?.encodedImageString ?? [])).toEqual(png);
  });

  it("writes nothing until flush, and close(discardPending) drops the queue", async () => {
    const dir = join(root, "pending");
    const writer = await EventFileWriter.open(dir, {now: clock(), hostname: "h"});
    const size = () => readFileSync(writer.path).length;
    const afterVersion = size();
    writer.scalar("batch_loss", 1, 1);
    expect(writer.pendingCount).toBe(1);
    expect(size()).toBe(afterVersion);
    await writer.flush();
    const afterFlush = size();
    expect(afterFlush).toBeGreaterThan(afterVersion);
    writer.scalar("batch_loss", 2, 2);
    await writer.close({discardPending: true});
    expect(size()).toBe(afterFlush);
    expect(() => writer.scalar("x", 1, 1)).toThrow(/after close/);
  });

  it("appends to an existing file of the same name instead of truncating it", async () => {
    const dir = join(root, "append");
    for (const value of [1, 2]) {
      const writer = await EventFileWriter.open(dir, {now: () => 1_700_000_100, hostname: "h"});
      writer.scalar("epoch_loss", value, value);
      await writer.close();
    }
    const files = await listEventFiles(dir);
    expect(files).toHaveLength(1);
    const {events, error} = await readEventFile(files[0]);
    expect(error).toBeUndefined();
    expect(scalarSeries([{path: files[0], events}]).epoch_loss.map((p) => p.value)).toEqual([1, 2]);
  });
});

describe("readEventFile on damaged files", () => {
  it("reports the offset of a record with one corrupted byte and stops cleanly", async () => {
    const {path} = await writeRun(join(root, "corrupt"));
    const good = await readEventFile(path);
    const target = good.events[3]; // the epoch_accuracy scalar
    const bytes = readFileSync(path);
    bytes[target.offset + 12 + 2] ^= 0x40; // a byte inside the record's data
    const damaged = join(root, "corrupt", "events.out.tfevents.1.damaged");
    writeFileSync(damaged, bytes);
    const result = await readEventFile(damaged);
    expect(result.events).toEqual(good.events.slice(0, 3));
    expect(result.error).toMatchObject({offset: target.offset, kind: "crc"});
    expect(result.error?.message).toContain(`record at byte ${target.offset}`);
  });

  it("keeps every complete record of a file torn by a crash", async () => {
    const {path} = await writeRun(join(root, "torn"));
    const good = await readEventFile(path);
    const bytes = readFileSync(path);
    const torn = join(root, "torn", "events.out.tfevents.2.torn");
    writeFileSync(torn, bytes.subarray(0, bytes.length - 7));
    const result = await readEventFile(torn);
    expect(result.events).toEqual(good.events.slice(0, -1));
    expect(result.error).toMatchObject({offset: good.events[good.events.length - 1].offset, kind: "truncated"});
  });

  it("reports a record whose bytes are not an Event", async () => {
    const {frameRecord} = await import("../../../src/node/tensorboard/record.js");
    const bad = join(root, "events.out.tfevents.3.notproto");
    writeFileSync(bad, frameRecord(new Uint8Array([0xff, 0xff, 0xff])));
    const result = await readEventFile(bad);
    expect(result.events).toEqual([]);
    expect(result.error).toMatchObject({offset: 0, kind: "decode"});
  });
});

describe("pngImage(png)", () => {
  it("reads the size and colour space from the IHDR chunk", async () => {
    expect(pngImage(await tinyPng())).toMatchObject({width: 4, height: 3, colorspace: 3});
  });

  it("rejects bytes that are not a PNG", () => {
    expect(() => pngImage(new Uint8Array(40))).toThrow(/expected PNG bytes/);
  });
});
