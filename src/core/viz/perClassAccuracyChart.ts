/**
 * Per-class accuracy (recall) as a horizontal bar chart, with the overall accuracy as a dashed
 * line, so the classes the model confuses stand out at a glance. Isomorphic.
 */
import {round, svgOpen, text} from "./svg.js";

/** Options of {@link perClassAccuracySvg}. */
export interface PerClassAccuracyChartOptions {
  /** Class names, one per value. */
  classNames: readonly string[];
  /** Overall accuracy to draw as a reference line (default none). */
  overall?: number;
  /** Title (default "Per-class accuracy"). */
  title?: string;
  /** Second line under the title (default none). */
  subtitle?: string;
  /** Width of the bar area in pixels (default 420). */
  barWidth?: number;
}

/** Draws one bar per class; `accuracies` are fractions in [0, 1]. */
export function perClassAccuracySvg(accuracies: readonly number[], o: PerClassAccuracyChartOptions): string {
  if (accuracies.length !== o.classNames.length) {
    throw new Error(
      `perClassAccuracySvg: ${accuracies.length} accuracies for ${o.classNames.length} class names; expected one each`
    );
  }
  const barWidth = o.barWidth ?? 420;
  const rowHeight = 30;
  const longest = Math.max(...o.classNames.map((c) => c.length));
  const left = Math.ceil(longest * 7.2) + 24;
  const top = o.subtitle ? 70 : 52;
  const plotHeight = accuracies.length * rowHeight;
  const width = left + barWidth + 70;
  const height = top + plotHeight + 48;
  const sx = (v: number) => left + Math.min(Math.max(v, 0), 1) * barWidth;
  const parts = [svgOpen(width, height)];
  parts.push(text(width / 2, 26, o.title ?? "Per-class accuracy", {size: 16, weight: "bold", anchor: "middle"}));
  if (o.subtitle) parts.push(text(width / 2, 46, o.subtitle, {size: 12, fill: "#555", anchor: "middle"}));
  for (let k = 0; k <= 10; k += 2) {
    const x = round(sx(k / 10));
    parts.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${top + plotHeight}" stroke="#e4e4e4"/>`);
    parts.push(text(x, top + plotHeight + 16, `${k * 10}%`, {size: 11, anchor: "middle", fill: "#444"}));
  }
  parts.push(text(left + barWidth / 2, top + plotHeight + 38, "accuracy (recall)", {size: 12, anchor: "middle"}));
  accuracies.forEach((a, i) => {
    const y = top + i * rowHeight;
    const w = round(sx(a) - left);
    parts.push(text(left - 8, y + rowHeight / 2, o.classNames[i], {size: 12, anchor: "end", baseline: "central"}));
    parts.push(`<rect x="${left}" y="${y + 5}" width="${w}" height="${rowHeight - 10}" fill="#4292c6"/>`);
    parts.push(
      text(left + w + 6, y + rowHeight / 2, `${(a * 100).toFixed(1)}%`, {size: 11, baseline: "central", fill: "#222"})
    );
  });
  if (o.overall !== undefined) {
    const x = round(sx(o.overall));
    parts.push(
      `<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${top + plotHeight}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="5 3"/>`,
      text(x, top - 10, `overall ${(o.overall * 100).toFixed(1)}%`, {size: 11, anchor: "middle", fill: "#d62728"})
    );
  }
  parts.push("</svg>");
  return parts.join("");
}
