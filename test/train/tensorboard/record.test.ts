import {describe, expect, it} from "vitest";

import {concatBytes} from "../../../src/core/bytes.js";
import {crc32c, frameRecord, maskedCrc32c, scanRecords} from "../../../src/node/tensorboard/record.js";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("crc32c(data)", () => {
  it("matches the CRC-32C check value of '123456789'", () => {
    expect(crc32c(bytes("123456789"))).toBe(0xe3069283);
  });

  it("is 0 for no bytes and unsigned for all inputs", () => {
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBeGreaterThan(0);
  });
});

describe("maskedCrc32c(data)", () => {
  it("rotates the CRC right by 15 bits and adds 0xa282ead8", () => {
    const crc = 0xe3069283;
    const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
    expect(maskedCrc32c(bytes("123456789"))).toBe((rotated + 0xa282ead8) >>> 0);
  });
});

describe("frameRecord(data)", () => {
  it("writes the length as uint64 LE, both masked CRCs and the data", () => {
    const data = bytes("hello");
    const record = frameRecord(data);
    const view = new DataView(record.buffer);
    expect(record.length).toBe(8 + 4 + 5 + 4);
    expect(view.getBigUint64(0, true)).toBe(5n);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(record.subarray(0, 8)));
    expect(record.subarray(12, 17)).toEqual(data);
    expect(view.getUint32(17, true)).toBe(maskedCrc32c(data));
  });
});

describe("scanRecords(bytes)", () => {
  const records = [bytes("first"), bytes(""), bytes("third record")];
  const file = concatBytes(records.map(frameRecord));
  const offsets = [0, 21, 37];

  it("returns every record with its offset", () => {
    const scan = scanRecords(file);
    expect(scan.error).toBeUndefined();
    expect(scan.records.map((r) => r.offset)).toEqual(offsets);
    expect(scan.records.map((r) => new TextDecoder().decode(r.data))).toEqual(["first", "", "third record"]);
  });

  it("stops at a record whose data CRC fails and reports its offset", () => {
    const bad = file.slice();
    bad[offsets[2] + 12 + 3] ^= 0x01;
    const scan = scanRecords(bad);
    expect(scan.records).toHaveLength(2);
    expect(scan.error).toMatchObject({offset: offsets[2], kind: "crc"});
    expect(scan.error?.message).toMatch(/^record at byte 37: data CRC mismatch/);
  });

  it("stops at a record whose length CRC fails, without trusting the length", () => {
    const bad = file.slice();
    bad[offsets[1]] = 0xff; // length becomes 255
    const scan = scanRecords(bad);
    expect(scan.records).toHaveLength(1);
    expect(scan.error).toMatchObject({offset: offsets[1], kind: "crc"});
    expect(scan.error?.message).toMatch(/length CRC mismatch/);
  });

  it("reports a record torn by a crash as truncated, keeping those before it", () => {
    for (const cut of [file.length - 1, offsets[2] + 5, offsets[2] + 14]) {
      const scan = scanRecords(file.subarray(0, cut));
      expect(scan.records).toHaveLength(2);
      expect(scan.error).toMatchObject({offset: offsets[2], kind: "truncated"});
    }
  });
});
