/**
 * A selection of point indices as short URL text: sorted ranges ("3,10-12,40") or, when they are
 * long and a bitset is shorter (a lasso of a few hundred scattered points), "b:" and the base64url of a bitset (bit i is
 * bit i % 8 of byte i / 8; trailing zero bytes left out). 10,000 points fit in 1,667 characters.
 */

const BITSET_PREFIX = "b:";

/** Sorted, distinct. */
function normalise(indices: readonly number[]): number[] {
  return [...new Set(indices)].sort((a, b) => a - b);
}

function ranges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < sorted.length;) {
    let end = k;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end++;
    parts.push(end > k ? `${sorted[k]}-${sorted[end]}` : String(sorted[k]));
    k = end + 1;
  }
  return parts.join(",");
}

function bitset(sorted: readonly number[]): string {
  const bytes = new Uint8Array(sorted.length ? (sorted[sorted.length - 1] >> 3) + 1 : 0);
  for (const i of sorted) bytes[i >> 3] |= 1 << (i & 7);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return BITSET_PREFIX + btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Ranges up to this long stay ranges even where the bitset is shorter: a person can read them. */
const READABLE = 64;

/** The shorter of the two encodings of `indices` (non-negative integers), short ranges preferred; "" for none. */
export function encodeSelection(indices: readonly number[]): string {
  const sorted = normalise(indices);
  if (sorted.length === 0) return "";
  const asRanges = ranges(sorted);
  if (asRanges.length <= READABLE) return asRanges;
  const asBits = bitset(sorted);
  return asBits.length < asRanges.length ? asBits : asRanges;
}

/**
 * The indices that `text` names, sorted; those outside [0, count) and unreadable parts are left
 * out (a URL may be typed by hand or cut short).
 */
export function decodeSelection(text: string, count: number): number[] {
  const out: number[] = [];
  if (text.startsWith(BITSET_PREFIX)) {
    let binary: string;
    try {
      binary = atob(text.slice(BITSET_PREFIX.length).replace(/-/g, "+").replace(/_/g, "/"));
    } catch {
      return [];
    }
    for (let byte = 0; byte < binary.length; byte++) {
      const b = binary.charCodeAt(byte);
      for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) out.push(byte * 8 + bit);
    }
    return out.filter((i) => i < count);
  }
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) continue;
    const from = Number(m[1]);
    const to = Math.min(m[2] === undefined ? from : Number(m[2]), count - 1);
    for (let i = from; i <= to; i++) out.push(i);
  }
  return normalise(out);
}
