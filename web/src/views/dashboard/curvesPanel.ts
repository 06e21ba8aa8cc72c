/** Loss and accuracy curves from the run's metrics.jsonl, re-drawn whenever the log changes. */
import {METRICS_FILE, parseMetricsLog, type CurvePoint} from "../../../../src/core/formats/metricsLog.js";
import {mountedUrl} from "../../../../src/core/formats/mounts.js";
import {trainingCurvesSvg} from "../../../../src/core/viz/curvesChart.js";
import {fetchText} from "../../data/fetchData.js";
import {errorBox, h, svgFigure, panel} from "../../ui/dom.js";
import {startPoller} from "./poller.js";
import {bestEpoch, epochPoints, runSummaryText} from "./runSummary.js";

/** How often the log is fetched again while the view is open. */
export const POLL_MS = 5000;

const percent = (v: number) => `${(v * 100).toFixed(2)}%`;

/**
 * The numbers behind the chart, as a table for screen readers (inside a hidden box: a table
 * ignores the width and overflow that hide other elements, and would widen a phone's page).
 */
function curvesTable(points: readonly CurvePoint[]): HTMLElement {
  const table = h(
    "table",
    {},
    h("caption", {}, "Training and validation metrics per epoch"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Epoch", "Loss", "Validation loss", "Accuracy", "Validation accuracy"].map((c) =>
          h("th", {scope: "col"}, c)
        )
      )
    ),
    h(
      "tbody",
      {},
      ...points.map((p) =>
        h(
          "tr",
          {},
          h("th", {scope: "row"}, String(p.epoch)),
          h("td", {}, p.loss.toFixed(4)),
          h("td", {}, p.val_loss.toFixed(4)),
          h("td", {}, percent(p.accuracy)),
          h("td", {}, percent(p.val_accuracy))
        )
      )
    )
  );
  return h("div", {class: "visually-hidden"}, table);
}

/** The curves section; polls the log until the returned stop() is called. */
export function curvesPanel(): {element: HTMLElement; stop: () => void} {
  const chart = h("div", {class: "curves-chart", "data-epochs": "0"}, h("p", {class: "loading"}, "Loading the log…"));
  const summary = h("p", {class: "run-summary"});
  const updated = h("p", {class: "muted last-updated", "aria-live": "off"});
  const element = panel("curves", "Loss and accuracy per epoch", {}, summary, chart, updated);
  let changedAt: Date | undefined;

  const draw = (text: string) => {
    const points = epochPoints(parseMetricsLog(text));
    changedAt = new Date();
    chart.dataset.epochs = String(points.length);
    summary.textContent = runSummaryText(points);
    if (points.length === 0) {
      chart.replaceChildren(h("p", {class: "muted"}, "No finished epoch yet; this chart appears after the first one."));
      return;
    }
    const best = bestEpoch(points);
    const svg = trainingCurvesSvg(points, {title: "Training curves", bestEpoch: best?.epoch});
    chart.replaceChildren(
      svgFigure(svg, `Loss and accuracy curves over ${points.length} epochs. ${runSummaryText(points)}.`),
      curvesTable(points)
    );
  };

  const poller = startPoller({
    fetchText: () => fetchText(mountedUrl("runs", METRICS_FILE), {cache: "no-store"}),
    onChange: draw,
    onChecked: (at) => {
      updated.textContent = `Last updated ${at.toLocaleTimeString()} (checks every ${POLL_MS / 1000} s; log last changed ${changedAt?.toLocaleTimeString() ?? "—"})`;
    },
    onError: (error) => {
      if (chart.dataset.epochs === "0") {
        chart.replaceChildren(errorBox(error instanceof Error ? error.message : String(error)));
      }
      updated.textContent = `Could not read the log at ${new Date().toLocaleTimeString()}; retrying.`;
    },
    intervalMs: POLL_MS
  });
  return {element, stop: () => poller.stop()};
}
