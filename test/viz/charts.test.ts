import {describe, expect, it} from "vitest";

import {CLASS_NAMES} from "../../src/core/data/fashionMnist.js";
import {blues, confusionMatrixSvg, rowNormalise} from "../../src/core/viz/confusionMatrixChart.js";
import {trainingCurvesSvg} from "../../src/core/viz/curvesChart.js";
import {perClassAccuracySvg} from "../../src/core/viz/perClassAccuracyChart.js";
import {escapeXml, formatTick, niceTicks} from "../../src/core/viz/svg.js";
import {THREE_EPOCHS} from "../helpers/curves.js";

/** A 10x10 confusion matrix of counts with a strong diagonal. */
function matrix(): number[][] {
  return Array.from({length: 10}, (_, i) =>
    Array.from({length: 10}, (_, j) => (i === j ? 90 : j === (i + 1) % 10 ? 10 : 0))
  );
}

/** The text elements of an SVG as [content, fill]. */
function texts(svg: string): [string, string][] {
  return [...svg.matchAll(/<text [^>]*fill="([^"]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[2], m[1]]);
}

describe("niceTicks(min, max, count)", () => {
  it("uses steps of 1, 2 or 5 times a power of ten", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.23, 1.07, 4)).toEqual([0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 30, 8)).toEqual([5, 10, 15, 20, 25, 30]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it("formats ticks with the decimals their step needs", () => {
    expect(formatTick(0.4, 0.2)).toBe("0.4");
    expect(formatTick(0.25, 0.05)).toBe("0.25");
    expect(formatTick(20, 5)).toBe("20");
  });
});

describe("escapeXml(text)", () => {
  it("escapes markup characters", () => {
    expect(escapeXml(`<a & "b">`)).toBe("&lt;a &amp; &quot;b&quot;&gt;");
  });
});

describe("confusionMatrixSvg(matrix, options)", () => {
  const svg = confusionMatrixSvg(matrix(), {classNames: CLASS_NAMES, subtitle: "test set"});

  it("normalises rows so that each sums to 1", () => {
    const rows = rowNormalise([
      [3, 1],
      [0, 0]
    ]);
    expect(rows).toEqual([
      [0.75, 0.25],
      [0, 0]
    ]);
  });

  it("draws one cell per entry with its row-normalised value", () => {
    expect(svg.match(/<rect x="\d+" y="\d+" width="48" height="48"/g)).toHaveLength(100);
    const values = texts(svg).map(([t]) => t);
    expect(values.filter((t) => t === "0.90")).toHaveLength(10);
    expect(values.filter((t) => t === "0.10")).toHaveLength(10);
    expect(values.filter((t) => t === "0")).toHaveLength(80);
  });

  it("writes white text on dark cells and dark text on light ones", () => {
    const all = texts(svg);
    expect(all.filter(([t]) => t === "0.90").every(([, fill]) => fill === "#ffffff")).toBe(true);
    expect(all.filter(([t]) => t === "0.10" || t === "0").every(([, fill]) => fill === "#222222")).toBe(true);
  });

  it("names the classes on both axes and escapes them", () => {
    const names = texts(svg).map(([t]) => t);
    for (const name of CLASS_NAMES) expect(names.filter((t) => t === name)).toHaveLength(2);
    expect(names).toContain("True label");
    expect(names).toContain("Predicted label");
    expect(svg).not.toContain("<b>");
    const escaped = confusionMatrixSvg([[1]], {classNames: ["<x>"]});
    expect(escaped).toContain("&lt;x&gt;");
  });

  it("shows counts when not normalising", () => {
    const counts = texts(confusionMatrixSvg(matrix(), {classNames: CLASS_NAMES, normalise: false})).map(([t]) => t);
    expect(counts.filter((t) => t === "90")).toHaveLength(10 + 1); // the cells and the colour bar's top
  });

  it("rejects a matrix that does not match the class names", () => {
    expect(() => confusionMatrixSvg([[1, 2]], {classNames: ["a"]})).toThrow(/expected a 1x1 matrix/);
  });

  it("maps 0 to white and 1 to dark blue", () => {
    expect(blues(0)).toEqual([247, 251, 255]);
    expect(blues(1)).toEqual([8, 48, 107]);
  });
});

describe("trainingCurvesSvg(history, options)", () => {
  it("draws a line with a point per epoch for each of the four series", () => {
    const svg = trainingCurvesSvg(THREE_EPOCHS, {bestEpoch: 3});
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(4 * 3 + 2); // + the two legend markers
    const labels = texts(svg).map(([t]) => t);
    for (const label of ["Loss", "Accuracy", "training", "validation", "best epoch 3"]) expect(labels).toContain(label);
  });

  it("draws points only for a single epoch and leaves out non-finite values", () => {
    const svg = trainingCurvesSvg([{...THREE_EPOCHS[0], val_loss: NaN}]);
    expect(svg).not.toContain("<path ");
    expect(svg.match(/<circle /g)).toHaveLength(3 + 2);
    expect(svg).not.toContain("NaN");
  });

  it("rejects an empty history", () => {
    expect(() => trainingCurvesSvg([])).toThrow(/no epochs/);
  });
});

describe("perClassAccuracySvg(accuracies, options)", () => {
  it("draws a labelled bar per class and the overall line", () => {
    const accuracies = CLASS_NAMES.map((_, i) => 0.5 + i / 20);
    const svg = perClassAccuracySvg(accuracies, {classNames: CLASS_NAMES, overall: 0.7});
    const bars = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="([\d.]+)" height="20" fill="#4292c6"/g)];
    expect(bars.map((m) => Number(m[1]))).toEqual(accuracies.map((a) => Math.round(a * 420 * 100) / 100));
    const labels = texts(svg).map(([t]) => t);
    expect(labels).toContain("50.0%");
    expect(labels).toContain("95.0%");
    expect(labels).toContain("overall 70.0%");
  });

  it("rejects a count mismatch", () => {
    expect(() => perClassAccuracySvg([1], {classNames: ["a", "b"]})).toThrow(/1 accuracies for 2 class names/);
  });
});
