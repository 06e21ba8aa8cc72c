/**
 * Model view: the layer diagram with shapes and parameter counts; a layer's button shows its weights.
 * Below, the user can bring their own model for every view.
 */
import "./model.css";

import {formatCount, modelSummary} from "../../../../src/core/model/layerSummary.js";
import {loadModel} from "../../data/model.js";
import {h} from "../../ui/dom.js";
import type {Unmount, ViewContext} from "../view.js";
import {layerDiagram} from "./layerDiagram.js";
import {userModelPanel} from "./userModelPanel.js";
import {weightPanel} from "./weightPanel.js";

export const title = "Model";

export async function mount(root: HTMLElement, {signal}: ViewContext): Promise<Unmount> {
  const {model, userFile} = await loadModel();
  if (signal.aborted) return () => {};
  const summary = modelSummary(model);
  const details = h("section", {class: "panel model-weights", "aria-live": "polite", "aria-label": "Layer weights"});
  const show = (name: string) => {
    const layer = model.layers.find((l) => l.name === name);
    const info = summary.layers.find((l) => l.name === name);
    if (info) details.replaceChildren(weightPanel(info, layer));
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
    // Re-mounts the current view (main.ts renders on hashchange), which then loads the new model.
    userModelPanel(userFile, () => window.dispatchEvent(new HashChangeEvent("hashchange"))),
    h("div", {class: "model-layout"}, diagram.element, details)
  );
  const firstConv = summary.layers.find((l) => l.className === "Conv2D");
  if (firstConv) diagram.select(firstConv.name);
  return () => {};
}
