/**
 * The confusion matrix as an SVG heat map, like the seed's matplotlib figure: rows are the true
 * classes, columns the predicted ones, each row normalised to sum to 1 (so a cell is the fraction of
 * that class predicted as the column's class), class names on both axes, the value in every cell
 * in white on dark cells, and a colour bar. Isomorphic.
 */
import {round, svgOpen, text} from "./svg.js";

/** ColorBrewer's sequential "Blues" (9 classes), the seed's `plt.cm.Blues`. */
const BLUES = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];

function hexRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The Blues colour for t in [0, 1] (clamped), as RGB bytes. */
export function blues(t: number): [number, number, number] {
  const x = Math.min(Math.max(t, 0), 1) * (BLUES.length - 1);
  const i = Math.min(Math.floor(x), BLUES.length - 2);
  const a = hexRgb(BLUES[i]);
  const b = hexRgb(BLUES[i + 1]);
  const f = x - i;
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

const css = ([r, g, b]: [number, number, number]) => `rgb(${r},${g},${b})`;
/** Relative luminance (sRGB weights) in [0, 1], to pick white or black text. */
const luminance = ([r, g, b]: [number, number, number]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

/** Divides every row by its sum (an all-zero row stays zero). */
export function rowNormalise(matrix: number[][]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Options of {@link confusionMatrixSvg}. */
export interface ConfusionMatrixChartOptions {
  /** Class names in label order (rows and columns). */
  classNames: readonly string[];
  /** Title (default "Confusion matrix"). */
  title?: string;
  /** Second line under the title, e.g. the data set and accuracy (default none). */
  subtitle?: string;
  /** Normalise rows to fractions (default true); false shows the counts. */
  normalise?: boolean;
  /** Cell side in pixels (default 48). */
  cell?: number;
}

/** Draws a confusion matrix of counts (rows: true class, columns: predicted class). */
export function confusionMatrixSvg(matrix: number[][], o: ConfusionMatrixChartOptions): string {
  const n = matrix.length;
  if (o.classNames.length !== n || matrix.some((row) => row.length !== n)) {
    throw new Error(
      `confusionMatrixSvg: expected a ${o.classNames.length}x${o.classNames.length} matrix, got ${n} rows`
    );
  }
  const normalise = o.normalise ?? true;
  const values = normalise ? rowNormalise(matrix) : matrix;
  const max = normalise ? 1 : Math.max(1, ...matrix.flat());
  const cell = o.cell ?? 48;
  const longest = Math.max(...o.classNames.map((c) => c.length));
  const labelWidth = Math.ceil(longest * 7.2) + 12;
  const left = 28 + labelWidth;
  const top = o.subtitle ? 62 : 44;
  const grid = n * cell;
  const labelDrop = Math.ceil(longest * 5.2) + 16; // rotated column names below the grid
  const bottom = labelDrop + 34;
  const right = 78;
  const width = left + grid + right;
  const height = top + grid + bottom;
  const parts: string[] = [svgOpen(width, height)];
  parts.push(text(left + grid / 2, 26, o.title ?? "Confusion matrix", {size: 16, weight: "bold", anchor: "middle"}));
  if (o.subtitle) parts.push(text(left + grid / 2, 46, o.subtitle, {size: 12, fill: "#555", anchor: "middle"}));

  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = values[i][j];
      const colour = blues(v / max);
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${css(colour)}"/>`);
      const label = v === 0 ? "0" : normalise ? v.toFixed(2) : String(v);
      const fill = luminance(colour) < 0.5 ? "#ffffff" : "#222222";
      parts.push(text(x + cell / 2, y + cell / 2, label, {size: 12, anchor: "middle", baseline: "central", fill}));
    }
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${grid}" height="${grid}" fill="none" stroke="#888" stroke-width="1"/>`
  );

  // Class names: rows on the left, columns below, rotated so long names fit.
  o.classNames.forEach((name, i) => {
    const c = top + i * cell + cell / 2;
    parts.push(text(left - 8, c, name, {size: 12, anchor: "end", baseline: "central"}));
    const x = left + i * cell + cell / 2;
    parts.push(text(x + 4, top + grid + 10, name, {size: 12, anchor: "end", rotate: -45}));
  });
  parts.push(text(14, top + grid / 2, "True label", {size: 13, anchor: "middle", rotate: -90, weight: "bold"}));
  parts.push(
    text(left + grid / 2, top + grid + labelDrop + 16, "Predicted label", {size: 13, anchor: "middle", weight: "bold"})
  );

  // Colour bar with ticks.
  const barX = left + grid + 18;
  // The bar runs from the darkest colour (maximum) at the top to white (0) at the bottom.
  const stops = [...BLUES]
    .reverse()
    .map((c, i) => `<stop offset="${round(i / (BLUES.length - 1))}" stop-color="${c}"/>`)
    .join("");
  parts.push(
    `<defs><linearGradient id="cm-bar" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`,
    `<rect x="${barX}" y="${top}" width="14" height="${grid}" fill="url(#cm-bar)" stroke="#888" stroke-width="0.5"/>`
  );
  for (let k = 0; k <= 4; k++) {
    const t = k / 4;
    const y = top + grid * (1 - t);
    const label = normalise ? t.toFixed(2) : String(Math.round(t * max));
    parts.push(`<line x1="${barX + 14}" y1="${y}" x2="${barX + 18}" y2="${y}" stroke="#888"/>`);
    parts.push(text(barX + 21, y, label, {size: 11, baseline: "central", fill: "#444"}));
  }
  parts.push("</svg>");
  return parts.join("");
}
