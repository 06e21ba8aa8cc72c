/** Each file format's writer and parser agree (src/core/formats), and the parsers refuse damage with a FormatError. */
import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {points} from "../../src/core/embed/points.js";
import {FormatError} from "../../src/core/errors.js";
import {epochLine, parseMetricsLog, type EpochLog} from "../../src/core/formats/metricsLog.js";
import {parseProjections, serialiseProjections} from "../../src/core/formats/projections.js";
import {metadataTsv, parseMetadataTsv} from "../../src/core/formats/projector.js";

describe("metadata.tsv", () => {
  it("reads back the labels, predictions and scores it was written from", () => {
    const labels = [0, 9, 3];
    const predicted = [0, 7, 3];
    const probabilities = new Float32Array(30).fill(0.01);
    probabilities[0] = 0.9;
    probabilities[17] = 0.6;
    probabilities[23] = 0.75;
    const parsed = parseMetadataTsv(metadataTsv(labels, predicted, probabilities, CLASS_NAMES), CLASS_NAMES);
    expect(parsed.count).toBe(3);
    expect([...parsed.labels]).toEqual(labels);
    expect([...parsed.predicted]).toEqual(predicted);
    expect([...parsed.scores]).toEqual([0.9, 0.6, 0.75].map(Math.fround));
  });

  it("refuses a file without the columns, or with an unknown class", () => {
    expect(() => parseMetadataTsv("a\tb\n1\t2\n", CLASS_NAMES)).toThrow(FormatError);
    expect(() => parseMetadataTsv("Label\tPredicted\tScore\nHat\tBag\t0.5\n", CLASS_NAMES)).toThrow(
      'metadata.tsv line 2: unknown class "Hat"'
    );
  });
});

describe("projections.json", () => {
  const layout = points(Float32Array.from([0.5, -1, 2, 0.25, 1e-7, 3]), 2);
  const text = serialiseProjections(
    {
      results: [
        {
          name: "pca",
          parameters: {components: 2},
          layouts: {2: layout},
          quality: {trustworthiness: 0.9, knnAccuracy: 0.8}
        }
      ],
      referenceKnnAccuracy: 0.85,
      timings: {}
    },
    {count: 3, seed: 42, layerName: "gap", dim: 64}
  );

  it("reads back what the export writes", () => {
    const file = parseProjections(JSON.parse(text));
    expect(file.count).toBe(3);
    expect(file.projections.pca?.["2d"]).toEqual([
      [0.5, -1],
      [2, 0.25],
      [0, 3]
    ]);
    expect(file.quality).toEqual({k: 10, referenceKnnAccuracy: 0.85});
  });

  it("refuses another format, a layout with the wrong number of rows, and non-numbers", () => {
    const good = JSON.parse(text) as {format: string; projections: {pca: {"2d": unknown[]}}};
    expect(() => parseProjections({...good, format: "x"})).toThrow(FormatError);
    const short = structuredClone(good);
    short.projections.pca["2d"].pop();
    expect(() => parseProjections(short)).toThrow("pca 2d does not hold 3 rows of 2 numbers");
    const text2 = structuredClone(good);
    text2.projections.pca["2d"][0] = ["a", 1];
    expect(() => parseProjections(text2)).toThrow(FormatError);
  });
});

describe("metrics.jsonl", () => {
  it("reads back epoch lines, a NaN metric as NaN, and skips a torn last line", () => {
    const log: EpochLog = {
      epoch: 1,
      loss: 0.5,
      accuracy: 0.8,
      val_loss: NaN,
      val_accuracy: 0.7,
      learning_rate: 0.001,
      seconds: 3,
      images_per_second: 100,
      checkpoint: true
    };
    const second = epochLine({...log, epoch: 2, val_loss: 0.4}, new Date(0));
    const text = epochLine(log) + second + second.slice(0, 20);
    expect(parseMetricsLog(text)).toEqual([log, {...log, epoch: 2, val_loss: 0.4}]);
  });
});
