/**
 * The test set's confusion matrix as an HTML table heat map: each cell is a button (so it is
 * reachable by Tab and arrow keys) whose label says the pair and its count; choosing one calls back.
 */
import {blues, rowNormalise} from "../../../../src/core/viz/confusionMatrixChart.js";
import {h} from "../../ui/dom.js";

export interface CellChoice {
  trueClass: number;
  predictedClass: number;
  count: number;
}

/** Text of a cell for screen readers, e.g. "true Shirt, predicted T-shirt/top: 120 images". */
export function cellLabel(classNames: readonly string[], t: number, p: number, count: number): string {
  return `true ${classNames[t]}, predicted ${classNames[p]}: ${count} image${count === 1 ? "" : "s"}`;
}

/** Moves focus between cells with the arrow keys (Home/End: first/last cell of the row). */
function arrowNavigation(table: HTMLTableElement, n: number): void {
  table.addEventListener("keydown", (event) => {
    const target = event.target as HTMLElement;
    const t = Number(target.dataset.true);
    const p = Number(target.dataset.predicted);
    if (!Number.isInteger(t) || !Number.isInteger(p)) return;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [t - 1, p],
      ArrowDown: [t + 1, p],
      ArrowLeft: [t, p - 1],
      ArrowRight: [t, p + 1],
      Home: [t, 0],
      End: [t, n - 1]
    };
    const move = moves[event.key];
    if (!move) return;
    const [nt, np] = move;
    if (nt < 0 || np < 0 || nt >= n || np >= n) return;
    event.preventDefault();
    table.querySelector<HTMLButtonElement>(`button[data-true="${nt}"][data-predicted="${np}"]`)?.focus();
  });
}

export function confusionTable(
  matrix: number[][],
  classNames: readonly string[],
  onChoose: (choice: CellChoice) => void
): HTMLTableElement {
  const n = matrix.length;
  const shares = rowNormalise(matrix);
  const table = h(
    "table",
    {class: "confusion"},
    h(
      "caption",
      {},
      "Rows: true class; columns: predicted class. Colour: share of the row. Choose a cell to see its images."
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {scope: "col"}, h("span", {class: "visually-hidden"}, "True class")),
        ...classNames.map((c) => h("th", {scope: "col", class: "predicted-name"}, h("span", {}, c)))
      )
    )
  );
  const body = h("tbody", {});
  for (let t = 0; t < n; t++) {
    const row = h("tr", {}, h("th", {scope: "row"}, classNames[t]));
    for (let p = 0; p < n; p++) {
      const count = matrix[t][p];
      const [r, g, b] = blues(Math.sqrt(shares[t][p]));
      const dark = 0.2126 * r + 0.7152 * g + 0.0722 * b < 140;
      const button = h(
        "button",
        {
          type: "button",
          class: `cell${t === p ? " diagonal" : ""}`,
          style: `background:rgb(${r},${g},${b});color:${dark ? "#fff" : "#1d1d1f"}`,
          "aria-label": cellLabel(classNames, t, p, count),
          "aria-pressed": "false",
          "data-true": t,
          "data-predicted": p,
          "data-count": count,
          onclick: () => {
            for (const other of table.querySelectorAll("button[aria-pressed=true]")) {
              other.setAttribute("aria-pressed", "false");
            }
            button.setAttribute("aria-pressed", "true");
            onChoose({trueClass: t, predictedClass: p, count});
          }
        },
        String(count)
      );
      row.append(h("td", {}, button));
    }
    body.append(row);
  }
  table.append(body);
  arrowNavigation(table, n);
  return table;
}
