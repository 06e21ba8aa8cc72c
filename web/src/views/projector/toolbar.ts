/**
 * The projector's controls around the plot: the toolbar (method, dimensions, colouring, search),
 * the zoom buttons over the plot, the layout download and the neighbour count. Each reports the
 * user's choice; the view sets their values when it restores a state.
 */
import {h} from "../../ui/dom.js";
import {COLOURING_NAMES, type Colouring} from "./colouring.js";
import {NEIGHBOUR_COUNTS} from "./urlState.js";
import type {ViewSwitch} from "./viewSwitch.js";

export interface ToolbarHandlers {
  colouring(colouring: Colouring): void;
  /** The search text changed (each keystroke). */
  search(text: string): void;
  neighbours(k: number): void;
  zoom(factor: number): void;
  resetView(): void;
  downloadLayout(): void;
}

export interface ProjectorToolbar {
  toolbar: HTMLElement;
  /** The buttons laid over the plot. */
  viewButtons: HTMLElement;
  /** The neighbour count, for the side panel. */
  neighbours: HTMLElement;
  download: HTMLButtonElement;
  colourSelect: HTMLSelectElement;
  searchInput: HTMLInputElement;
  searchStatus: HTMLElement;
  kSelect: HTMLSelectElement;
}

export function projectorToolbar(switcher: ViewSwitch, handlers: ToolbarHandlers): ProjectorToolbar {
  const colourSelect = h(
    "select",
    {
      id: "projector-colour",
      onchange: () => {
        handlers.colouring(colourSelect.value as Colouring);
      }
    },
    ...(Object.keys(COLOURING_NAMES) as Colouring[]).map((c) => h("option", {value: c}, COLOURING_NAMES[c]))
  );
  const kSelect = h(
    "select",
    {
      id: "projector-k",
      onchange: () => {
        handlers.neighbours(Number(kSelect.value));
      }
    },
    ...NEIGHBOUR_COUNTS.map((k) => h("option", {value: k}, String(k)))
  );
  const searchInput = h("input", {
    type: "search",
    id: "projector-search",
    placeholder: "Sneaker, wrong, predicted:Shirt, 42",
    autocomplete: "off",
    oninput: () => {
      handlers.search(searchInput.value);
    }
  });
  const searchStatus = h("span", {class: "search-status muted", "aria-live": "polite"});
  const download = h(
    "button",
    {
      type: "button",
      class: "download-layout",
      title: "Every point's coordinates in the layout shown, as CSV",
      onclick: () => handlers.downloadLayout()
    },
    "Download layout (CSV)"
  );
  const toolbar = h(
    "div",
    {class: "projector-toolbar"},
    switcher.methods,
    switcher.dims,
    h("label", {for: "projector-colour"}, "Colour by ", colourSelect),
    h("label", {for: "projector-search", class: "search-label"}, "Search ", searchInput),
    searchStatus
  );
  const viewButtons = h(
    "div",
    {class: "view-buttons"},
    h("button", {type: "button", "aria-label": "Zoom in", onclick: () => handlers.zoom(1.5)}, "+"),
    h("button", {type: "button", "aria-label": "Zoom out", onclick: () => handlers.zoom(1 / 1.5)}, "−"),
    h("button", {type: "button", onclick: () => handlers.resetView()}, "Reset view")
  );
  const neighbours = h("label", {for: "projector-k"}, "Neighbours shown: ", kSelect);
  return {toolbar, viewButtons, neighbours, download, colourSelect, searchInput, searchStatus, kSelect};
}
