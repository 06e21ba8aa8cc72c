/**
 * A layer's weights: convolution kernels as a grid of tiles (one per output filter, averaged over
 * the input channels or one picked channel), every other weight as a histogram; each with a text
 * alternative giving its shape and value range.
 */
import type * as tf from "@tensorflow/tfjs";

import {formatShape, type LayerSummary} from "../../../../src/core/model/layerSummary.js";
import {
  describeWeights,
  divergingColor,
  formatWeight,
  histogramSvg,
  kernelGrid,
  kernelTiles,
  weightStats
} from "../../../../src/core/viz/weightCharts.js";
import {colourLegend} from "../../ui/colourLegend.js";
import {h, svgFigure} from "../../ui/dom.js";
import {rasterCanvas} from "../../ui/raster.js";

interface NamedWeights {
  /** The weight's own name, e.g. "kernel" or "moving_variance". */
  name: string;
  shape: number[];
  values: Float32Array;
}

function readWeights(layer: tf.layers.Layer): NamedWeights[] {
  return layer.weights.map((w) => ({
    name: w.originalName.split("/").pop() ?? w.name,
    shape: w.shape.map((d) => d ?? 0),
    // read() hands out the layer's own variable: read its values, never dispose it.
    values: w.read().dataSync() as Float32Array
  }));
}

/** A legend bar for the diverging scale from -limit to +limit. */
function divergingLegend(limit: number): HTMLElement {
  const stops = [-1, -0.5, 0, 0.5, 1].map((t) => `rgb(${divergingColor(t * limit, limit).join(",")})`);
  const legend = colourLegend(stops, formatWeight(-limit), formatWeight(limit));
  legend.classList.add("diverging-legend");
  return legend;
}

function kernelSection(kernel: NamedWeights, layerName: string): HTMLElement {
  const [kh, kw, cin, cout] = kernel.shape;
  const picker = h(
    "select",
    {id: "kernel-channel"},
    h("option", {value: "mean"}, `mean of all ${cin} input channels`),
    ...Array.from({length: cin}, (_, c) => h("option", {value: String(c)}, `input channel ${c}`))
  );
  const figure = h("figure", {class: "kernel-figure"});
  const draw = () => {
    const channel = picker.value === "mean" ? "mean" : Number(picker.value);
    const tiles = kernelTiles(kernel.values, kernel.shape, channel);
    const grid = kernelGrid(tiles, kh, kw, 8, 3);
    const stats = weightStats(tiles.flatMap((t) => Array.from(t)));
    const alt =
      `${layerName} kernels: ${cout} filters of ${kh}×${kw} weights ` +
      `(${channel === "mean" ? "mean over input channels" : `input channel ${channel}`}), ` +
      `from ${formatWeight(stats.min)} to ${formatWeight(stats.max)}; blue negative, white zero, red positive`;
    const canvas = rasterCanvas(grid.raster, alt);
    canvas.className = "pixelated kernel-grid";
    canvas.dataset.testid = "kernel-grid";
    canvas.style.width = `${grid.raster.width * 2}px`;
    figure.replaceChildren(
      canvas,
      divergingLegend(grid.limit),
      h("figcaption", {class: "muted"}, `${cout} filters, ${kh}×${kw} each. ${alt}.`)
    );
  };
  picker.addEventListener("change", draw);
  draw();
  return h(
    "section",
    {},
    h("h3", {}, `Kernels ${formatShape(kernel.shape)}`),
    h("label", {class: "inline-label", for: "kernel-channel"}, "Show ", picker),
    figure
  );
}

function histogramSection(weights: NamedWeights, layerName: string): HTMLElement {
  const stats = weightStats(weights.values);
  const alt = describeWeights(`${layerName} ${weights.name}`, weights.shape, stats);
  const figure = svgFigure(histogramSvg(weights.values, `${weights.name} ${formatShape(weights.shape)}`), alt);
  figure.classList.add("weight-histogram");
  figure.dataset.testid = "histogram";
  return h("section", {}, figure, h("p", {class: "muted small"}, alt));
}

export function weightPanel(info: LayerSummary, layer: tf.layers.Layer | undefined): HTMLElement {
  const heading = h("h2", {}, `${info.name} `, h("span", {class: "muted"}, `(${info.className})`));
  const facts = h(
    "p",
    {},
    `Output ${formatShape(info.outputShape)}, ${info.params} parameters${info.details ? `; ${info.details}` : ""}.`
  );
  const weights = layer ? readWeights(layer) : [];
  if (weights.length === 0) {
    return h("div", {}, heading, facts, h("p", {class: "muted"}, "This layer has no weights."));
  }
  const sections = weights.map((w) =>
    info.className === "Conv2D" && w.name === "kernel" && w.shape.length === 4
      ? kernelSection(w, info.name)
      : histogramSection(w, info.name)
  );
  return h("div", {}, heading, facts, ...sections);
}
