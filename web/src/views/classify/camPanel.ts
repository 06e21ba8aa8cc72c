/**
 * The class activation map over the input: CAM (global average pooling + dense weights) or
 * Grad-CAM at a chosen convolution layer, for the predicted class or a chosen one, drawn in the
 * jet colour map at half opacity over the enlarged 28×28 input.
 */
import type * as tf from "@tensorflow/tfjs";

import {CLASS_NAMES, IMAGE_SIZE} from "../../../../src/core/data/fashionMnist.js";
import type {ForwardPass} from "../../../../src/core/model/forward.js";
import {cam, convLayerNames, gradCam, type HeatMap} from "../../../../src/core/viz/cam.js";
import {cssColor} from "../../../../src/core/viz/colormap.js";
import {heatOverlay, inputRaster} from "../../../../src/core/viz/heatOverlay.js";
import {colourLegend} from "../../ui/colourLegend.js";
import {h} from "../../ui/dom.js";
import {drawRaster} from "../../ui/raster.js";

const SCALE = 8;
const SIDE = IMAGE_SIZE * SCALE;

export interface CamPanel {
  element: HTMLElement;
  /** Computes and draws the map for this input (call only for the latest input). */
  update(input: Float32Array, pass: ForwardPass, predicted: number): void;
}

function option(value: string, label: string): HTMLOptionElement {
  return h("option", {value}, label);
}

function labelled(id: string, text: string, control: HTMLSelectElement): HTMLElement {
  control.id = id;
  return h("label", {class: "picker", for: id}, text, control);
}

export function camPanel(model: tf.LayersModel): CamPanel {
  const convs = convLayerNames(model);
  const method = h("select", {}, option("cam", "CAM"), option("gradcam", "Grad-CAM"));
  const layer = h("select", {}, ...convs.map((name) => option(name, name)));
  layer.value = convs[convs.length - 1] ?? "";
  const classPick = h(
    "select",
    {},
    option("predicted", "predicted class"),
    ...CLASS_NAMES.map((name, i) => option(String(i), name))
  );
  const canvas = h("canvas", {
    width: SIDE,
    height: SIDE,
    class: "cam-canvas",
    "data-testid": "cam",
    role: "img",
    "aria-label": "Class activation map (none yet)"
  });
  const caption = h("p", {class: "muted small cam-caption"}, "");
  const stops = Array.from({length: 11}, (_, i) => cssColor("jet", i / 10));
  const legend = colourLegend(stops, "low", "high");
  let last: {pass: ForwardPass; input: Float32Array; predicted: number} | undefined;

  const draw = () => {
    if (!last) return;
    const classIndex = classPick.value === "predicted" ? last.predicted : Number(classPick.value);
    layer.disabled = method.value === "cam";
    let map: HeatMap;
    try {
      map =
        method.value === "cam"
          ? cam(model, last.pass, classIndex)
          : gradCam(model, last.pass, classIndex, layer.value || undefined);
    } catch (error) {
      caption.textContent = error instanceof Error ? error.message : String(error);
      return;
    }
    drawRaster(canvas, heatOverlay(inputRaster(last.input), map, SIDE));
    const name = method.value === "cam" ? "CAM" : "Grad-CAM";
    const text = `${name} for ${CLASS_NAMES[classIndex]} from layer ${map.layer} (${map.height}×${map.width} map)`;
    canvas.setAttribute("aria-label", `${text}; red marks the regions that raise the class score most`);
    caption.textContent = `${text}. Red: the regions that count most for this class.`;
  };
  for (const control of [method, layer, classPick]) control.addEventListener("change", draw);

  const element = h(
    "section",
    {class: "panel cam-panel", "aria-labelledby": "cam-heading"},
    h("h2", {id: "cam-heading"}, "Where the model looks"),
    h(
      "div",
      {class: "pickers"},
      labelled("cam-method", "Method", method),
      labelled("cam-layer", "Layer", layer),
      labelled("cam-class", "Class", classPick)
    ),
    h(
      "p",
      {class: "muted small"},
      "The layer applies to Grad-CAM; CAM uses the maps that global average pooling reads."
    ),
    canvas,
    legend,
    caption
  );
  return {
    element,
    update(input, pass, predicted) {
      last = {pass, input, predicted};
      draw();
    }
  };
}
