/** The projector's text alternative: what is shown, how faithful the layout is, and how many points per class. */
import {imagesName, type ExportData} from "../../data/exportData.js";
import {METHOD_NAMES, type Dim, type Method} from "./layouts.js";

export interface SummaryInput {
  method: Method;
  dim: Dim;
  /** The layout was recomputed in this browser (the export's quality numbers do not apply). */
  recomputed: boolean;
  /** Axis description of the custom projection. */
  customAxes?: string;
}

export function projectorSummary(data: ExportData, input: SummaryInput, classNames: readonly string[]): string {
  const file = data.projections;
  const parts = [
    `Scatter plot of the ${data.count.toLocaleString("en")} ${imagesName(data)} in ${input.dim}-D, ${METHOD_NAMES[input.method]} of the ${file.source.dim}-D embedding (layer ${file.source.layer}).`
  ];
  if (input.method === "custom") parts.push(input.customAxes ?? "");
  else if (input.recomputed) parts.push("Layout recomputed in this browser; quality not measured.");
  else {
    const entry = file.projections[input.method];
    const q = entry?.quality;
    if (q) {
      parts.push(
        `Trustworthiness ${q.trustworthiness.toFixed(3)}; ${file.quality.k}-nearest-neighbour accuracy ${(q.knnAccuracy * 100).toFixed(1)}% in the layout against ${(file.quality.referenceKnnAccuracy * 100).toFixed(1)}% in the embedding.`
      );
    }
    if (entry?.explainedVarianceRatio) {
      const shown = entry.explainedVarianceRatio.slice(0, input.dim).reduce((a, b) => a + b, 0);
      parts.push(`The axes hold ${(shown * 100).toFixed(1)}% of the variance.`);
    }
  }
  const counts = new Array<number>(classNames.length).fill(0);
  const right = new Array<number>(classNames.length).fill(0);
  for (let i = 0; i < data.count; i++) {
    counts[data.labels[i]]++;
    if (data.labels[i] === data.predicted[i]) right[data.labels[i]]++;
  }
  parts.push(
    `Images per true class (correctly predicted): ${classNames.map((c, k) => `${c} ${counts[k]} (${right[k]})`).join(", ")}.`
  );
  return parts.filter((p) => p).join(" ");
}
