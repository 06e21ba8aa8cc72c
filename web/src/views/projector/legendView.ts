/** The colour legend as buttons: each names a colour and its count, and searches for its points. */
import {h} from "../../ui/dom.js";
import type {LegendEntry} from "./colouring.js";

export function renderLegend(
  list: HTMLElement,
  entries: readonly LegendEntry[],
  search: (query: string) => void
): void {
  list.replaceChildren(
    ...entries.map((entry) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: "legend-entry",
            title: `Search for ${entry.query}`,
            onclick: () => search(entry.query)
          },
          h("span", {class: "swatch", style: `background:${entry.colour}`, "aria-hidden": "true"}),
          `${entry.name} `,
          h("span", {class: "muted"}, entry.count.toLocaleString("en"))
        )
      )
    )
  );
}
