import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";

import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../../src/core/data/fashionMnist.js";
import {parseIdx} from "../../../src/core/data/idx.js";
import {classByName, runQuery} from "../../../web/src/views/projector/queries.js";

const TEST_LABELS = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";

describe("projector queries", () => {
  it("finds a class by its name in any case, or by a unique prefix", () => {
    expect(classByName("sneaker", CLASS_NAMES)).toBe(7);
    expect(classByName("Ankle", CLASS_NAMES)).toBe(9);
    expect(classByName("t-shirt/top", CLASS_NAMES)).toBe(0);
    // "S" starts Sandal, Shirt and Sneaker: ambiguous.
    expect(classByName("s", CLASS_NAMES)).toBeUndefined();
    expect(classByName("  ", CLASS_NAMES)).toBeUndefined();
  });

  it("matches true classes, predictions, right and wrong, and indices", () => {
    const data = {labels: [7, 9, 7, 0], predicted: [7, 7, 9, 0], count: 4};
    expect(runQuery("Sneaker", data, CLASS_NAMES)).toEqual({indices: [0, 2], description: "true class Sneaker"});
    expect(runQuery("predicted:sneaker", data, CLASS_NAMES).indices).toEqual([0, 1]);
    expect(runQuery("wrong", data, CLASS_NAMES).indices).toEqual([1, 2]);
    expect(runQuery("correct", data, CLASS_NAMES).indices).toEqual([0, 3]);
    expect(runQuery("index:3", data, CLASS_NAMES)).toEqual({indices: [3], description: "test image 3"});
    expect(runQuery(" 2 ", data, CLASS_NAMES).indices).toEqual([2]);
    expect(() => runQuery("4", data, CLASS_NAMES)).toThrow("there is no test image 4 (0 to 3)");
    expect(() => runQuery("boots", data, CLASS_NAMES)).toThrow('"boots" is not a class name');
  });

  it("finds the 1,000 test images of each class in the real test labels", () => {
    const labels = parseIdx(gunzipSync(readFileSync(TEST_LABELS))).data as Uint8Array;
    const data = {labels, predicted: labels, count: labels.length};
    for (const name of CLASS_NAMES) expect(runQuery(name, data, CLASS_NAMES).indices).toHaveLength(1000);
    expect(runQuery("wrong", data, CLASS_NAMES).indices).toHaveLength(0);
  });
});
