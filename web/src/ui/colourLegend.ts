/** A horizontal colour bar between two labels, for the colour scales of maps, CAMs and kernels. */
import {h} from "./dom.js";

/** `stops`: CSS colours from low to high; `low`/`high`: their labels (text, or nodes updated later). */
export function colourLegend(stops: readonly string[], low: Node | string, high: Node | string): HTMLElement {
  return h(
    "div",
    {class: "colour-legend", "aria-hidden": "true"},
    typeof low === "string" ? h("span", {}, low) : low,
    h("span", {class: "legend-bar", style: `background: linear-gradient(to right, ${stops.join(", ")})`}),
    typeof high === "string" ? h("span", {}, high) : high
  );
}
