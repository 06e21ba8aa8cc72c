/**
 * A 2-D scatter plot of a layout (PCA, t-SNE, UMAP) coloured by class, with a legend, as an SVG
 * string (isomorphic: the CLI rasterises it with sharp, the web app can put it in a page).
 * Both axes share one scale so that distances look the same in every direction.
 */
import type {Points} from "../embed/points.js";

/** One colour per class (matplotlib's tab10 / d3's category10), in label order. */
export const CLASS_COLORS = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf"
] as const;

const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;

function escapeText(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Options of {@link scatterPlotSvg}. */
export interface ScatterPlotOptions {
  title: string;
  /** Second line under the title (parameters, quality numbers). */
  subtitle?: string;
  /** A 2-D layout (only the first two coordinates are used). */
  layout: Points;
  /** Class of each point, 0..classNames.length - 1. */
  labels: ArrayLike<number>;
  classNames: readonly string[];
  /** Axis titles (default none: t-SNE and UMAP axes have no meaning). */
  xLabel?: string;
  yLabel?: string;
  /** Side of the square plot area in px (default 760). */
  size?: number;
  /** Dot radius in px (default: from the number of points, 1.6 to 4). */
  radius?: number;
}

/** Extent of the first two coordinates, padded to a square centred on the data. */
export function squareExtent(layout: Points): {x0: number; y0: number; side: number} {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i < layout.count; i++) {
    const x = layout.data[i * layout.dim];
    const y = layout.data[i * layout.dim + 1];
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  const side = Math.max(xMax - xMin, yMax - yMin) || 1;
  return {x0: (xMin + xMax) / 2 - side / 2, y0: (yMin + yMax) / 2 - side / 2, side};
}

function legendSvg(x: number, y: number, classNames: readonly string[], labels: ArrayLike<number>): string {
  const counts = new Array<number>(classNames.length).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  const rows = classNames.map((name, c) => {
    const cy = y + 28 + c * 24;
    return (
      `<circle cx="${x + 7}" cy="${cy - 4}" r="6" fill="${CLASS_COLORS[c % CLASS_COLORS.length]}"/>` +
      `<text x="${x + 20}" y="${cy}" font-size="13" fill="#222" ${FONT}>${escapeText(name)}</text>` +
      `<text x="${x + 170}" y="${cy}" font-size="11" fill="#777" text-anchor="end" ${FONT}>${counts[c]}</text>`
    );
  });
  return `<text x="${x}" y="${y}" font-size="13" font-weight="bold" fill="#222" ${FONT}>Class</text>` + rows.join("");
}

/** The scatter plot as an SVG document. */
export function scatterPlotSvg(o: ScatterPlotOptions): string {
  const size = o.size ?? 760;
  const pad = 20;
  const head = o.subtitle ? 62 : 44;
  const left = pad + (o.yLabel ? 22 : 0);
  const legendWidth = 200;
  const width = left + size + 24 + legendWidth;
  const height = head + size + pad + (o.xLabel ? 24 : 0);
  const {x0, y0, side} = squareExtent(o.layout);
  const inner = size - 16;
  const scale = inner / side;
  const r = o.radius ?? Math.min(4, Math.max(1.6, 2200 / Math.sqrt(o.layout.count) / 20));
  const dots: string[] = [];
  for (let i = 0; i < o.layout.count; i++) {
    const px = left + 8 + (o.layout.data[i * o.layout.dim] - x0) * scale;
    // SVG y grows downwards; flip so that up is positive.
    const py = head + 8 + inner - (o.layout.data[i * o.layout.dim + 1] - y0) * scale;
    dots.push(
      `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="${r}" fill="${CLASS_COLORS[o.labels[i] % 10]}"/>`
    );
  }
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="28" font-size="18" font-weight="bold" fill="#222" ${FONT}>${escapeText(o.title)}</text>`,
    o.subtitle ? `<text x="${pad}" y="48" font-size="12" fill="#555" ${FONT}>${escapeText(o.subtitle)}</text>` : "",
    `<rect x="${left}" y="${head}" width="${size}" height="${size}" fill="#fafafa" stroke="#ccc"/>`,
    `<g fill-opacity="0.65">${dots.join("")}</g>`,
    o.xLabel
      ? `<text x="${left + size / 2}" y="${head + size + 20}" font-size="13" text-anchor="middle" fill="#333" ${FONT}>${escapeText(o.xLabel)}</text>`
      : "",
    o.yLabel
      ? `<text transform="translate(${pad + 12} ${head + size / 2}) rotate(-90)" font-size="13" text-anchor="middle" fill="#333" ${FONT}>${escapeText(o.yLabel)}</text>`
      : "",
    legendSvg(left + size + 24, head + 14, o.classNames, o.labels),
    `</svg>`
  ];
  return parts.join("");
}
