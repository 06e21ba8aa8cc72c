/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 *
 *   uint64 length (little-endian) | uint32 masked CRC-32C of the length bytes | data | uint32 masked CRC-32C of data
 *
 * where the mask is `((crc >>> 15) | (crc << 17)) + 0xa282ead8` (TensorFlow's `tensorflow/core/lib/hash/crc32c.h`),
 * so that CRCs of data that itself holds CRCs stay well distributed. CRC-32C (Castagnoli) comes
 * from the `crc-32` package. Isomorphic.
 */
import crc32cModule from "crc-32/crc32c.js";

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;
const MASK_DELTA = 0xa282ead8;

/** CRC-32C (Castagnoli) of `data` as an unsigned 32-bit integer; "123456789" gives 0xE3069283. */
export function crc32c(data: Uint8Array): number {
  return crc32cModule.buf(data) >>> 0;
}

/** TFRecord's masked CRC-32C of `data`. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c(data);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Frames one record: header, data and footer, ready to append to a file. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + data.length + FOOTER_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + data.length, maskedCrc32c(data), true);
  return out;
}

/** A record found by {@link scanRecords}: its byte offset in the file and its data. */
export interface FramedRecord {
  offset: number;
  data: Uint8Array;
}

/** Why scanning stopped early: the byte offset of the first bad record and what was wrong with it. */
export interface RecordError {
  offset: number;
  /** `truncated`: the file ends inside the record (typically a crash while appending); `crc`: corrupt bytes. */
  kind: "truncated" | "crc" | "decode";
  message: string;
}

/** Result of {@link scanRecords}: every record before the first bad one, and the error, if any. */
export interface RecordScan {
  records: FramedRecord[];
  error?: RecordError;
}

/**
 * Splits `bytes` into records, verifying both CRCs of each. Stops at the first record that is
 * truncated or fails a CRC check and reports its offset; the records before it are returned.
 */
export function scanRecords(bytes: Uint8Array): RecordScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: FramedRecord[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const fail = (kind: RecordError["kind"], message: string): RecordScan => ({
      records,
      error: {offset, kind, message: `record at byte ${offset}: ${message}`}
    });
    if (bytes.length - offset < HEADER_BYTES) {
      return fail("truncated", `file ends after ${bytes.length - offset} of the 12 header bytes`);
    }
    const lengthCrc = view.getUint32(offset + 8, true);
    const expectedLengthCrc = maskedCrc32c(bytes.subarray(offset, offset + 8));
    if (lengthCrc !== expectedLengthCrc) {
      return fail("crc", `length CRC mismatch (stored ${hex(lengthCrc)}, computed ${hex(expectedLengthCrc)})`);
    }
    const length = view.getBigUint64(offset, true);
    const available = bytes.length - offset - HEADER_BYTES - FOOTER_BYTES;
    if (length > BigInt(Math.max(available, 0))) {
      return fail("truncated", `length is ${length} bytes but only ${Math.max(available, 0)} follow`);
    }
    const n = Number(length);
    const start = offset + HEADER_BYTES;
    const data = bytes.subarray(start, start + n);
    const dataCrc = view.getUint32(start + n, true);
    const expectedDataCrc = maskedCrc32c(data);
    if (dataCrc !== expectedDataCrc) {
      return fail("crc", `data CRC mismatch (stored ${hex(dataCrc)}, computed ${hex(expectedDataCrc)})`);
    }
    records.push({offset, data});
    offset = start + n + FOOTER_BYTES;
  }
  return {records};
}

function hex(n: number): string {
  return "0x" + n.toString(16).padStart(8, "0");
}
