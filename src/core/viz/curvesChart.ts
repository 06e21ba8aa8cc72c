/**
 * Training curves as SVG: loss and accuracy per epoch, training against validation, in two panels
 * side by side (the plots Keras users make from `history.history`). Isomorphic.
 */
import type {CurvePoint} from "../formats/metricsLog.js";
import {formatTick, niceTicks, round, svgOpen, text} from "./svg.js";

/** Options of {@link trainingCurvesSvg}. */
export interface CurvesChartOptions {
  /** Title over both panels (default "Training curves"). */
  title?: string;
  /** Epoch to mark with a dashed line, e.g. the checkpointed one (default none). */
  bestEpoch?: number;
  /** Plot area of one panel in pixels (default 420 x 280). */
  panelWidth?: number;
  panelHeight?: number;
}

const TRAIN_COLOUR = "#1f77b4";
const VALIDATION_COLOUR = "#ff7f0e";

interface Series {
  colour: string;
  values: number[];
}

interface PanelGeometry {
  x: number;
  y: number;
  width: number;
  height: number;
}

function domain(values: number[], padFraction: number): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-9) {
    const pad = Math.max(Math.abs(lo) * 0.05, 0.05);
    return [lo - pad, hi + pad];
  }
  const pad = (hi - lo) * padFraction;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

function panel(g: PanelGeometry, title: string, epochs: number[], series: Series[], bestEpoch?: number): string {
  const parts: string[] = [];
  const [x0, x1] = epochs.length > 1 ? domain(epochs, 0.04) : [epochs[0] - 0.5, epochs[0] + 0.5];
  const [y0, y1] = domain(
    series.flatMap((s) => s.values),
    0.08
  );
  const sx = (v: number) => g.x + ((v - x0) / (x1 - x0)) * g.width;
  const sy = (v: number) => g.y + g.height - ((v - y0) / (y1 - y0)) * g.height;

  parts.push(text(g.x + g.width / 2, g.y - 12, title, {size: 14, weight: "bold", anchor: "middle"}));
  parts.push(`<rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}" fill="#fafafa" stroke="#bbb"/>`);
  const yTicks = niceTicks(y0, y1, 5).filter((t) => t >= y0 && t <= y1);
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
  for (const t of yTicks) {
    const y = round(sy(t));
    parts.push(`<line x1="${g.x}" y1="${y}" x2="${g.x + g.width}" y2="${y}" stroke="#e4e4e4"/>`);
    parts.push(text(g.x - 6, y, formatTick(t, yStep), {size: 11, anchor: "end", baseline: "central", fill: "#444"}));
  }
  const xTicks = niceTicks(Math.ceil(x0), Math.floor(x1), Math.min(epochs.length, 8)).filter(
    (t) => Number.isInteger(t) && t >= x0 && t <= x1
  );
  for (const t of xTicks) {
    const x = round(sx(t));
    parts.push(`<line x1="${x}" y1="${g.y}" x2="${x}" y2="${g.y + g.height}" stroke="#e4e4e4"/>`);
    parts.push(text(x, g.y + g.height + 16, String(t), {size: 11, anchor: "middle", fill: "#444"}));
  }
  parts.push(text(g.x + g.width / 2, g.y + g.height + 36, "epoch", {size: 12, anchor: "middle"}));
  if (bestEpoch !== undefined && bestEpoch >= x0 && bestEpoch <= x1) {
    const x = round(sx(bestEpoch));
    // Label on the side of the line with more room.
    const onLeft = x > g.x + g.width / 2;
    parts.push(
      `<line x1="${x}" y1="${g.y}" x2="${x}" y2="${g.y + g.height}" stroke="#666" stroke-dasharray="4 3"/>`,
      text(x + (onLeft ? -4 : 4), g.y + 14, `best epoch ${bestEpoch}`, {
        size: 11,
        fill: "#555",
        anchor: onLeft ? "end" : "start"
      })
    );
  }
  for (const s of series) {
    const points = epochs
      .map((e, i) => [e, s.values[i]] as const)
      .filter(([, v]) => Number.isFinite(v))
      .map(([e, v]) => [round(sx(e)), round(sy(v))] as const);
    if (points.length > 1) {
      const d = points.map(([x, y], i) => `${i === 0 ? "M" : "L"}${x} ${y}`).join("");
      parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"/>`);
    }
    for (const [x, y] of points) parts.push(`<circle cx="${x}" cy="${y}" r="3.5" fill="${s.colour}"/>`);
  }
  return parts.join("");
}

/** Draws loss and accuracy per epoch; non-finite values are left out. */
export function trainingCurvesSvg(history: readonly CurvePoint[], o: CurvesChartOptions = {}): string {
  if (history.length === 0) throw new Error("trainingCurvesSvg: no epochs to draw (history is empty)");
  const pw = o.panelWidth ?? 420;
  const ph = o.panelHeight ?? 280;
  const left = 62;
  const gap = 86;
  const top = 92;
  const width = left + 2 * pw + gap + 24;
  const height = top + ph + 56;
  const epochs = history.map((h) => h.epoch);
  const pick = (key: keyof CurvePoint) => history.map((h) => h[key]);
  const parts = [svgOpen(width, height)];
  parts.push(text(width / 2, 28, o.title ?? "Training curves", {size: 16, weight: "bold", anchor: "middle"}));
  // Legend, centred under the title.
  const legendX = width / 2 - 95;
  [
    ["training", TRAIN_COLOUR],
    ["validation", VALIDATION_COLOUR]
  ].forEach(([label, colour], i) => {
    const x = legendX + i * 110;
    parts.push(`<line x1="${x}" y1="50" x2="${x + 24}" y2="50" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<circle cx="${x + 12}" cy="50" r="3.5" fill="${colour}"/>`);
    parts.push(text(x + 30, 50, label, {size: 12, baseline: "central"}));
  });
  parts.push(
    panel(
      {x: left, y: top, width: pw, height: ph},
      "Loss",
      epochs,
      [
        {colour: TRAIN_COLOUR, values: pick("loss")},
        {colour: VALIDATION_COLOUR, values: pick("val_loss")}
      ],
      o.bestEpoch
    ),
    panel(
      {x: left + pw + gap, y: top, width: pw, height: ph},
      "Accuracy",
      epochs,
      [
        {colour: TRAIN_COLOUR, values: pick("accuracy")},
        {colour: VALIDATION_COLOUR, values: pick("val_accuracy")}
      ],
      o.bestEpoch
    )
  );
  parts.push("</svg>");
  return parts.join("");
}
