import fc from "fast-check";
import {afterAll, describe, expect, it} from "vitest";

import {parseIdx} from "../../src/core/data/idx.js";
import {FormatError} from "../../src/core/errors.js";
import {makeIdx, patternBytes} from "./makeIdx.js";

/** Calls `fn`, expects a FormatError and returns its message. */
function formatErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as Error).message;
  }
  throw new Error("expected a FormatError, nothing was thrown");
}

describe("parseIdx(bytes, options)", () => {
  it("parses a rank-3 image file: shape from the header, data after it", () => {
    const bytes = makeIdx([3, 28, 28]);
    const result = parseIdx(bytes, {rank: 3, innerShape: [28, 28]});
    expect(result.shape).toEqual([3, 28, 28]);
    expect(result.data.length).toBe(3 * 28 * 28);
    expect(Array.from(result.data)).toEqual(Array.from(patternBytes(3 * 28 * 28)));
  });

  it("parses a rank-1 label file", () => {
    const labels = Uint8Array.from([9, 0, 0, 3, 0, 2, 7]);
    const result = parseIdx(makeIdx([7], {data: labels}), {rank: 1});
    expect(result.shape).toEqual([7]);
    expect(Array.from(result.data)).toEqual([9, 0, 0, 3, 0, 2, 7]);
  });

  it("reads the header big-endian", () => {
    const bytes = Uint8Array.from([0, 0, 8, 2, 0, 0, 1, 2, 0, 0, 0, 1, ...new Uint8Array(258)]);
    expect(parseIdx(bytes).shape).toEqual([258, 1]);
  });

  it("returns a view into the input, honouring a non-zero byteOffset", () => {
    const idx = makeIdx([2, 2], {data: Uint8Array.from([10, 20, 30, 40])});
    const padded = new Uint8Array(idx.length + 5);
    padded.set(idx, 5);
    const result = parseIdx(padded.subarray(5));
    expect(result.shape).toEqual([2, 2]);
    expect(Array.from(result.data)).toEqual([10, 20, 30, 40]);
    expect(result.data.buffer).toBe(padded.buffer);
  });

  it("accepts an empty data section when a dimension is 0", () => {
    expect(parseIdx(makeIdx([0, 28, 28]), {rank: 3, innerShape: [28, 28]}).data.length).toBe(0);
  });

  it("rejects a label file given where images are expected (expected magic 2051, got 2049)", () => {
    const message = formatErrorOf(() =>
      parseIdx(makeIdx([5], {data: new Uint8Array(5)}), {name: "train-images-idx3-ubyte", rank: 3})
    );
    expect(message).toContain("train-images-idx3-ubyte");
    expect(message).toContain("expected magic 2051");
    expect(message).toContain("got 2049");
  });

  it("rejects an image file given where labels are expected (expected magic 2049, got 2051)", () => {
    const message = formatErrorOf(() => parseIdx(makeIdx([1, 28, 28]), {rank: 1}));
    expect(message).toMatch(/expected magic 2049.*got 2051/);
  });

  it("rejects bytes that do not start with two zero bytes", () => {
    const gzip = Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
    expect(formatErrorOf(() => parseIdx(gzip, {name: "x.gz"}))).toMatch(/^x\.gz: not an IDX file \(magic 0x1f8b0800/);
    const png = new TextEncoder().encode("\x89PNG\r\n\x1a\n");
    expect(formatErrorOf(() => parseIdx(png))).toMatch(/not an IDX file/);
  });

  it("rejects a buffer shorter than the magic", () => {
    for (const length of [0, 1, 2, 3]) {
      expect(formatErrorOf(() => parseIdx(new Uint8Array(length), {name: "f"}))).toBe(
        `f: not an IDX file (only ${length} bytes)`
      );
    }
  });

  for (const type of [0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x00, 0xff]) {
    it(`rejects unsupported type byte 0x${type.toString(16)}`, () => {
      const message = formatErrorOf(() => parseIdx(makeIdx([2], {type, data: new Uint8Array(2)})));
      expect(message).toContain(`unsupported IDX type 0x${type.toString(16)}`);
      expect(message).toContain("expected 0x08");
    });
  }

  it("rejects a truncated header", () => {
    const full = makeIdx([2, 28, 28]);
    for (const length of [4, 5, 8, 12, 15]) {
      const message = formatErrorOf(() => parseIdx(full.subarray(0, length), {name: "f"}));
      expect(message).toBe(`f: truncated header (${length} bytes, expected at least 16)`);
    }
  });

  it("rejects rank 0 (no dimensions)", () => {
    expect(formatErrorOf(() => parseIdx(Uint8Array.from([0, 0, 8, 0, 1, 2])))).toMatch(/truncated header/);
  });

  it("rejects truncated data, giving both byte counts", () => {
    const full = makeIdx([2, 28, 28]);
    const message = formatErrorOf(() => parseIdx(full.subarray(0, full.length - 1), {name: "imgs", rank: 3}));
    expect(message).toContain("imgs");
    expect(message).toContain("truncated");
    expect(message).toContain("2x28x28 = 1568 bytes");
    expect(message).toContain("file has 1567");
  });

  it("rejects trailing bytes, giving both byte counts", () => {
    const bytes = makeIdx([3], {data: Uint8Array.from([1, 2, 3, 4])});
    const message = formatErrorOf(() => parseIdx(bytes, {rank: 1}));
    expect(message).toMatch(/has trailing bytes: header declares 3 = 3 bytes of data, file has 4$/);
  });

  it("rejects items of the wrong size (innerShape)", () => {
    const message = formatErrorOf(() => parseIdx(makeIdx([2, 32, 32]), {rank: 3, innerShape: [28, 28]}));
    expect(message).toContain("expected items of 28x28, got 32x32");
    expect(formatErrorOf(() => parseIdx(makeIdx([2, 28, 27]), {innerShape: [28, 28]}))).toContain("got 28x27");
  });

  it("checks innerShape even without rank", () => {
    expect(formatErrorOf(() => parseIdx(makeIdx([2, 784]), {innerShape: [28, 28]}))).toContain("got 784");
  });

  it("rejects a header declaring 4e9 x 28 x 28 on a tiny buffer quickly and without allocating", () => {
    const bytes = makeIdx([4_000_000_000, 28, 28], {data: new Uint8Array(10)});
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    const message = formatErrorOf(() => parseIdx(bytes, {rank: 3, innerShape: [28, 28]}));
    const elapsed = performance.now() - start;
    expect(message).toContain("truncated");
    expect(message).toContain(`4000000000x28x28 = ${4_000_000_000 * 784} bytes`);
    expect(message).toContain("file has 10");
    expect(elapsed).toBeLessThan(500);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it("does not let dimensions that overflow 32 bits wrap round to the real data length", () => {
    // 65536 * 65536 = 2^32, which is 0 in uint32 arithmetic; the data section really is empty.
    expect(formatErrorOf(() => parseIdx(makeIdx([65536, 65536], {data: new Uint8Array(0)})))).toContain("truncated");
  });
});

describe("parseIdx(bytes) fuzzing", () => {
  const SEED = 20250601;
  const NUM_RUNS = 2000;
  const counts: Record<string, number> = {};

  afterAll(() => {
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const parts = Object.entries(counts).map(([k, v]) => `${k} ${v}`);
    console.log(`idx fuzz: ${total} cases (${parts.join(", ")}), seed ${SEED}`);
  });

  /** parseIdx either returns a consistent result or throws a FormatError, nothing else. */
  function checkParse(bytes: Uint8Array, options?: Parameters<typeof parseIdx>[1]): "ok" | "rejected" {
    let result;
    try {
      result = parseIdx(bytes, options);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      return "rejected";
    }
    expect(result.data.length).toBe(result.shape.reduce((a, b) => a * b, 1));
    expect(result.data.length + 4 + 4 * result.shape.length).toBe(bytes.length);
    if (options?.rank !== undefined) expect(result.shape.length).toBe(options.rank);
    if (options?.innerShape) expect(result.shape.slice(1)).toEqual(options.innerShape);
    return "ok";
  }

  const optionsArb = fc.record(
    {rank: fc.integer({min: 0, max: 4}), innerShape: fc.array(fc.integer({min: 0, max: 4}), {maxLength: 3})},
    {requiredKeys: []}
  );

  it("random byte arrays: a result whose data length is the shape's product, or a FormatError", () => {
    const outcomes = {ok: 0, rejected: 0};
    // Half fully random, half behind a plausible magic so the checks after the magic are reached.
    const bytesArb = fc.oneof(
      fc.uint8Array({maxLength: 80}),
      fc
        .tuple(fc.integer({min: 0, max: 4}), fc.uint8Array({maxLength: 80}))
        .map(([rank, rest]) => Uint8Array.from([0, 0, 8, rank, ...rest]))
    );
    fc.assert(
      fc.property(bytesArb, optionsArb, (bytes, options) => {
        outcomes[checkParse(bytes, options)]++;
      }),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    counts["random bytes"] = outcomes.ok + outcomes.rejected;
    expect(outcomes.ok + outcomes.rejected).toBe(NUM_RUNS);
  });

  it("random small headers with random data lengths: parses exactly when the length matches", () => {
    const outcomes = {ok: 0, rejected: 0};
    const arb = fc.tuple(fc.array(fc.integer({min: 0, max: 6}), {minLength: 1, maxLength: 4}), fc.nat({max: 300}));
    fc.assert(
      fc.property(arb, ([shape, length]) => {
        const bytes = makeIdx(shape, {data: patternBytes(length)});
        const outcome = checkParse(bytes);
        expect(outcome === "ok").toBe(length === shape.reduce((a, b) => a * b, 1));
        outcomes[outcome]++;
      }),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    counts["small headers"] = outcomes.ok + outcomes.rejected;
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it("random truncations of a valid buffer always throw a FormatError", () => {
    let cases = 0;
    const arb = fc
      .tuple(fc.array(fc.integer({min: 1, max: 5}), {minLength: 1, maxLength: 3}), fc.double({min: 0, max: 1}))
      .map(([shape, fraction]) => {
        const full = makeIdx(shape);
        return {full, length: Math.min(full.length - 1, Math.floor(fraction * full.length))};
      });
    fc.assert(
      fc.property(arb, ({full, length}) => {
        cases++;
        expect(checkParse(full)).toBe("ok");
        expect(checkParse(full.subarray(0, length))).toBe("rejected");
        expect(checkParse(full.slice(0, length))).toBe("rejected");
      }),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    counts.truncations = cases;
  });

  it("random bit flips in the header: a consistent result or a FormatError", () => {
    const outcomes = {ok: 0, rejected: 0};
    const arb = fc
      .tuple(
        fc.array(fc.integer({min: 0, max: 4}), {minLength: 1, maxLength: 3}),
        fc.array(fc.nat(), {minLength: 1, maxLength: 3})
      )
      .map(([shape, flips]) => {
        const bytes = makeIdx(shape);
        const headerBits = (4 + 4 * shape.length) * 8;
        for (const flip of flips) {
          const bit = flip % headerBits;
          bytes[bit >> 3] ^= 1 << (bit & 7);
        }
        return bytes;
      });
    fc.assert(
      fc.property(arb, optionsArb, (bytes, options) => {
        outcomes[checkParse(bytes)]++;
        outcomes[checkParse(bytes, options)]++;
      }),
      {seed: SEED, numRuns: NUM_RUNS}
    );
    counts["header bit flips"] = (outcomes.ok + outcomes.rejected) / 2;
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});
