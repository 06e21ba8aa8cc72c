import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";

import {describe, expect, it} from "vitest";

import {parseIdx} from "../../../src/core/data/idx.js";
import {decodeSelection, encodeSelection} from "../../../web/src/views/projector/selectionCodec.js";

const TEST_LABELS = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";
const labels = parseIdx(gunzipSync(readFileSync(TEST_LABELS))).data;
const COUNT = labels.length;

/** The test images of true class `c`: 1,000 indices scattered over the 10,000, as a lasso or search gives. */
const ofClass = (c: number) => Array.from(labels.keys()).filter((i) => labels[i] === c);

describe("encodeSelection(indices) / decodeSelection(text, count)", () => {
  it("writes few or clustered indices as sorted ranges", () => {
    expect(encodeSelection([12, 3, 10, 11, 40, 11])).toBe("3,10-12,40");
    expect(decodeSelection("3,10-12,40", COUNT)).toEqual([3, 10, 11, 12, 40]);
    expect(encodeSelection([])).toBe("");
    expect(decodeSelection("", COUNT)).toEqual([]);
    expect(encodeSelection(Array.from({length: COUNT}, (_, i) => i))).toBe(`0-${COUNT - 1}`);
  });

  it("writes a scattered selection (a class of the test set) as a shorter bitset, and reads it back", () => {
    for (const c of [0, 8, 9]) {
      const indices = ofClass(c);
      expect(indices).toHaveLength(1000);
      const text = encodeSelection(indices);
      expect(text).toMatch(/^b:[A-Za-z0-9_-]+$/);
      // At most one bit per image: 10,000 bits are 1,250 bytes, 1,667 base64 characters.
      expect(text.length).toBeLessThanOrEqual(2 + Math.ceil((Math.ceil(COUNT / 8) * 4) / 3));
      expect(text.length).toBeLessThan(indices.join(",").length / 2);
      expect(decodeSelection(text, COUNT)).toEqual(indices);
    }
  });

  it("leaves out what a hand-edited or cut-short URL gets wrong", () => {
    expect(decodeSelection("5,x,7-9,20000,9990-10005,-3", COUNT)).toEqual([
      5,
      7,
      8,
      9,
      ...Array.from({length: 10}, (_, k) => 9990 + k)
    ]);
    // An export of fewer images than the URL was made for.
    expect(decodeSelection(encodeSelection([1, 9999]), 5000)).toEqual([1]);
    expect(decodeSelection(encodeSelection(ofClass(5)), 5000)).toEqual(ofClass(5).filter((i) => i < 5000));
    expect(decodeSelection("b:%%%", COUNT)).toEqual([]);
    expect(decodeSelection(encodeSelection(ofClass(3)).slice(0, 100), COUNT)).toEqual(
      ofClass(3).filter((i) => i < 8 * 73)
    );
  });
});
