/**
 * The attribution lab in Classify: for the chosen class (the prediction unless another is picked),
 * the input gradient, SmoothGrad, Integrated Gradients (with its completeness check), occlusion,
 * Score-CAM, CAM and Grad-CAM, side by side on one colour scale, each with its time and a plain
 * sentence, then each map's faithfulness curves. Nothing runs until the user asks; from then on
 * the lab follows each new input, one method at a time (./labRunner.ts), the latest input only.
 */
import "./lab.css";

import {CLASS_NAMES} from "../../../../../src/core/data/fashionMnist.js";
import type {ForwardPass} from "../../../../../src/core/model/forward.js";
import {METHOD_INFO} from "../../../../../src/core/viz/attribution/explanations.js";
import type {Completeness} from "../../../../../src/core/viz/attribution/integratedGradients.js";
import type {AttributionMethod} from "../../../../../src/core/viz/attribution/types.js";
import {cssColor} from "../../../../../src/core/viz/colormap.js";
import {inputRaster} from "../../../../../src/core/viz/heatOverlay.js";
import {importanceRaster} from "../../../../../src/core/viz/labCharts.js";
import {colourLegend} from "../../../ui/colourLegend.js";
import {h, panel} from "../../../ui/dom.js";
import {faithfulnessPanel} from "./faithfulnessPanel.js";
import type {LabClient} from "./labClient.js";
import {onDemand} from "./onDemand.js";
import {mapTile} from "./mapTile.js";

const METHODS: AttributionMethod[] = [
  "gradient",
  "smoothgrad",
  "integrated-gradients",
  "occlusion",
  "score-cam",
  "cam",
  "grad-cam"
];

export interface ExplainInput {
  input: Float32Array;
  pass: ForwardPass;
  predicted: number;
}

export interface LabPanel {
  element: HTMLElement;
  /** The latest explained input: reruns the lab when it has been started. */
  update(job: ExplainInput): void;
  /** No input any more (an empty drawing pad). */
  clear(): void;
}

function completenessText(c: Completeness): string {
  const gap = (c.relativeError * 100).toFixed(2);
  return (
    `Integrated Gradients' completeness check: the attributions add up to ${c.sum.toFixed(3)}; ` +
    `f(x) − f(black image) = ${c.inputLogit.toFixed(3)} − (${c.baselineLogit.toFixed(3)}) = ${c.expected.toFixed(3)}. ` +
    `Gap ${gap} % (${c.steps} gradients along the path)${c.relativeError <= 0.01 ? " ✓" : ""}.`
  );
}

export function labPanel(client: LabClient, signal: AbortSignal): LabPanel {
  const classPick = h(
    "select",
    {id: "lab-class"},
    h("option", {value: "predicted"}, "predicted class"),
    ...CLASS_NAMES.map((name, i) => h("option", {value: String(i)}, name))
  );
  const run = h("button", {type: "button", class: "primary", "data-testid": "lab-run"}, "Run the lab");
  const status = h(
    "p",
    {class: "muted small lab-status", "aria-live": "polite"},
    "Not run yet: the seven maps take a few seconds."
  );
  const inputTile = mapTile("Model input");
  const tiles = new Map(METHODS.map((m) => [m, mapTile(METHOD_INFO[m].title, METHOD_INFO[m].explanation)]));
  const completeness = h("p", {class: "small lab-completeness", "data-testid": "ig-completeness", hidden: true});
  const faithfulness = faithfulnessPanel();
  const stops = Array.from({length: 11}, (_, i) => cssColor("viridis", i / 10));
  const element = panel(
    "lab",
    "Attribution lab: which pixels made the class?",
    {class: "lab-panel", "data-testid": "lab", "data-state": "idle"},
    h(
      "p",
      {class: "muted small"},
      "Seven ways to ask the network which pixels count for a class, computed here in the browser when you ask. " +
        "Every map is on one colour scale, from nothing (dark) to the most that method found (yellow); the " +
        "garment shows faintly underneath."
    ),
    h("div", {class: "row lab-controls"}, h("label", {for: "lab-class"}, "Class "), classPick, run),
    status,
    h("div", {class: "lab-tiles"}, inputTile.element, ...[...tiles.values()].map((t) => t.element)),
    colourLegend(stops, "nothing", "the most that method found"),
    completeness,
    faithfulness.element
  );

  const classOf = (job: ExplainInput) => (classPick.value === "predicted" ? job.predicted : Number(classPick.value));

  const start = async (job: ExplainInput, current: () => boolean) => {
    const classIndex = classOf(job);
    const name = CLASS_NAMES[classIndex];
    element.dataset.state = "running";
    inputTile.show(inputRaster(job.input), "The model's 28×28 input", `explaining ${name}`);
    for (const tile of tiles.values()) tile.reset("…");
    completeness.hidden = true;
    faithfulness.clear();
    status.textContent = `Computing the maps for ${name}…`;
    const reply = await client.lab(job.input, classIndex, (entry, index, total) => {
      if (!current()) return;
      const method = entry.attribution.method;
      const ms = `${entry.ms.toFixed(0)} ms`;
      tiles
        .get(method)
        ?.show(
          importanceRaster(entry.attribution.importance, job.input),
          `${METHOD_INFO[method].title} map for ${name}, computed in ${ms}`,
          ms
        );
      tiles.get(method)?.element.setAttribute("data-ms", entry.ms.toFixed(1));
      status.textContent = `Computing the maps for ${name}: ${index + 1} of ${total} done…`;
    });
    if (!reply || !current()) return; // a newer input or class took over
    const result = reply.run;
    for (const m of METHODS) {
      if (!result.entries.some((e) => e.attribution.method === m)) tiles.get(m)?.reset("not for this model");
    }
    if (result.completeness) {
      completeness.textContent = completenessText(result.completeness);
      completeness.dataset.gap = String(result.completeness.relativeError);
      completeness.dataset.steps = String(result.completeness.steps);
      completeness.hidden = false;
    }
    faithfulness.show(result, name);
    const mapsMs = result.entries.reduce((s, e) => s + e.ms, 0);
    status.textContent =
      `${name}: ${result.entries.length} maps in ${mapsMs.toFixed(0)} ms, with their curves ` +
      `${result.totalMs.toFixed(0)} ms in all (TF.js ${reply.facts.backend} in a worker: the page stays free).`;
    element.dataset.state = "done";
    element.dataset.classIndex = String(classIndex);
    element.dataset.tensors = String(reply.facts.tensors);
    element.dataset.runs = String(Number(element.dataset.runs ?? 0) + 1);
  };
  const runner = onDemand(start, {panel: element, line: status, what: "The lab"}, signal);
  run.addEventListener("click", () => {
    run.textContent = "Run again";
    if (!runner.ask()) status.textContent = "The lab runs as soon as there is an input: choose, draw or open an image.";
  });
  classPick.addEventListener("change", runner.rerun);

  return {
    element,
    update(job) {
      runner.offer(job);
    },
    clear() {
      runner.offer(undefined);
      inputTile.reset();
      for (const tile of tiles.values()) tile.reset();
      completeness.hidden = true;
      faithfulness.clear();
      status.textContent = "No input.";
      element.dataset.state = "idle";
    }
  };
}
