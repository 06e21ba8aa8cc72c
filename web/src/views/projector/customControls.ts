/** The custom projection form: x axis between two queries' centroids, y axis a second pair or the residual's PCA. */
import type {ExportData} from "../../data/exportData.js";
import {h} from "../../ui/dom.js";
import {centroidDirection, customAxes} from "./customProjection.js";
import {runQuery} from "./queries.js";

/** The form's four queries (the y pair may be empty). */
export interface CustomQueries {
  xFrom: string;
  xTo: string;
  yFrom: string;
  yTo: string;
}

export interface CustomLayout {
  /** Flat [count, 2] coordinates. */
  layout: Float64Array;
  /** One sentence for the summary: the axes and the share of the variance each shows. */
  description: string;
  xName: string;
  yName: string;
  queries: CustomQueries;
}

export const DEFAULT_CUSTOM: CustomQueries = {xFrom: "Sneaker", xTo: "Ankle boot", yFrom: "", yTo: ""};

/** Makes the projection; throws an Error that says what is wrong with the queries. */
export function customLayout(data: ExportData, classNames: readonly string[], queries: CustomQueries): CustomLayout {
  const q = (text: string) => runQuery(text, data, classNames);
  const [xa, xb] = [q(queries.xFrom), q(queries.xTo)];
  const x = centroidDirection(data.embeddings, data.dim, xa.indices, xb.indices);
  let y: Float64Array | undefined;
  let yName = "y: leading principal direction of the rest";
  if (queries.yFrom.trim() || queries.yTo.trim()) {
    const [ya, yb] = [q(queries.yFrom), q(queries.yTo)];
    y = centroidDirection(data.embeddings, data.dim, ya.indices, yb.indices);
    yName = `y: ${ya.description} → ${yb.description}`;
  }
  const axes = customAxes(data.embeddings, data.dim, x, y);
  const xName = `x: ${xa.description} → ${xb.description}`;
  const shown = axes.varianceShown.map((v) => `${(v * 100).toFixed(1)}%`);
  const description = `Custom projection. ${xName} (${shown[0]} of the variance); ${yName} (${shown[1]}).`;
  return {layout: axes.layout, description, xName, yName, queries};
}

export interface CustomControls {
  element: HTMLElement;
  /** Opens the form and puts the focus in its first field (the Custom button does this until a projection exists). */
  open(): void;
  /** Shows these queries and the projection's description (or why it failed) in the form. */
  show(queries: CustomQueries, message: string): void;
}

export function customControls(
  data: ExportData,
  classNames: readonly string[],
  onProject: (result: CustomLayout) => void
): CustomControls {
  const fields = {
    xFrom: h("input", {type: "text", id: "custom-x-from", value: DEFAULT_CUSTOM.xFrom, size: 12, autocomplete: "off"}),
    xTo: h("input", {type: "text", id: "custom-x-to", value: DEFAULT_CUSTOM.xTo, size: 12, autocomplete: "off"}),
    yFrom: h("input", {type: "text", id: "custom-y-from", size: 12, autocomplete: "off"}),
    yTo: h("input", {type: "text", id: "custom-y-to", size: 12, autocomplete: "off"})
  };
  const label = (input: HTMLInputElement, text: string) => h("label", {for: input.id}, `${text} `, input);
  const message = h("p", {class: "muted custom-message", role: "status"});
  const form = h(
    "form",
    {class: "custom-form"},
    h(
      "p",
      {class: "muted small"},
      "Each axis runs from one query's centroid to another's in the 64-D embedding (a class name, “predicted:NAME”, “wrong”, “correct” or an index). Project shows the layout as the Custom method."
    ),
    h("div", {class: "custom-row"}, h("span", {}, "x axis:"), label(fields.xFrom, "from"), label(fields.xTo, "to")),
    h(
      "div",
      {class: "custom-row"},
      h("span", {}, "y axis:"),
      label(fields.yFrom, "from"),
      label(fields.yTo, "to"),
      h("span", {class: "muted"}, "(empty: the main direction left over)")
    ),
    h("button", {type: "submit", class: "primary"}, "Project"),
    message
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const queries = {
      xFrom: fields.xFrom.value,
      xTo: fields.xTo.value,
      yFrom: fields.yFrom.value,
      yTo: fields.yTo.value
    };
    try {
      const result = customLayout(data, classNames, queries);
      message.textContent = result.description;
      onProject(result);
    } catch (error) {
      message.textContent = (error as Error).message;
    }
  });
  const details = h(
    "details",
    {class: "custom-projection", id: "custom-projection"},
    h("summary", {}, "Custom projection (axes between the centroids of two queries)"),
    form
  );
  return {
    element: details,
    open() {
      details.open = true;
      details.scrollIntoView({block: "nearest"});
      fields.xFrom.focus();
    },
    show(queries, text) {
      for (const key of Object.keys(fields) as (keyof CustomQueries)[]) fields[key].value = queries[key];
      message.textContent = text;
    }
  };
}
