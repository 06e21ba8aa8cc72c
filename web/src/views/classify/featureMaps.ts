/**
 * Every layer's output for the current input: feature-map layers as a grid of tiles (one per
 * channel, one colour scale per layer, so weak maps look dark), vectors as a strip. Each tile is a
 * button that opens it enlarged with its own value range.
 */
import type {LayerActivation} from "../../../../src/viz/activations.js";
import {applyColormap, maxOf, minOf} from "../../../../src/viz/colormap.js";
import {formatWeight} from "../../../../src/viz/weightCharts.js";
import {h} from "../../ui/dom.js";
import {drawRaster} from "../../ui/raster.js";
import {featureDialog, type FeatureDialog} from "./featureDialog.js";

export interface FeatureMaps {
  element: HTMLElement;
  update(layers: LayerActivation[]): void;
}

/** Channel `c` of an [h, w, channels] activation. */
export function channelOf(values: Float32Array, shape: number[], c: number): Float32Array {
  const [height, width, channels] = shape;
  const out = new Float32Array(height * width);
  for (let i = 0; i < out.length; i++) out[i] = values[i * channels + c];
  return out;
}

function paint(
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
  const tiles = Array.from({length: channels}, (_, c) => {
    const canvas = h("canvas", {width, height, class: "pixelated"});
    const button = h(
      "button",
      {type: "button", class: "feature-tile", "aria-label": `${first.name} channel ${c}: enlarge`},
      canvas
    );
    button.addEventListener("click", () => {
      dialog.open(`${current.name}, channel ${c}`, channelOf(current.values, current.shape, c), width, height);
    });
    return canvas;
  });
  const tileSize = Math.max(28, Math.min(56, Math.round((width * 112) / 28)));
  const grid = h(
    "div",
    {class: "feature-grid", style: `--tile: ${tileSize}px`},
    ...tiles.map((t) => t.parentElement ?? t)
  );
  return {
    element: h(
      "section",
      {class: "feature-layer", "data-layer": first.name},
      h(
        "h3",
        {},
        `${first.name} `,
        h("span", {class: "muted"}, `${first.className} · ${height}×${width}×${channels}`),
        " ",
        range
      ),
      grid
    ),
    update(activation) {
      current = activation;
      const min = minOf(activation.values);
      const max = maxOf(activation.values);
      range.textContent = `values ${formatWeight(min)} to ${formatWeight(max)}`;
      tiles.forEach((canvas, c) =>
        paint(canvas, channelOf(activation.values, activation.shape, c), width, height, min, max)
      );
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
      {class: "feature-layer", "data-layer": first.name},
      h("h3", {}, `${first.name} `, h("span", {class: "muted"}, `${first.className} · ${n} values`), " ", range),
      button
    ),
    update(activation) {
      current = activation;
      const min = minOf(activation.values);
      const max = maxOf(activation.values);
      range.textContent = `values ${formatWeight(min)} to ${formatWeight(max)}`;
      paint(canvas, activation.values, n, 1, min, max);
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
  const element = h(
    "section",
    {class: "panel feature-panel", "aria-labelledby": "features-heading"},
    h("h2", {id: "features-heading"}, "Every layer's feature maps"),
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
    }
  };
}
