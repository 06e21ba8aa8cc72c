/**
 * A confusion pair in Classify (`#/classify?true=A&predicted=B`, from a cell of the dashboard's
 * confusion matrix): the test images of true class A that the network calls B, each with the
 * contrastive Grad-CAM of logit B − logit A, "why B rather than A". Each image opens in Classify
 * with the pair kept in the route, so Back walks through what was looked at. The maps are computed
 * a few at a time between frames.
 */
import type * as tf from "@tensorflow/tfjs";

import {CLASS_NAMES} from "../../../../../src/core/data/fashionMnist.js";
import {forward} from "../../../../../src/core/model/forward.js";
import {contrastExplanation} from "../../../../../src/core/viz/attribution/explanations.js";
import {heatMapAttribution} from "../../../../../src/core/viz/attribution/types.js";
import {gradCam} from "../../../../../src/core/viz/cam.js";
import {importanceRaster} from "../../../../../src/core/viz/labCharts.js";
import {testImage, type ExportData} from "../../../data/exportData.js";
import {routeHash} from "../../../router.js";
import {h} from "../../../ui/dom.js";
import {drawRaster} from "../../../ui/raster.js";
import {greyCanvas} from "../../../ui/thumbnail.js";
import {pairIndices} from "../../dashboard/pairImages.js";
import {nextTask} from "./labRunner.js";

export interface ConfusionPair {
  trueClass: number;
  predictedClass: number;
}

/** Maps drawn before "Show all" (a cell rarely has more than 100 images). */
const FIRST_PAGE = 24;

/** The pair a route names (`true=6&predicted=0`): two different class indices, else undefined. */
export function pairFromParams(params: URLSearchParams): ConfusionPair | undefined {
  const t = Number(params.get("true") ?? NaN);
  const p = Number(params.get("predicted") ?? NaN);
  const valid = (c: number) => Number.isInteger(c) && c >= 0 && c < CLASS_NAMES.length;
  return valid(t) && valid(p) && t !== p ? {trueClass: t, predictedClass: p} : undefined;
}

export interface ContrastPanel {
  element: HTMLElement;
  /** The pair's test images, in test-set order. */
  indices: number[];
}

export function contrastPanel(
  model: tf.LayersModel,
  data: ExportData,
  pair: ConfusionPair,
  current: number | undefined,
  signal: AbortSignal
): ContrastPanel {
  const {trueClass: t, predictedClass: p} = pair;
  const [a, b] = [CLASS_NAMES[t], CLASS_NAMES[p]];
  const indices = pairIndices(data.labels, data.predicted, t, p);
  const selected = current ?? indices[0]; // the image Classify shows below
  const grid = h("div", {class: "contrast-grid"});
  const status = h("p", {class: "muted small", "aria-live": "polite"});
  const element = h(
    "section",
    {
      class: "panel contrast-panel",
      "aria-labelledby": "contrast-heading",
      "data-testid": "contrast",
      "data-count": indices.length,
      "data-computed": 0
    },
    h("h2", {id: "contrast-heading"}, `Why ${b} rather than ${a}?`),
    h(
      "p",
      {class: "small"},
      `The ${indices.length} test image${indices.length === 1 ? "" : "s"} that ${indices.length === 1 ? "is" : "are"} ${a} ` +
        `but the network calls ${b}, each beside its contrastive map. ${contrastExplanation(b, a)} `,
      h("a", {href: routeHash("dashboard")}, "Confusion matrix")
    ),
    status,
    grid
  );
  let ms = 0;
  let done = 0;
  const tile = (i: number) => {
    const started = performance.now();
    const x = testImage(data, i);
    const map = gradCam(model, forward(model, x), p, undefined, t);
    const canvas = h("canvas", {class: "pixelated contrast-map", role: "img"});
    drawRaster(canvas, importanceRaster(heatMapAttribution("grad-cam", map).importance, x));
    canvas.setAttribute("aria-label", `Test image ${i}: where it looks more like ${b} than like ${a}`);
    ms += performance.now() - started;
    done++;
    const score = `${b} ${(data.scores[i] * 100).toFixed(0)} %`;
    return h(
      "a",
      {
        href: routeHash("classify", {true: t, predicted: p, test: i}),
        class: "contrast-tile",
        title: `Test image ${i}: true ${a}, predicted ${score}. Open it here.`,
        "aria-current": i === selected ? "true" : undefined
      },
      greyCanvas(x, 3, `Test image ${i}`),
      canvas,
      h("span", {class: "small"}, `#${i} · ${score}`)
    );
  };
  const fill = async (from: number, to: number) => {
    for (let k = from; k < Math.min(to, indices.length); k++) {
      if (k % 4 === 0) {
        status.textContent = `Computing the maps: ${k} of ${Math.min(to, indices.length)}…`;
        await nextTask();
        if (signal.aborted) return;
      }
      grid.append(tile(indices[k]));
    }
    element.dataset.computed = String(done);
    status.textContent =
      `${done} of ${indices.length} maps, ${(ms / Math.max(1, done)).toFixed(0)} ms each ` +
      `(a forward pass and the gradient of logit ${b} − logit ${a}). Colours: the same scale as the lab's.`;
    if (done < indices.length && !grid.nextElementSibling) {
      const more = h("button", {type: "button"}, `Show all ${indices.length}`);
      more.addEventListener("click", () => {
        more.remove();
        void fill(done, indices.length);
      });
      element.append(more);
    }
  };
  if (indices.length === 0) status.textContent = "No test image has this pair.";
  else {
    fill(0, FIRST_PAGE).catch((error: unknown) => {
      status.textContent = `The maps failed: ${error instanceof Error ? error.message : String(error)}`;
    });
  }
  return {element, indices};
}
