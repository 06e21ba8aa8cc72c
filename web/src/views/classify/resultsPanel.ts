/**
 * The verdict in large text, and every class's probability as a bar. An input the
 * out-of-distribution rule flags is said to be unlike a Fashion-MNIST garment before any class is
 * named; the numbers behind the flag go in a details line.
 */
import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {NOT_A_GARMENT} from "../../../../src/core/model/ood.js";
import {h, panel} from "../../ui/dom.js";
import type {Prediction} from "./inference.js";

export interface ResultsPanel {
  element: HTMLElement;
  show(prediction: Prediction): void;
  /** No prediction (an empty drawing pad): `message` instead. */
  clear(message: string): void;
}

const percent = (p: number) => `${(p * 100).toFixed(1)} %`;
const NOT_A_GARMENT_SENTENCE = `${NOT_A_GARMENT.replace(/^t/, "T")}.`;

/** `calibrated`: the model has out-of-distribution statistics (without them nothing is flagged, and the panel says so). */
export function resultsPanel(calibrated: boolean): ResultsPanel {
  const closest = h("p", {class: "muted small closest", hidden: true}, "Closest class:");
  const label = h("p", {class: "prediction", "data-testid": "prediction"}, "—");
  const confidence = h("p", {class: "confidence muted"}, "Choose an image, draw, or start the webcam.");
  const warning = h("p", {class: "ood-warning", "data-testid": "ood-warning", role: "status", hidden: true});
  const details = h("p", {class: "muted small ood-details", "data-testid": "ood-details", hidden: true});
  const uncalibrated = h(
    "p",
    {class: "muted small", hidden: calibrated},
    "This model has no out-of-distribution statistics (`fmnist calibrate`), so inputs unlike Fashion-MNIST are not flagged."
  );
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
  const element = panel(
    "results",
    "Prediction",
    {class: "results"},
    warning,
    closest,
    label,
    confidence,
    details,
    uncalibrated,
    list
  );
  return {
    element,
    show({probabilities, predicted, verdict}) {
      const flagged = verdict?.ood === true;
      warning.hidden = !flagged;
      warning.textContent = flagged ? `⚠ ${NOT_A_GARMENT_SENTENCE}` : "";
      closest.hidden = !flagged;
      label.textContent = CLASS_NAMES[predicted];
      confidence.textContent = `${percent(probabilities[predicted])} probability (mean of the image and its mirror image)`;
      details.hidden = !flagged;
      details.textContent = flagged && verdict ? `Details: ${verdict.details}` : "";
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
    },
    clear(message) {
      warning.hidden = true;
      warning.textContent = "";
      closest.hidden = true;
      details.hidden = true;
      details.textContent = "";
      label.textContent = "—";
      confidence.textContent = message;
      list.replaceChildren();
    }
  };
}
