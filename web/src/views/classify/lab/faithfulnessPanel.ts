/**
 * Which map does the network agree with: each map's deletion and insertion curves (pixels removed
 * from the input, or put back onto a black image, most important first) as two small charts, and
 * their areas in a table beside a seeded random order, the score of a map that knows nothing.
 */
import {METHOD_INFO} from "../../../../../src/core/viz/attribution/explanations.js";
import {curveChartSvg, seriesColours, type CurveSeries} from "../../../../../src/core/viz/labCharts.js";
import {h, svgFigure} from "../../../ui/dom.js";
import type {LabRun} from "./labRunner.js";

export interface FaithfulnessPanel {
  element: HTMLElement;
  show(run: LabRun, className: string): void;
  clear(): void;
}

const area = (v: number) => v.toFixed(3);

/** "CAM and Grad-CAM …" when maps give identical curves (one line hides the other), else "". */
function coincide(series: CurveSeries[]): string {
  const same = (a: CurveSeries, b: CurveSeries) =>
    (["deletion", "insertion"] as const).every((k) => a[k].probabilities.every((p, i) => p === b[k].probabilities[i]));
  const pairs = series.flatMap((a, i) =>
    series
      .slice(i + 1)
      .filter((b) => same(a, b))
      .map((b) => `${a.name} and ${b.name}`)
  );
  return pairs.length > 0
    ? `${pairs.join("; ")} order the pixels alike here, so their lines lie on top of each other.`
    : "";
}

function areaTable(series: CurveSeries[], random: CurveSeries): HTMLTableElement {
  const rows = seriesColours(series).map(({s, colour}) => {
    const better = {
      deletion: !s.reference && s.deletion.area < random.deletion.area,
      insertion: !s.reference && s.insertion.area > random.insertion.area
    };
    const cell = (kind: "deletion" | "insertion") =>
      h("td", {class: better[kind] ? "beats" : ""}, area(s[kind].area), better[kind] ? " ✓" : "");
    return h(
      "tr",
      {
        "data-method": s.reference ? "random" : s.name,
        "data-deletion": s.deletion.area,
        "data-insertion": s.insertion.area
      },
      h(
        "th",
        {scope: "row"},
        h("span", {class: `swatch${s.reference ? " dashed" : ""}`, style: `--swatch: ${colour}`}),
        s.name
      ),
      cell("deletion"),
      cell("insertion")
    );
  });
  return h(
    "table",
    {class: "faithfulness-table", "data-testid": "faithfulness-table"},
    h("caption", {}, "Areas under the curves; ✓: better than the random order."),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", {scope: "col"}, "Map"),
        h("th", {scope: "col"}, "Deletion area", h("br"), h("span", {class: "muted small"}, "lower is better")),
        h("th", {scope: "col"}, "Insertion area", h("br"), h("span", {class: "muted small"}, "higher is better"))
      )
    ),
    h("tbody", {}, ...rows)
  );
}

export function faithfulnessPanel(): FaithfulnessPanel {
  const body = h("div", {class: "faithfulness-body"});
  const element = h(
    "section",
    {class: "faithfulness", "aria-labelledby": "faithfulness-heading", hidden: true},
    h("h3", {id: "faithfulness-heading"}, "Which map does the network agree with?"),
    h(
      "p",
      {class: "muted small"},
      "Deletion blacks out the pixels in each map's order, most important first, and follows the class " +
        "probability: the faster it falls, the more the map found what the network needs. Insertion puts the " +
        "same pixels back onto a black image: the faster it rises, the better. The dashed grey line is a random order."
    ),
    body
  );
  return {
    element,
    show(run, className) {
      const series: CurveSeries[] = run.entries.map((e) => ({
        name: METHOD_INFO[e.attribution.method].title,
        ...e.faithfulness
      }));
      const random: CurveSeries = {name: "random order", ...run.random, reference: true};
      const all = [...series, random];
      const alt = (kind: "deletion" | "insertion") =>
        `${kind === "deletion" ? "Deletion" : "Insertion"} curves of the probability of ${className}: ` +
        all.map((s) => `${s.name} area ${area(s[kind].area)}`).join(", ");
      body.replaceChildren(
        svgFigure(curveChartSvg("deletion", all), alt("deletion")),
        svgFigure(curveChartSvg("insertion", all), alt("insertion")),
        h(
          "div",
          {class: "faithfulness-areas"},
          areaTable(all, random),
          h("p", {class: "muted small faithfulness-note"}, coincide(series))
        )
      );
      element.hidden = false;
    },
    clear() {
      body.replaceChildren();
      element.hidden = true;
    }
  };
}
