/**
 * IDX file parser (the format of MNIST and Fashion-MNIST, described on Yann LeCun's MNIST page):
 * a 4-byte magic (two zero bytes, a type code, the number of dimensions), one big-endian uint32
 * per dimension, then the data. Only unsigned bytes (type 0x08) are supported, which is what both
 * datasets use. Every size is checked before anything is allocated.
 */
import {FormatError} from "../errors.js";

export interface IdxArray {
  /** Dimensions from the header, e.g. [60000, 28, 28]. */
  shape: number[];
  /** The raw bytes, row-major; a view into the input buffer. */
  data: Uint8Array;
}

/** Options for {@link parseIdx}. */
export interface ParseIdxOptions {
  /** Name used in error messages (usually the file path). */
  name?: string;
  /** Required number of dimensions (3 for images, 1 for labels). */
  rank?: number;
  /** Required sizes of the trailing dimensions, e.g. [28, 28]. */
  innerShape?: number[];
}

const UNSIGNED_BYTE = 0x08;

/** Parses an (uncompressed) IDX buffer; throws a {@link FormatError} naming the file on any mismatch. */
export function parseIdx(bytes: Uint8Array, options: ParseIdxOptions = {}): IdxArray {
  const name = options.name ?? "IDX data";
  if (bytes.length < 4) throw new FormatError(`${name}: not an IDX file (only ${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FormatError(`${name}: not an IDX file (magic 0x${hex(magic)}, expected 0x0000 then type and rank)`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new FormatError(`${name}: unsupported IDX type 0x${bytes[2].toString(16)}, expected 0x08 (unsigned byte)`);
  }
  const rank = bytes[3];
  if (options.rank !== undefined && rank !== options.rank) {
    const expected = 0x0800 + options.rank;
    throw new FormatError(`${name}: expected magic ${expected} (rank ${options.rank}), got ${magic} (rank ${rank})`);
  }
  const headerLength = 4 + 4 * rank;
  if (rank === 0 || bytes.length < headerLength) {
    throw new FormatError(`${name}: truncated header (${bytes.length} bytes, expected at least ${headerLength})`);
  }
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  if (options.innerShape) {
    const inner = shape.slice(1);
    if (inner.join("x") !== options.innerShape.join("x")) {
      throw new FormatError(`${name}: expected items of ${options.innerShape.join("x")}, got ${inner.join("x")}`);
    }
  }
  // Multiply in floating point: a lying header cannot overflow into a small number.
  const expectedData = shape.reduce((a, b) => a * b, 1);
  const actualData = bytes.length - headerLength;
  if (actualData !== expectedData) {
    const what = actualData < expectedData ? "truncated" : "has trailing bytes";
    throw new FormatError(
      `${name}: ${what}: header declares ${shape.join("x")} = ${expectedData} bytes of data, file has ${actualData}`
    );
  }
  return {shape, data: bytes.subarray(headerLength)};
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
