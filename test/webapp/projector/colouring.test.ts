import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../../src/core/data/fashionMnist.js";
import {CLASS_COLORS} from "../../../src/core/viz/scatterPlot.js";
import {hexToRgb, legend, writeColours} from "../../../web/src/views/projector/colouring.js";

const data = {labels: [0, 6, 6], predicted: [0, 0, 6], count: 3};

describe("projector colouring", () => {
  it("colours by true label, predicted label, or correct versus wrong", () => {
    const out = new Float32Array(9);
    writeColours("label", data, out);
    expect(Array.from(out.subarray(3, 6))).toEqual(hexToRgb(CLASS_COLORS[6]).map(Math.fround));
    writeColours("predicted", data, out);
    expect(Array.from(out.subarray(3, 6))).toEqual(hexToRgb(CLASS_COLORS[0]).map(Math.fround));
    writeColours("correct", data, out);
    expect(Array.from(out.subarray(0, 3))).toEqual(Array.from(out.subarray(6, 9)));
    expect(Array.from(out.subarray(0, 3))).not.toEqual(Array.from(out.subarray(3, 6)));
  });

  it("gives legends with counts and the search that finds each entry", () => {
    const byLabel = legend("label", data, CLASS_NAMES);
    expect(byLabel).toHaveLength(10);
    expect(byLabel[6]).toEqual({name: "Shirt", colour: CLASS_COLORS[6], count: 2, query: "Shirt"});
    expect(legend("predicted", data, CLASS_NAMES)[0]).toMatchObject({count: 2, query: "predicted:T-shirt/top"});
    expect(legend("correct", data, CLASS_NAMES).map((e) => [e.query, e.count])).toEqual([
      ["correct", 2],
      ["wrong", 1]
    ]);
  });

  it("reads hex colours", () => {
    expect(hexToRgb("#ff8000")).toEqual([1, 128 / 255, 0]);
  });
});
