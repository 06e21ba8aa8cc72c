/**
 * Every layer's output for the current input: feature-map layers as a grid of tiles (one per
 * channel, one colour scale per layer, so weak maps look dark), vectors as a strip. Over each tile
 * lies a button that opens the map enlarged with its own value range.
 */
import "./featureMaps.css";

import type {LayerActivation} from "../../../../src/core/model/forward.js";
import {applyColormap, maxOf, minOf} from "../../../../src/core/viz/colormap.js";
import {featureGrid} from "../../../../src/core/viz/featureGrid.js";
import {formatWeight} from "../../../../src/core/viz/weightCharts.js";
import {h, panel} from "../../ui/dom.js";
import {drawRaster} from "../../ui/raster.js";
import {featureDialog, type FeatureDialog} from "./featureDialog.js";

export interface FeatureMaps {
  element: HTMLElement;
  update(layers: LayerActivation[]): void;
  /** No input: the maps go, `message` says why. */
  clear(message: string): void;
}

/** Channel `c` of an [h, w, channels] activation. */
export function channelOf(values: Float32Array, shape: number[], c: number): Float32Array {
  const [height, width, channels] = shape;
  const out = new Float32Array(height * width);
  for (let i = 0; i < out.length; i++) out[i] = values[i * channels + c];
  return out;
}

function paintStrip(
  canvas: HTMLCanvasElement,
  values: Float32Array,
  width: number,
  height: number,
  min: number,
  max: number
) {
  drawRaster(canvas, {width, height, channels: 3, data: applyColormap(values, "viridis", min, max)});
}

interface LayerBlock {
  element: HTMLElement;
  update(activation: LayerActivation): void;
}

function mapLayer(first: LayerActivation, dialog: FeatureDialog): LayerBlock {
  const [height, width, channels] = first.shape;
  let current = first;
  const range = h("span", {class: "muted small"});
  // One canvas per layer (not one per map): a page of 700 canvases composites slowly without a GPU.
  const canvas = h("canvas", {class: "pixelated feature-grid-canvas", "aria-hidden": "true"});
  const scale = Math.max(1, Math.round(40 / Math.max(width, height))); // tiles of about 40 px
  const gap = 2;
  const columns = Math.ceil(Math.sqrt(channels));
  const rows = Math.ceil(channels / columns);
  // The grid's size in pixels (as featureGrid draws it); on a narrow screen it shrinks to fit, and
  // the tiles over it, in fractions and percentages, shrink with it.
  const gridWidth = columns * width * scale + (columns - 1) * gap;
  const gridHeight = rows * height * scale + (rows - 1) * gap;
  const buttons = Array.from({length: channels}, (_, c) => {
    const button = h("button", {
      type: "button",
      class: "feature-tile",
      "aria-label": `${first.name} channel ${c}: enlarge`
    });
    button.addEventListener("click", () => {
      dialog.open(`${current.name}, channel ${c}`, channelOf(current.values, current.shape, c), width, height);
    });
    return button;
  });
  const overlay = h(
    "div",
    {
      class: "feature-tiles",
      style:
        `grid-template-columns: repeat(${columns}, 1fr); grid-template-rows: repeat(${rows}, 1fr); ` +
        `column-gap: ${(100 * gap) / gridWidth}%; row-gap: ${(100 * gap) / gridHeight}%`
    },
    ...buttons
  );
  return {
    element: h(
      "section",
      {class: "feature-layer", "data-layer": first.name},
      h("h3", {}, `${first.name} `, h("span", {class: "muted"}, `${first.className} · ${height}×${width}×${channels}`)),
      range,
      h("div", {class: "feature-grid", style: `width: ${gridWidth}px`}, canvas, overlay)
    ),
    update(activation) {
      current = activation;
      const grid = featureGrid(activation.values, [height, width, channels], {cell: scale, gap, background: 255});
      range.textContent = `values ${formatWeight(grid.min)} to ${formatWeight(grid.max)}`;
      drawRaster(canvas, grid.raster);
    }
  };
}

function vectorLayer(first: LayerActivation, dialog: FeatureDialog): LayerBlock {
  const n = first.values.length;
  let current = first;
  const range = h("span", {class: "muted small"});
  const canvas = h("canvas", {width: n, height: 1, class: "pixelated feature-strip"});
  const button = h(
    "button",
    {type: "button", class: "feature-strip-button", "aria-label": `${first.name}: enlarge`},
    canvas
  );
  button.addEventListener("click", () => dialog.open(current.name, current.values, n, 1));
  return {
    element: h(
      "section",
      {class: "feature-layer feature-vector", "data-layer": first.name},
      h("h3", {}, `${first.name} `, h("span", {class: "muted"}, `${first.className} · ${n} values`)),
      range,
      button
    ),
    update(activation) {
      current = activation;
      const min = minOf(activation.values);
      const max = maxOf(activation.values);
      range.textContent = `values ${formatWeight(min)} to ${formatWeight(max)}`;
      paintStrip(canvas, activation.values, n, 1, min, max);
    }
  };
}

export function featureMaps(): FeatureMaps {
  const dialog = featureDialog();
  const body = h(
    "div",
    {class: "feature-layers"},
    h("p", {class: "muted"}, "Feature maps appear after the first prediction.")
  );
  let blocks: LayerBlock[] | undefined;
  const element = panel(
    "features",
    "Every layer's feature maps",
    {class: "feature-panel"},
    h(
      "p",
      {class: "muted small"},
      "Viridis colours, one scale per layer (dark: low, yellow: high). Choose a map to enlarge it."
    ),
    body,
    dialog.element
  );
  return {
    element,
    update(layers) {
      blocks ??= (() => {
        const made = layers.map((a) => (a.shape.length === 3 ? mapLayer(a, dialog) : vectorLayer(a, dialog)));
        body.replaceChildren(...made.map((b) => b.element));
        return made;
      })();
      layers.forEach((a, i) => blocks?.[i]?.update(a));
    },
    clear(message) {
      blocks = undefined;
      body.replaceChildren(h("p", {class: "muted"}, message));
    }
  };
}
