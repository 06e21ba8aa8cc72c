/** The prediction in large text, the out-of-distribution warning, and every class's probability as a bar. */
import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {h} from "../../ui/dom.js";
import type {Prediction} from "./inference.js";

export interface ResultsPanel {
  element: HTMLElement;
  show(prediction: Prediction): void;
}

const percent = (p: number) => `${(p * 100).toFixed(1)} %`;

export function resultsPanel(): ResultsPanel {
  const label = h("p", {class: "prediction", "data-testid": "prediction"}, "—");
  const confidence = h("p", {class: "confidence muted"}, "Choose an image, draw, or start the webcam.");
  const warning = h("p", {class: "ood-warning", "data-testid": "ood-warning", role: "status", hidden: true});
  const rows = CLASS_NAMES.map((name) => {
    const bar = h("span", {class: "prob-fill"});
    const value = h("span", {class: "prob-value"}, "");
    const row = h(
      "li",
      {class: "prob-row"},
      h("span", {class: "prob-name"}, name),
      h("span", {class: "prob-track"}, bar),
      value
    );
    return {row, bar, value};
  });
  const list = h("ol", {class: "prob-list", "aria-label": "Class probabilities, most likely first"});
  const element = h(
    "section",
    {class: "panel results", "aria-labelledby": "results-heading"},
    h("h2", {id: "results-heading"}, "Prediction"),
    label,
    confidence,
    warning,
    list
  );
  return {
    element,
    show({probabilities, predicted, ood}) {
      label.textContent = CLASS_NAMES[predicted];
      confidence.textContent = `${percent(probabilities[predicted])} probability`;
      warning.hidden = !ood.ood;
      warning.textContent = ood.ood ? `⚠ This input looks unlike Fashion-MNIST: ${ood.reason ?? ""}.` : "";
      const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
      list.replaceChildren(
        ...order.map((c) => {
          const {row, bar, value} = rows[c];
          bar.style.width = `${Math.max(0.5, probabilities[c] * 100)}%`;
          value.textContent = percent(probabilities[c]);
          row.classList.toggle("top", c === predicted);
          return row;
        })
      );
    }
  };
}
