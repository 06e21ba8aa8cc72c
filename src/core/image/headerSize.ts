/**
 * An image's width and height read from its header, before decoding, so a hostile file (a few KB
 * claiming a gigapixel) can be refused without allocating its pixels. Reads PNG, GIF, BMP, JPEG and
 * WebP (lossy, lossless, extended); undefined for anything else. Isomorphic.
 */
export interface Size {
  width: number;
  height: number;
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function jpegSize(b: Uint8Array, view: DataView): Size | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    const length = view.getUint16(i + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return {height: view.getUint16(i + 5), width: view.getUint16(i + 7)};
    }
    i += 2 + length;
  }
  return undefined;
}

function webpSize(b: Uint8Array, view: DataView): Size | undefined {
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 " && b.length >= 30) {
    return {width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff};
  }
  if (chunk === "VP8L" && b.length >= 25) {
    const bits = view.getUint32(21, true);
    return {width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1};
  }
  if (chunk === "VP8X" && b.length >= 30) {
    const u24 = (at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
    return {width: u24(24) + 1, height: u24(27) + 1};
  }
  return undefined;
}

export function imageHeaderSize(bytes: Uint8Array): Size | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && ascii(bytes, 1, 3) === "PNG" && ascii(bytes, 12, 4) === "IHDR") {
    return {width: view.getUint32(16), height: view.getUint32(20)};
  }
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === "GIF") {
    return {width: view.getUint16(6, true), height: view.getUint16(8, true)};
  }
  if (bytes.length >= 26 && ascii(bytes, 0, 2) === "BM") {
    return {width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true))};
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes, view);
  if (bytes.length >= 16 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP")
    return webpSize(bytes, view);
  return undefined;
}
