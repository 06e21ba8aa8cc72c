/** The side panel: the selected image(s) with labels and score, and their nearest neighbours in the embedding. */
import "./selectionPanel.css";

import {imageName, type ExportData} from "../../data/exportData.js";
import {routeHash} from "../../router.js";
import {h} from "../../ui/dom.js";
import {testThumbnail} from "../../ui/thumbnail.js";
import {nearestToSelection} from "./neighbours.js";

/** Thumbnails shown for a many-point selection. */
const SHOWN = 48;

export interface SelectionActions {
  /** Select this single point instead. */
  select(index: number): void;
  /** Download the selection as CSV. */
  download(): void;
}

function downloadButton(actions: SelectionActions): HTMLElement {
  return h(
    "button",
    {type: "button", class: "download-selection", onclick: () => actions.download()},
    "Download selection (CSV)"
  );
}

/** "true Shirt, predicted T-shirt/top (54%)" */
export function describePoint(data: ExportData, i: number, classNames: readonly string[]): string {
  const t = classNames[data.labels[i]];
  const p = classNames[data.predicted[i]];
  const score = `${(data.scores[i] * 100).toFixed(0)}%`;
  return data.labels[i] === data.predicted[i]
    ? `${t}, predicted correctly (${score})`
    : `true ${t}, predicted ${p} (${score})`;
}

function pointButton(
  data: ExportData,
  i: number,
  classNames: readonly string[],
  actions: SelectionActions,
  extra = ""
) {
  const text = `Test image ${i}: ${describePoint(data, i, classNames)}${extra}`;
  return h(
    "button",
    {
      type: "button",
      class: "thumb-button",
      title: text,
      "aria-label": `Select ${text}`,
      onclick: () => actions.select(i)
    },
    testThumbnail(data, i, 2, text)
  );
}

function neighboursBlock(
  data: ExportData,
  selection: readonly number[],
  k: number,
  classNames: readonly string[],
  actions: SelectionActions
): HTMLElement {
  const neighbours = nearestToSelection(data.embeddings, data.dim, selection, k);
  const same = neighbours.filter((n) => data.labels[n.index] === data.labels[selection[0]]).length;
  return h(
    "div",
    {class: "neighbours"},
    h(
      "p",
      {class: "muted"},
      selection.length === 1
        ? `${same} of ${neighbours.length} share its true class.`
        : `Nearest to the selection's centroid (outside it).`
    ),
    h(
      "div",
      {class: "thumb-row", "data-neighbours": neighbours.map((n) => n.index).join(",")},
      ...neighbours.map((n) => pointButton(data, n.index, classNames, actions, `, distance ${n.distance.toFixed(2)}`))
    )
  );
}

/** Fills the panel for `selection` (empty: a hint). */
export function renderSelection(
  panel: HTMLElement,
  data: ExportData,
  selection: readonly number[],
  k: number,
  classNames: readonly string[],
  actions: SelectionActions
): void {
  if (selection.length === 0) {
    panel.replaceChildren(
      h("h2", {}, "Selection"),
      h(
        "p",
        {class: "muted"},
        "Click a point to select it, shift-drag to lasso several (Ctrl adds to the selection), or search. Double-click (or Enter) opens a point in Classify."
      )
    );
    return;
  }
  const heading = h("h3", {}, `${k} nearest neighbours in the ${data.dim}-D embedding`);
  if (selection.length === 1) {
    const i = selection[0];
    const correct = data.labels[i] === data.predicted[i];
    panel.replaceChildren(
      h("h2", {}, `Test image ${i}`),
      h(
        "div",
        {class: "selected-one"},
        testThumbnail(data, i, 4, imageName(data, i)),
        h(
          "dl",
          {},
          h("dt", {}, "True"),
          h("dd", {}, classNames[data.labels[i]]),
          h("dt", {}, "Predicted"),
          h("dd", {class: correct ? "correct" : "wrong"}, `${classNames[data.predicted[i]]}${correct ? "" : " ✗"}`),
          h("dt", {}, "Score"),
          h("dd", {}, `${(data.scores[i] * 100).toFixed(1)}%`)
        )
      ),
      h(
        "p",
        {class: "selection-actions"},
        h("a", {class: "explain-link", href: routeHash("classify", {test: i})}, "Explain in Classify →"),
        downloadButton(actions)
      ),
      heading,
      neighboursBlock(data, selection, k, classNames, actions)
    );
    return;
  }
  const counts = new Array<number>(classNames.length).fill(0);
  let right = 0;
  for (const i of selection) {
    counts[data.labels[i]]++;
    if (data.labels[i] === data.predicted[i]) right++;
  }
  const byClass = counts.flatMap((c, k2) => (c > 0 ? [`${classNames[k2]} ${c}`] : [])).join(", ");
  panel.replaceChildren(
    h("h2", {}, `${selection.length.toLocaleString("en")} images selected`),
    h("p", {}, `${right} correct (${((right / selection.length) * 100).toFixed(1)}%). True classes: ${byClass}.`),
    h("p", {class: "selection-actions"}, downloadButton(actions)),
    h("div", {class: "thumb-row"}, ...selection.slice(0, SHOWN).map((i) => pointButton(data, i, classNames, actions))),
    selection.length > SHOWN ? h("p", {class: "muted"}, `The first ${SHOWN} are shown.`) : "",
    heading,
    neighboursBlock(data, selection, k, classNames, actions)
  );
}
