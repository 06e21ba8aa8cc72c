import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";

import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import {afterAll, beforeAll, describe, expect, it} from "vitest";

import {CLASS_NAMES, IMAGE_PIXELS} from "../../src/core/data/fashionMnist.js";
import {
  sampleInputsPng,
  writeEvaluationPlots,
  writeTrainingPictures
} from "../../src/node/pictures/trainingPictures.js";
import {createCnn} from "../../src/core/model/cnn.js";
import {modelSummary, type ModelSummary} from "../../src/core/model/layerSummary.js";
import {confusionMatrixSvg} from "../../src/core/viz/confusionMatrixChart.js";
import {trainingCurvesSvg} from "../../src/core/viz/curvesChart.js";
import {THREE_EPOCHS} from "../helpers/curves.js";

const dir = mkdtempSync(join(tmpdir(), "fmnist-pictures-"));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const confusion = Array.from({length: 10}, (_, i) =>
  Array.from({length: 10}, (_, j) => (i === j ? 80 + i : (i + j) % 4))
);

/** Size of a PNG and whether it has real content: some dark pixels and a spread of grey levels. */
async function inspect(png: Uint8Array) {
  const image = sharp(png);
  const {width, height} = await image.metadata();
  const stats = await image.stats();
  const grey = stats.channels.slice(0, 3);
  return {
    width,
    height,
    minimum: Math.min(...grey.map((c) => c.min)),
    spread: Math.max(...grey.map((c) => c.stdev))
  };
}

/** The width and height an SVG declares (in pixels or points). */
function svgSize(svg: string): [number, number] {
  const m = /<svg[^>]*\swidth="([\d.]+)(?:pt|px)?"[^>]*\sheight="([\d.]+)(?:pt|px)?"/.exec(svg);
  if (!m) throw new Error("no size in SVG");
  return [Number(m[1]), Number(m[2])];
}

describe("writeTrainingPictures(dir, input)", () => {
  let summary: ModelSummary;
  let files: string[];
  beforeAll(async () => {
    await tf.setBackend("cpu");
    const model = createCnn({filters: 4});
    summary = modelSummary(model);
    model.dispose();
    files = await writeTrainingPictures(dir, {
      history: THREE_EPOCHS,
      bestEpoch: 3,
      confusion,
      confusionSubtitle: "test set",
      model: summary
    });
  });

  it("writes the confusion matrix, the curves and the model diagram", () => {
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      "confusion_matrix.png",
      "curves.png",
      "model.svg",
      "model.png"
    ]);
  });

  it("renders non-blank PNGs at 1.5 pixels per SVG unit", async () => {
    const expected: Record<string, [number, number]> = {
      "confusion_matrix.png": svgSize(confusionMatrixSvg(confusion, {classNames: CLASS_NAMES, subtitle: "test set"})),
      "curves.png": svgSize(trainingCurvesSvg(THREE_EPOCHS, {bestEpoch: 3}))
    };
    for (const [name, [w, h]] of Object.entries(expected)) {
      const info = await inspect(readFileSync(join(dir, name)));
      expect(info.width, name).toBe(Math.round(w * 1.5));
      expect(info.height, name).toBe(Math.round(h * 1.5));
      expect(info.minimum, name).toBeLessThan(60);
      expect(info.spread, name).toBeGreaterThan(20);
    }
  });

  it("draws every layer in model.svg, and model.png is that SVG rasterised", async () => {
    const svg = readFileSync(join(dir, "model.svg"), "utf8");
    for (const layer of summary.layers) expect(svg).toContain(`>${layer.name}</text>`);
    expect(svg).toContain("(None, 26, 26, 4)");
    const [w, h] = svgSize(svg);
    const info = await inspect(readFileSync(join(dir, "model.png")));
    expect(info.width).toBeCloseTo(w * 1.5, -1);
    expect(info.height).toBeCloseTo(h * 1.5, -1);
    expect(info.height).toBeGreaterThan(info.width);
    expect(info.spread).toBeGreaterThan(20);
  });
});

describe("writeEvaluationPlots(dir, evaluation)", () => {
  it("writes a non-blank confusion matrix and per-class accuracy chart", async () => {
    const out = join(dir, "plots");
    const files = await writeEvaluationPlots(out, {confusionMatrix: confusion, accuracy: 0.9, count: 1000, model: "m"});
    expect(files).toEqual([join(out, "confusion_matrix.png"), join(out, "per_class_accuracy.png")]);
    for (const file of files) {
      const info = await inspect(readFileSync(file));
      expect(info.width).toBeGreaterThan(600);
      expect(info.spread).toBeGreaterThan(20);
    }
  });
});

describe("sampleInputsPng(examples)", () => {
  it("renders the labelled grid at 1 pixel per SVG unit", async () => {
    const count = 20;
    const xs = new Float32Array(count * IMAGE_PIXELS).map((_, i) => (i % 28) / 27);
    const png = await sampleInputsPng({xs, ys: Uint8Array.from({length: count}, (_, i) => i % 10), count});
    const info = await inspect(png);
    expect(info.height).toBe(44 + 10 * 58 - 2 + 12);
    expect(info.spread).toBeGreaterThan(20);
  });
});
