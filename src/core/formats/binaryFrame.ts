/**
 * The framing our binary files share (ood-stats.bin, training_examples.bin): a magic line naming the
 * format and its version, a little-endian uint32 header length, a JSON header, zero padding to a
 * multiple of 4 bytes, then the body (typed arrays laid end to end, so float32 data stays aligned).
 * A JSON header keeps the file self-describing; the body keeps thousands of numbers compact.
 * Isomorphic.
 */

/** A file's bytes with room for `bodyBytes` after the header; the caller fills the body. */
export interface FrameWriter {
  bytes: Uint8Array;
  view: DataView;
  bodyStart: number;
}

/** A parsed frame: the header as JSON (for the format's own schema) and where the body starts. */
export interface Frame {
  header: unknown;
  view: DataView;
  bodyStart: number;
  /** Bytes after `bodyStart`. */
  bodyBytes: number;
}

/** True when `bytes` start with `magic`. */
export function hasMagic(bytes: Uint8Array, magic: Uint8Array): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Allocates a framed file with `header` written and `bodyBytes` of zeroed body. */
export function writeFrame(magic: Uint8Array, header: object, bodyBytes: number): FrameWriter {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bodyStart = Math.ceil((magic.length + 4 + json.length) / 4) * 4;
  const bytes = new Uint8Array(bodyStart + bodyBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(magic, 0);
  view.setUint32(magic.length, json.length, true);
  bytes.set(json, magic.length + 4);
  return {bytes, view, bodyStart};
}

/**
 * Reads the header of a framed file (`what` names the kind, e.g. "an out-of-distribution
 * statistics file"); `fail(problem)` makes the error the format throws (it names
 * the file and says how to remake it).
 */
export function readFrame(bytes: Uint8Array, magic: Uint8Array, what: string, fail: (problem: string) => Error): Frame {
  if (!hasMagic(bytes, magic)) throw fail(`not ${what}`);
  if (bytes.length < magic.length + 4) throw fail("truncated header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(magic.length, true);
  if (magic.length + 4 + jsonLength > bytes.length) throw fail("truncated header");
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(magic.length + 4, magic.length + 4 + jsonLength)));
  } catch {
    throw fail("damaged header");
  }
  const bodyStart = Math.ceil((magic.length + 4 + jsonLength) / 4) * 4;
  return {header, view, bodyStart, bodyBytes: bytes.length - bodyStart};
}

/** Writes float32 values little-endian at `offset`; returns the offset after them. */
export function putFloat32s(view: DataView, offset: number, values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++, offset += 4) view.setFloat32(offset, values[i], true);
  return offset;
}

/** Reads `count` little-endian float32 values at `offset`. */
export function getFloat32s(view: DataView, offset: number, count: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++, offset += 4) values[i] = view.getFloat32(offset, true);
  return values;
}
