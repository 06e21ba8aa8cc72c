/**
 * The pictures of a training run and of an evaluation, rendered from the SVG builders in `viz/`
 * (Node only): PNG bytes for TensorBoard images, and files written into a folder. The model diagram
 * is laid out by Graphviz compiled to WebAssembly (`@hpcc-js/wasm-graphviz`), so no system Graphviz
 * is needed.
 */
import {mkdir} from "node:fs/promises";
import {join} from "node:path";

import {Graphviz} from "@hpcc-js/wasm-graphviz";

import {CLASS_NAMES} from "../../core/data/fashionMnist.js";
import type {Examples} from "../../core/data/dataset.js";
import {encodePng, pngDataUri, svgToPng} from "../image/encode.js";
import {writeFileAtomic} from "../fs/atomicFile.js";
import {formatCount, type ModelSummary} from "../../core/model/layerSummary.js";
import {perClassAccuracy} from "../../core/model/metrics.js";
import {confusionMatrixSvg} from "../../core/viz/confusionMatrixChart.js";
import type {CurvePoint} from "../../core/formats/metricsLog.js";
import {trainingCurvesSvg} from "../../core/viz/curvesChart.js";
import {modelDot} from "../../core/viz/modelDot.js";
import {perClassAccuracySvg} from "../../core/viz/perClassAccuracyChart.js";
import {sampleGrid, sampleGridSvg} from "../../core/viz/sampleGrid.js";

/** File names written into a run or plots folder. */
export const CONFUSION_MATRIX_PNG = "confusion_matrix.png";
export const CURVES_PNG = "curves.png";
export const MODEL_SVG = "model.svg";
export const MODEL_PNG = "model.png";
export const PER_CLASS_ACCURACY_PNG = "per_class_accuracy.png";

/** Pixels per SVG unit when rasterising charts (1.5: sharp enough on high-density screens). */
const CHART_DENSITY = 108;

/** The row-normalised confusion matrix of counts `matrix` as PNG (`density` 72 gives 1 px per SVG unit). */
export async function confusionMatrixPng(
  matrix: number[][],
  subtitle?: string,
  density = CHART_DENSITY
): Promise<Uint8Array> {
  return svgToPng(confusionMatrixSvg(matrix, {classNames: CLASS_NAMES, subtitle}), density);
}

/** The labelled grid of the first 10 examples of each class as PNG. */
export async function sampleInputsPng(examples: Examples): Promise<Uint8Array> {
  const grid = sampleGrid(examples, {perClass: 10, scale: 2});
  const pixels = await encodePng(grid.raster.data, grid.raster.width, grid.raster.height, grid.raster.channels);
  return svgToPng(sampleGridSvg({imageUri: pngDataUri(pixels), grid, classNames: CLASS_NAMES}));
}

/** Lays out the model's layer graph with Graphviz and returns it as SVG and PNG. */
export async function renderModelDiagram(summary: ModelSummary): Promise<{svg: string; png: Uint8Array}> {
  const graphviz = await Graphviz.load();
  // Browsers without DejaVu Sans fall back to Verdana, which has nearly the same metrics.
  const svg = graphviz
    .layout(modelDot(summary), "svg", "dot")
    .replaceAll('font-family="DejaVu Sans"', 'font-family="DejaVu Sans, Verdana, sans-serif"');
  // Graphviz sizes the SVG in points; as plain numbers they rasterise at CHART_DENSITY like the charts.
  const inPixels = svg.replace(/<svg[^>]*>/, (tag) => tag.replace(/="([\d.]+)pt"/g, '="$1"'));
  return {svg, png: await svgToPng(inPixels, CHART_DENSITY)};
}

/** What {@link writeTrainingPictures} draws. */
export interface TrainingPicturesInput {
  /** Epoch metrics, in order. */
  history: readonly CurvePoint[];
  /** Epoch of the kept checkpoint, marked on the curves. */
  bestEpoch?: number;
  /** Confusion matrix of counts of the kept model (rows: true class). */
  confusion: number[][];
  /** What the confusion matrix was computed on, e.g. "test set, 10,000 images, accuracy 91.2%". */
  confusionSubtitle: string;
  model: ModelSummary;
}

/** Writes confusion_matrix.png, curves.png, model.svg and model.png into `dir`; returns the paths. */
export async function writeTrainingPictures(dir: string, input: TrainingPicturesInput): Promise<string[]> {
  await mkdir(dir, {recursive: true});
  const diagram = await renderModelDiagram(input.model);
  const files: [string, string | Uint8Array][] = [
    [CONFUSION_MATRIX_PNG, await confusionMatrixPng(input.confusion, input.confusionSubtitle)],
    [CURVES_PNG, await svgToPng(trainingCurvesSvg(input.history, {bestEpoch: input.bestEpoch}), CHART_DENSITY)],
    [MODEL_SVG, diagram.svg],
    [MODEL_PNG, diagram.png]
  ];
  for (const [name, data] of files) await writeFileAtomic(join(dir, name), data);
  return files.map(([name]) => join(dir, name));
}

/** Writes confusion_matrix.png and per_class_accuracy.png for an evaluation into `dir`; returns the paths. */
export async function writeEvaluationPlots(
  dir: string,
  evaluation: {confusionMatrix: number[][]; accuracy: number; count: number; model: string}
): Promise<string[]> {
  await mkdir(dir, {recursive: true});
  const subtitle =
    `${evaluation.model}: ${formatCount(evaluation.count)} test images, ` +
    `accuracy ${(evaluation.accuracy * 100).toFixed(2)}%`;
  const perClass = perClassAccuracy(evaluation.confusionMatrix);
  const files: [string, Uint8Array][] = [
    [CONFUSION_MATRIX_PNG, await confusionMatrixPng(evaluation.confusionMatrix, subtitle)],
    [
      PER_CLASS_ACCURACY_PNG,
      await svgToPng(
        perClassAccuracySvg(perClass, {classNames: CLASS_NAMES, overall: evaluation.accuracy, subtitle}),
        CHART_DENSITY
      )
    ]
  ];
  for (const [name, data] of files) await writeFileAtomic(join(dir, name), data);
  return files.map(([name]) => join(dir, name));
}
