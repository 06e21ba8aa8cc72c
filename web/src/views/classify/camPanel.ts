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
import {h, panel} from "../../ui/dom.js";
import {drawRaster} from "../../ui/raster.js";

const SCALE = 8;
const SIDE = IMAGE_SIZE * SCALE;

/** The pickers' choice, as the URL keeps it. */
export interface CamChoice {
  method: "cam" | "gradcam";
  /** Grad-CAM's layer (undefined: the last convolution). */
  layer?: string;
  /** The class mapped (undefined: the predicted one). */
  classIndex?: number;
}

export interface CamPanel {
  element: HTMLElement;
  /** Computes and draws the map for this input (call only for the latest input). */
  update(input: Float32Array, pass: ForwardPass, predicted: number): void;
  /** No input: an empty map. */
  clear(): void;
  choice(): CamChoice;
  /** Sets the pickers (unknown layers and classes fall back to the defaults) and redraws. */
  restore(choice: CamChoice): void;
}

function option(value: string, label: string): HTMLOptionElement {
  return h("option", {value}, label);
}

function labelled(id: string, text: string, control: HTMLSelectElement): HTMLElement {
  control.id = id;
  return h("label", {class: "picker", for: id}, text, control);
}

/** `onChange`: the user changed a picker. */
export function camPanel(model: tf.LayersModel, onChange: () => void = () => {}): CamPanel {
  const convs = convLayerNames(model);
  const lastConv = convs[convs.length - 1] ?? "";
  const method = h("select", {}, option("cam", "CAM"), option("gradcam", "Grad-CAM"));
  // CAM reads the maps that global average pooling averages, which need not be a convolution's:
  // while CAM is chosen the (disabled) picker names that layer, as the caption does.
  const camLayer = option("", "the layer before pooling");
  camLayer.hidden = true;
  const layer = h("select", {}, camLayer, ...convs.map((name) => option(name, name)));
  let gradCamLayer = lastConv;
  const showLayer = () => {
    const isCam = method.value === "cam";
    layer.disabled = isCam;
    layer.value = isCam ? "" : gradCamLayer;
  };
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
    showLayer();
    if (!last) return;
    const classIndex = classPick.value === "predicted" ? last.predicted : Number(classPick.value);
    let map: HeatMap;
    try {
      map =
        method.value === "cam"
          ? cam(model, last.pass, classIndex)
          : gradCam(model, last.pass, classIndex, gradCamLayer || undefined);
    } catch (error) {
      caption.textContent = error instanceof Error ? error.message : String(error);
      return;
    }
    if (method.value === "cam") camLayer.textContent = map.layer;
    showLayer();
    drawRaster(canvas, heatOverlay(inputRaster(last.input), map, SIDE));
    const name = method.value === "cam" ? "CAM" : "Grad-CAM";
    const text = `${name} for ${CLASS_NAMES[classIndex]} from layer ${map.layer} (${map.height}×${map.width} map)`;
    canvas.setAttribute("aria-label", `${text}; red marks the regions that raise the class score most`);
    caption.textContent = `${text}. Red: the regions that count most for this class.`;
  };
  layer.addEventListener("change", () => {
    if (layer.value) gradCamLayer = layer.value;
  });
  for (const control of [method, layer, classPick]) {
    control.addEventListener("change", () => {
      draw();
      onChange();
    });
  }
  showLayer();

  const element = panel(
    "cam",
    "Where the model looks",
    {class: "cam-panel"},
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
    },
    clear() {
      last = undefined;
      canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
      canvas.setAttribute("aria-label", "Class activation map (none: no input)");
      caption.textContent = "";
    },
    choice() {
      const classIndex = classPick.value === "predicted" ? undefined : Number(classPick.value);
      const isCam = method.value === "cam";
      return {
        method: isCam ? "cam" : "gradcam",
        layer: isCam || gradCamLayer === lastConv ? undefined : gradCamLayer,
        classIndex
      };
    },
    restore(choice) {
      method.value = choice.method;
      gradCamLayer = choice.layer && convs.includes(choice.layer) ? choice.layer : lastConv;
      const known = choice.classIndex !== undefined && choice.classIndex >= 0 && choice.classIndex < CLASS_NAMES.length;
      classPick.value = known ? String(choice.classIndex) : "predicted";
      draw();
    }
  };
}
