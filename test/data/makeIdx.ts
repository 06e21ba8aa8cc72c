/**
 * Builds IDX buffers for tests: a 4-byte magic (0, 0, type, rank), one big-endian uint32 per
 * dimension, then the data. Not a test file itself (no `.test.ts`).
 */

/** Options for {@link makeIdx}. */
export interface MakeIdxOptions {
  /** Type byte (default 0x08, unsigned byte). */
  type?: number;
  /** Data bytes; default `i % 256` for byte i. Its length need not match the shape. */
  data?: Uint8Array;
}

/** An IDX buffer with header `shape` and, by default, exactly the right amount of data. */
export function makeIdx(shape: number[], options: MakeIdxOptions = {}): Uint8Array {
  const data = options.data ?? patternBytes(shape.reduce((a, b) => a * b, 1));
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = options.type ?? 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * shape.length);
  return out;
}

/** `n` bytes 0, 1, 2, …, 255, 0, 1, … */
export function patternBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = i % 256;
  return out;
}

/** A synthetic split in IDX form: `count` images of 28x28 and `count` labels (`i % 10`). */
export function makeSplitFiles(count: number): {images: Uint8Array; labels: Uint8Array} {
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = i % 10;
  return {images: makeIdx([count, 28, 28]), labels: makeIdx([count], {data: labels})};
}
