/**
 * Training dashboard: the run's curves (re-read every few seconds while `fmnist train` writes the
 * log), the test set's confusion matrix whose cells list their images, and per-class accuracy.
 * The chosen cell is in the URL (`#/dashboard?cell=6,0`: true Shirt, predicted T-shirt/top).
 */
import "./dashboard.css";

import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {METADATA_FILE, type ModelMetadata} from "../../../../src/core/formats/metadata.js";
import {mountedUrl} from "../../../../src/core/formats/mounts.js";
import {confusionMatrix, perClassAccuracy} from "../../../../src/core/model/metrics.js";
import {perClassAccuracySvg} from "../../../../src/core/viz/perClassAccuracyChart.js";
import {loadExport, type ExportData} from "../../data/exportData.js";
import {fetchJson} from "../../data/fetchData.js";
import {writeRoute} from "../../router.js";
import {h, svgFigure, panel} from "../../ui/dom.js";
import type {MountedView, ViewContext} from "../view.js";
import {confusionTable} from "./confusionTable.js";
import {curvesPanel} from "./curvesPanel.js";
import {showPair} from "./pairImages.js";

export const title = "Training dashboard";

/** The model's own numbers (from training), when the server has its metadata. */
async function modelFacts(): Promise<string | undefined> {
  try {
    const metadata = await fetchJson<ModelMetadata>(mountedUrl("model", METADATA_FILE));
    const m = metadata.metrics ?? {};
    const parts: string[] = [];
    if (typeof m.bestEpoch === "number") parts.push(`checkpoint from epoch ${m.bestEpoch}`);
    if (typeof m.testAccuracy === "number") parts.push(`test accuracy ${(m.testAccuracy * 100).toFixed(2)}%`);
    if (typeof m.testLoss === "number") parts.push(`test loss ${m.testLoss.toFixed(4)}`);
    return parts.length ? `Model: ${parts.join(", ")}.` : undefined;
  } catch {
    return undefined;
  }
}

/** A `cell` parameter ("6,0") as [true class, predicted class], if it names a cell. */
function parseCell(text: string | null): [number, number] | undefined {
  const m = /^(\d+),(\d+)$/.exec(text ?? "");
  const cell = m ? ([Number(m[1]), Number(m[2])] as [number, number]) : undefined;
  return cell && cell.every((c) => c < CLASS_NAMES.length) ? cell : undefined;
}

interface TestSet {
  element: HTMLElement;
  /** Shows a cell's images (none: the hint), as when it is chosen, without a history entry. */
  showCell(cell: [number, number] | undefined): void;
}

function testSetSection(data: ExportData): TestSet {
  const matrix = confusionMatrix(data.labels, data.predicted, CLASS_NAMES.length);
  const correct = matrix.reduce((s, row, i) => s + row[i], 0);
  const overall = correct / data.count;
  const accuracies = perClassAccuracy(matrix);
  const pair = h("section", {class: "panel pair-images", "aria-live": "polite"});
  const hint = () => h("p", {class: "muted"}, "Choose a cell of the confusion matrix to see its test images.");
  pair.append(hint());
  let restoring = false;
  const table = confusionTable(matrix, CLASS_NAMES, ({trueClass, predictedClass}) => {
    showPair(pair, data, CLASS_NAMES, trueClass, predictedClass);
    if (!restoring) writeRoute("dashboard", {cell: `${trueClass},${predictedClass}`}, "push");
  });
  const showCell = (cell: [number, number] | undefined) => {
    if (!cell) {
      for (const b of table.querySelectorAll("button[aria-pressed=true]")) b.setAttribute("aria-pressed", "false");
      pair.replaceChildren(hint());
      return;
    }
    restoring = true;
    table.querySelector<HTMLButtonElement>(`button[data-true="${cell[0]}"][data-predicted="${cell[1]}"]`)?.click();
    restoring = false;
  };
  const accuracyAlt = `Per-class accuracy on the test set: ${accuracies
    .map((a, i) => `${CLASS_NAMES[i]} ${(a * 100).toFixed(1)}%`)
    .join(", ")}; overall ${(overall * 100).toFixed(2)}%.`;
  const element = h(
    "div",
    {class: "dashboard-test"},
    panel(
      "confusion",
      `Confusion matrix of the ${data.count.toLocaleString("en")} test images`,
      {},
      h("p", {class: "muted"}, `${correct.toLocaleString("en")} correct (${(overall * 100).toFixed(2)}%).`),
      h("div", {class: "confusion-scroll"}, table)
    ),
    panel(
      "accuracy",
      "Per-class accuracy",
      {},
      svgFigure(
        perClassAccuracySvg(accuracies, {classNames: CLASS_NAMES, overall, title: "Test set", barWidth: 360}),
        accuracyAlt
      )
    ),
    pair
  );
  return {element, showCell};
}

export async function mount(root: HTMLElement, context: ViewContext): Promise<MountedView> {
  const curves = curvesPanel();
  const facts = h("p", {class: "model-facts"});
  const testPart = h("div", {}, h("p", {class: "loading"}, "Loading the test-set predictions…"));
  root.append(h("div", {class: "dashboard"}, h("h1", {}, title), facts, curves.element, testPart));
  void modelFacts().then((text) => {
    if (text) facts.textContent = text;
  });
  let testSet: TestSet | undefined;
  try {
    const data = await loadExport();
    if (!context.signal.aborted) {
      testSet = testSetSection(data);
      testPart.replaceChildren(testSet.element);
      testSet.showCell(parseCell(context.params.get("cell")));
    }
  } catch (error) {
    curves.stop();
    throw error;
  }
  return {
    unmount: () => curves.stop(),
    update: (params) => {
      testSet?.showCell(parseCell(params.get("cell")));
      return testSet !== undefined;
    }
  };
}
