/** The model as a vertical list of layer boxes (name, type, settings, output shape, parameters), each a button. */
import {formatCount, formatShape, type ModelSummary} from "../../../../src/core/model/layerSummary.js";
import {h} from "../../ui/dom.js";

export interface LayerDiagram {
  element: HTMLElement;
  /** Marks the layer as chosen and calls the view's handler. */
  select(name: string): void;
}

export function layerDiagram(summary: ModelSummary, onSelect: (name: string) => void): LayerDiagram {
  const buttons = new Map<string, HTMLButtonElement>();
  const select = (name: string) => {
    for (const [n, button] of buttons) button.setAttribute("aria-pressed", String(n === name));
    onSelect(name);
  };
  const items = summary.layers.map((layer) => {
    const button = h(
      "button",
      {
        class: "layer-box",
        type: "button",
        "data-layer": layer.name,
        "data-class": layer.className,
        "aria-pressed": "false",
        onclick: () => select(layer.name)
      },
      h("span", {class: "layer-name"}, layer.name),
      h("span", {class: "layer-shape"}, formatShape(layer.outputShape)),
      h("span", {class: "layer-type"}, [layer.className, layer.details].filter(Boolean).join(" · ")),
      h("span", {class: "layer-params"}, layer.params > 0 ? `${formatCount(layer.params)} params` : "no weights")
    );
    buttons.set(layer.name, button);
    return h("li", {}, button);
  });
  // Arrow keys (and Home/End) move between the layers; Enter or Space shows one.
  const list = [...buttons.values()];
  const onKey = (event: KeyboardEvent) => {
    const at = list.indexOf(event.target as HTMLButtonElement);
    if (at < 0) return;
    const to = {ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: list.length - 1}[event.key];
    if (to === undefined) return;
    event.preventDefault();
    list[Math.max(0, Math.min(list.length - 1, to))].focus();
  };
  const element = h(
    "nav",
    {class: "panel layer-diagram", "aria-label": "Layers"},
    h("h2", {}, "Layers"),
    h("ol", {class: "layer-list", onkeydown: onKey}, ...items),
    h(
      "p",
      {class: "layer-total"},
      `Total: ${formatCount(summary.totalParams)} parameters, ${formatCount(summary.trainableParams)} trainable`
    )
  );
  return {element, select};
}
