import {readFileSync} from "node:fs";
import {gunzipSync} from "node:zlib";

import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../../src/core/data/fashionMnist.js";
import {parseIdx} from "../../../src/core/data/idx.js";
import {layoutCsv, selectionCsv} from "../../../web/src/views/projector/csvExport.js";

const TEST_LABELS = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";
const labels = parseIdx(gunzipSync(readFileSync(TEST_LABELS))).data.slice(0, 6);
// A model that takes image 4 for the next class; scores as float32, as metadata.tsv gives them.
const predicted = labels.map((l, i) => (i === 4 ? (l + 1) % 10 : l));
const scores = Float32Array.from([0.9998, 1, 0.75, 0.5, 0.61234567, 0.3]);
const layout = {coords: [0.5, -1.25, 2, 3, 4.125, 5, 6, 7, 8, 9, 10, 11], dim: 2};

describe("selectionCsv(data, indices, layout, classNames)", () => {
  it("writes index, label, prediction, score and the layout's coordinates, one CRLF row per selected image", () => {
    const csv = selectionCsv({labels, predicted, scores}, [0, 2, 4], layout, CLASS_NAMES);
    const name = (c: number) => CLASS_NAMES[c];
    expect(csv).toBe(
      [
        "index,label,prediction,score,x,y",
        `0,${name(labels[0])},${name(labels[0])},0.9998,0.5,-1.25`,
        `2,${name(labels[2])},${name(labels[2])},0.75,4.125,5`,
        `4,${name(labels[4])},${name(predicted[4])},0.612346,8,9`,
        ""
      ].join("\r\n")
    );
  });

  it("quotes a field with a comma or a quote (RFC 4180) and writes a third coordinate in 3-D", () => {
    const names = CLASS_NAMES.map((c, i) => (i === labels[1] ? `Top, "long"` : c));
    const csv = selectionCsv({labels, predicted, scores}, [1], {coords: [0, 0, 0, 1, 2, 3], dim: 3}, names);
    expect(csv.split("\r\n")[0]).toBe("index,label,prediction,score,x,y,z");
    expect(csv.split("\r\n")[1]).toBe(`1,"Top, ""long""","Top, ""long""",1,1,2,3`);
  });
});

describe("layoutCsv(count, layout)", () => {
  it("writes every point's coordinates", () => {
    const rows = layoutCsv(6, layout).trimEnd().split("\r\n");
    expect(rows).toHaveLength(7);
    expect(rows[0]).toBe("index,x,y");
    expect(rows[6]).toBe("5,10,11");
  });
});
