/** The custom projection form: x axis between two queries' centroids, y axis a second pair or the residual's PCA. */
import type {ExportData} from "../../data/exportData.js";
import {h} from "../../ui/dom.js";
import {centroidDirection, customAxes} from "./customProjection.js";
import {runQuery} from "./queries.js";

export type CustomResult = (layout: Float64Array, description: string, xName: string, yName: string) => void;

export function customControls(
  data: ExportData,
  classNames: readonly string[],
  onProject: CustomResult
): {element: HTMLElement} {
  const input = (id: string, value: string, label: string) =>
    h("label", {for: id}, `${label} `, h("input", {type: "text", id, value, size: 12, autocomplete: "off"}));
  const field = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)?.value ?? "";
  const message = h("p", {class: "muted custom-message", role: "status"});
  const form = h(
    "form",
    {class: "custom-form"},
    h(
      "div",
      {class: "custom-row"},
      h("span", {}, "x axis:"),
      input("custom-x-from", "Sneaker", "from"),
      input("custom-x-to", "Ankle boot", "to")
    ),
    h(
      "div",
      {class: "custom-row"},
      h("span", {}, "y axis:"),
      input("custom-y-from", "", "from"),
      input("custom-y-to", "", "to"),
      h("span", {class: "muted"}, "(empty: the main direction left over)")
    ),
    h("button", {type: "submit", class: "primary"}, "Project"),
    message
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      const q = (id: string) => runQuery(field(id), data, classNames);
      const [xa, xb] = [q("custom-x-from"), q("custom-x-to")];
      const x = centroidDirection(data.embeddings, data.dim, xa.indices, xb.indices);
      const yText = [field("custom-y-from"), field("custom-y-to")];
      let y: Float64Array | undefined;
      let yName = "y: leading principal direction of the rest";
      if (yText.some((t) => t.trim())) {
        const [ya, yb] = [q("custom-y-from"), q("custom-y-to")];
        y = centroidDirection(data.embeddings, data.dim, ya.indices, yb.indices);
        yName = `y: ${ya.description} → ${yb.description}`;
      }
      const axes = customAxes(data.embeddings, data.dim, x, y);
      const xName = `x: ${xa.description} → ${xb.description}`;
      const shown = axes.varianceShown.map((v) => `${(v * 100).toFixed(1)}%`);
      const description = `Custom projection. ${xName} (${shown[0]} of the variance); ${yName} (${shown[1]}).`;
      message.textContent = description;
      onProject(axes.layout, description, `${xName}`, yName);
    } catch (error) {
      message.textContent = (error as Error).message;
    }
  });
  return {
    element: h(
      "details",
      {class: "custom-projection"},
      h("summary", {}, "Custom projection (axes between the centroids of two queries)"),
      form
    )
  };
}
