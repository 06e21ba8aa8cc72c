/**
 * "What would make this a Bag?": a target class and a budget ε, then targeted PGD
 * (../../../../../src/core/viz/attribution/counterfactual.ts) finds a change of no pixel by more
 * than ε that the network reads as the target. Shows the changed image, the difference, the new
 * prediction, and the target's CAM before and after. Runs when asked, then follows new inputs.
 */
import {CLASS_NAMES} from "../../../../../src/core/data/fashionMnist.js";
import type {Counterfactual} from "../../../../../src/core/viz/attribution/counterfactual.js";
import {heatMapAttribution} from "../../../../../src/core/viz/attribution/types.js";
import type {HeatMap} from "../../../../../src/core/viz/cam.js";
import {inputRaster} from "../../../../../src/core/viz/heatOverlay.js";
import {importanceRaster, signedRaster} from "../../../../../src/core/viz/labCharts.js";
import {h} from "../../../ui/dom.js";
import type {LabClient} from "./labClient.js";
import type {ExplainInput} from "./labPanel.js";
import {mapTile} from "./mapTile.js";
import {onDemand} from "./onDemand.js";

export interface CounterfactualPanel {
  element: HTMLElement;
  update(job: ExplainInput): void;
  clear(): void;
}

const percent = (p: number) => `${(p * 100).toFixed(1)} %`;
const article = (name: string) => (/^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`);

/** The second most likely class: the natural first question ("why not the runner-up?"). */
function runnerUp(probabilities: Float32Array): number {
  const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
  return order[1] ?? 0;
}

function largestChange(difference: Float32Array): number {
  let max = 0;
  for (const d of difference) max = Math.max(max, Math.abs(d));
  return max;
}

export function counterfactualPanel(client: LabClient, signal: AbortSignal): CounterfactualPanel {
  const heading = h("h2", {id: "cf-heading"}, "Counterfactual: what would make this another class?");
  const target = h("select", {id: "cf-target"}, ...CLASS_NAMES.map((n, i) => h("option", {value: String(i)}, n)));
  const epsilon = h("input", {type: "range", id: "cf-epsilon", min: 0.01, max: 0.3, step: 0.01, value: 0.1});
  const epsilonText = h("output", {for: "cf-epsilon", class: "cf-epsilon-value"});
  const run = h("button", {type: "button", class: "primary", "data-testid": "cf-run"}, "Find the change");
  const verdict = h("p", {class: "cf-verdict", "data-testid": "cf-verdict", "aria-live": "polite"}, "Not run yet.");
  const tiles = {
    input: mapTile("Model input"),
    changed: mapTile("Changed image"),
    difference: mapTile("Difference", "Red: brighter, blue: darker, white: unchanged (scale ±ε)."),
    before: mapTile("Target's CAM, before", "Where the evidence for the target class lies in the input."),
    after: mapTile("Target's CAM, after", "The same map on the changed image: where the change put the evidence.")
  };
  const showEpsilon = () => {
    const e = Number(epsilon.value);
    epsilonText.textContent = `ε = ${e.toFixed(2)} (±${Math.round(e * 255)} of 255 grey levels)`;
  };
  showEpsilon();
  const element = h(
    "section",
    {class: "panel cf-panel", "aria-labelledby": "cf-heading", "data-testid": "counterfactual", "data-state": "idle"},
    heading,
    h(
      "p",
      {class: "muted small"},
      "The smallest-looking change, no pixel moved by more than ε, that pushes the network to the target class: " +
        "20 steps of targeted projected gradient descent (Madry et al., 2018), computed in the browser."
    ),
    h(
      "div",
      {class: "row lab-controls"},
      h("label", {for: "cf-target"}, "Target "),
      target,
      h("label", {for: "cf-epsilon"}, "Budget "),
      epsilon,
      epsilonText,
      run
    ),
    verdict,
    h("div", {class: "lab-tiles cf-tiles"}, ...Object.values(tiles).map((t) => t.element))
  );

  let chosen = false; // the user picked the target: keep it across inputs

  const show = (job: ExplainInput, result: Counterfactual, ms: number, maps: [HeatMap, HeatMap]) => {
    const goal = CLASS_NAMES[result.target];
    const was = `${CLASS_NAMES[job.predicted]} ${percent(job.pass.probabilities[job.predicted])}`;
    const now = `${CLASS_NAMES[result.predicted]} ${percent(result.probabilities[result.predicted])}`;
    const max = largestChange(result.difference);
    tiles.input.show(inputRaster(job.input), `The model's input, predicted ${was}`, `predicted ${was}`);
    tiles.changed.show(inputRaster(result.image), `The changed image, predicted ${now}`, `now ${now}`);
    tiles.difference.show(
      signedRaster(result.difference, result.epsilon),
      `Changed image minus input, at most ${max.toFixed(3)}`,
      `largest ${max.toFixed(3)}`
    );
    const [before, after] = maps.map((m) => heatMapAttribution("cam", m).importance);
    tiles.before.show(importanceRaster(before, job.input), `CAM of ${goal} on the input`, goal);
    tiles.after.show(importanceRaster(after, result.image), `CAM of ${goal} on the changed image`, goal);
    verdict.textContent =
      (result.reached
        ? `The network now reads it as ${goal}: ${now} (was ${was}). `
        : `Within ε = ${result.epsilon.toFixed(2)} the network still says ${now}: try a larger budget. `) +
      `No pixel moved by more than ${max.toFixed(3)}; found in ${ms.toFixed(0)} ms.`;
    Object.assign(element.dataset, {
      state: "done",
      reached: String(result.reached),
      predicted: String(result.predicted),
      target: String(result.target),
      epsilon: String(result.epsilon),
      maxChange: String(max),
      ms: ms.toFixed(1)
    });
  };

  const title = () => {
    heading.textContent = `Counterfactual: what would make this ${article(CLASS_NAMES[Number(target.value)])}?`;
  };
  const start = async (job: ExplainInput, current: () => boolean) => {
    const goal = Number(target.value);
    element.dataset.state = "running";
    verdict.textContent = `Looking for a change towards ${CLASS_NAMES[goal]}…`;
    const reply = await client.counterfactual(job.input, goal, Number(epsilon.value));
    if (!reply || !current()) return; // a newer input, target or budget took over
    const {result, ms, before, after} = reply.counterfactual;
    show(job, result, ms, [before, after]);
    element.dataset.tensors = String(reply.facts.tensors);
  };
  const runner = onDemand(start, {panel: element, line: verdict, what: "The counterfactual"}, signal);
  run.addEventListener("click", () => {
    if (!runner.ask()) verdict.textContent = "It runs as soon as there is an input: choose, draw or open an image.";
  });
  target.addEventListener("change", () => {
    chosen = true;
    title();
    runner.rerun();
  });
  epsilon.addEventListener("input", showEpsilon);
  epsilon.addEventListener("change", runner.rerun);

  return {
    element,
    update(job) {
      if (!chosen) target.value = String(runnerUp(job.pass.probabilities));
      title();
      runner.offer(job);
    },
    clear() {
      runner.offer(undefined);
      for (const tile of Object.values(tiles)) tile.reset();
      verdict.textContent = "No input.";
      element.dataset.state = "idle";
    }
  };
}
