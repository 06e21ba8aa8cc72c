/** The projector's page: toolbar on top, the plot with its legend and layout tools on the left, the selection on the right. */
import {h} from "../../ui/dom.js";

export interface PageParts {
  title: string;
  toolbar: HTMLElement;
  stage: HTMLElement;
  legend: HTMLElement;
  /** Recompute bar, layout download and the like, under the legend. */
  layoutTools: HTMLElement[];
  custom: HTMLElement;
  /** Text for screen readers (summary, live region). */
  hidden: HTMLElement[];
  panel: HTMLElement;
  neighbours: HTMLElement;
}

const HELP =
  "Drag to pan (3-D: to orbit; right-drag pans), wheel to zoom, shift-drag to lasso, click to select, " +
  "double-click to open in Classify. Keyboard on the plot: arrows pan, + and − zoom, C centres on the " +
  "selection, Enter opens it, Escape clears it. Zoom in to see the images. The address bar keeps what " +
  "you see: Back undoes a change, and the link opens this view again.";

export function projectorPage(parts: PageParts): HTMLElement {
  return h(
    "div",
    {class: "projector"},
    h("h1", {}, parts.title),
    parts.toolbar,
    h(
      "div",
      {class: "projector-main"},
      h(
        "div",
        {class: "projector-left"},
        parts.stage,
        h("p", {class: "muted projector-help"}, HELP),
        parts.legend,
        h("div", {class: "layout-tools"}, ...parts.layoutTools),
        parts.custom,
        ...parts.hidden
      ),
      h("div", {class: "projector-side"}, parts.panel, parts.neighbours)
    )
  );
}
