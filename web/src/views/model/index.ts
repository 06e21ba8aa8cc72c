/**
 * Model view: the layer diagram with shapes and parameter counts; a layer's button shows its
 * weights. The chosen layer is in the URL (`#/model?layer=conv2d_1`). Above, the user can bring
 * their own model for every view.
 */
import "./model.css";

import {formatCount, modelSummary} from "../../../../src/core/model/layerSummary.js";
import {loadModel} from "../../data/model.js";
import {writeRoute} from "../../router.js";
import {h} from "../../ui/dom.js";
import {remountView, type MountedView, type ViewContext} from "../view.js";
import {layerDiagram} from "./layerDiagram.js";
import {userModelPanel} from "./userModelPanel.js";
import {weightPanel} from "./weightPanel.js";

export const title = "Model";

export async function mount(root: HTMLElement, {params, signal}: ViewContext): Promise<MountedView> {
  const {model, userFile} = await loadModel();
  if (signal.aborted) return {unmount: () => {}, update: () => false};
  const summary = modelSummary(model);
  const details = h("section", {class: "panel model-weights", "aria-live": "polite", "aria-label": "Layer weights"});
  let restoring = false;
  const show = (name: string) => {
    const layer = model.layers.find((l) => l.name === name);
    const info = summary.layers.find((l) => l.name === name);
    if (info) details.replaceChildren(weightPanel(info, layer));
    if (!restoring) writeRoute("model", {layer: name}, "push");
  };
  const diagram = layerDiagram(summary, show);
  root.append(
    h("h1", {}, title),
    h(
      "p",
      {class: "muted"},
      `${summary.name}: ${summary.layers.length} layers, ${formatCount(summary.totalParams)} parameters ` +
        `(${formatCount(summary.trainableParams)} trainable). Choose a layer to see its weights.`
    ),
    userModelPanel(userFile, remountView),
    h("div", {class: "model-layout"}, diagram.element, details)
  );
  const firstConv = summary.layers.find((l) => l.className === "Conv2D")?.name;
  /** Shows the layer the URL names (else the first convolution) without a history entry. */
  const restore = (wanted: string | null) => {
    const name = summary.layers.some((l) => l.name === wanted) ? wanted : firstConv;
    restoring = true;
    if (name) diagram.select(name);
    restoring = false;
  };
  restore(params.get("layer"));
  return {
    unmount: () => {},
    update: (next) => {
      restore(next.get("layer"));
      return true;
    }
  };
}
