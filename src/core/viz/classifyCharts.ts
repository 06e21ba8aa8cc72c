/**
 * SVG figures for `fmnist classify` (isomorphic strings; the CLI rasterises them with sharp and the
 * web app can put them in the page as they are). Raster content (feature-map grids) is passed in
 * as a data URI.
 */
import {cssColor, type ColormapName} from "./colormap.js";
import {escapeXml as escapeText} from "./svg.js";

const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;

/** Escapes text for SVG (the shared helper, re-exported under the name callers here use). */
export {escapeXml as escapeText} from "./svg.js";

function formatValue(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

/** A vertical colour bar with its min and max labels, as SVG elements placed at (x, y). */
function colourBar(
  x: number,
  y: number,
  height: number,
  min: number,
  max: number,
  colormap: ColormapName,
  id: string
): string {
  const stops = Array.from({length: 11}, (_, i) => {
    const t = i / 10;
    return `<stop offset="${t}" stop-color="${cssColor(colormap, 1 - t)}"/>`;
  }).join("");
  return [
    `<defs><linearGradient id="${id}" x1="0" y1="0" x2="0" y2="1">${stops}</linearGradient></defs>`,
    `<rect x="${x}" y="${y}" width="14" height="${height}" fill="url(#${id})" stroke="#999" stroke-width="0.5"/>`,
    `<text x="${x + 20}" y="${y + 10}" font-size="12" fill="#333" ${FONT}>${formatValue(max)}</text>`,
    `<text x="${x + 20}" y="${y + height}" font-size="12" fill="#333" ${FONT}>${formatValue(min)}</text>`
  ].join("");
}

export interface FeatureFigureOptions {
  title: string;
  subtitle: string;
  imageUri: string;
  imageWidth: number;
  imageHeight: number;
  min: number;
  max: number;
  colormap: ColormapName;
}

/** A layer's feature-map grid with a title and a colour scale. */
export function featureFigureSvg(o: FeatureFigureOptions): string {
  const pad = 16;
  const head = 52;
  const barSpace = 80;
  const width = o.imageWidth + 2 * pad + barSpace;
  const height = o.imageHeight + head + pad;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="24" font-size="18" font-weight="bold" fill="#222" ${FONT}>${escapeText(o.title)}</text>`,
    `<text x="${pad}" y="42" font-size="12" fill="#555" ${FONT}>${escapeText(o.subtitle)}</text>`,
    `<image x="${pad}" y="${head}" width="${o.imageWidth}" height="${o.imageHeight}" xlink:href="${o.imageUri}" href="${o.imageUri}" style="image-rendering:pixelated"/>`,
    colourBar(pad + o.imageWidth + 16, head, Math.min(o.imageHeight, 240), o.min, o.max, o.colormap, "scale"),
    `</svg>`
  ].join("");
}

export interface StripOptions {
  title: string;
  subtitle: string;
  values: ArrayLike<number>;
  /** Label under each cell (e.g. class names), or undefined for index ticks. */
  labels?: string[];
  /** Index of a cell to outline (e.g. the predicted class). */
  highlight?: number;
  colormap: ColormapName;
  /** Print the value inside each cell (default: when there are labels). */
  showValues?: boolean;
}

/** A 1-D activation vector as a strip of coloured cells (GAP embedding, dense outputs). */
export function stripSvg(o: StripOptions): string {
  const n = o.values.length;
  const labelled = o.labels !== undefined;
  const cell = labelled ? 72 : Math.max(10, Math.floor(900 / n));
  const cellH = labelled ? 44 : 36;
  const pad = 16;
  const head = 52;
  const below = labelled ? 40 : 22;
  const width = Math.max(n * cell + 2 * pad, 360);
  const height = head + cellH + below + pad;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    min = Math.min(min, o.values[i]);
    max = Math.max(max, o.values[i]);
  }
  const range = max - min;
  const cells: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = o.values[i];
    const t = range > 0 ? (v - min) / range : 0;
    const x = pad + i * cell;
    cells.push(`<rect x="${x}" y="${head}" width="${cell - 1}" height="${cellH}" fill="${cssColor(o.colormap, t)}"/>`);
    if (o.showValues ?? labelled) {
      const textColour = t > 0.6 ? "#111" : "#fff";
      cells.push(
        `<text x="${x + cell / 2}" y="${head + cellH / 2 + 5}" font-size="13" text-anchor="middle" fill="${textColour}" ${FONT}>${formatValue(v)}</text>`
      );
    }
    if (o.labels) {
      cells.push(
        `<text x="${x + cell / 2}" y="${head + cellH + 18}" font-size="12" text-anchor="middle" fill="#333" ${FONT}>${escapeText(o.labels[i])}</text>`
      );
    } else if (i % 8 === 0) {
      cells.push(`<text x="${x}" y="${head + cellH + 16}" font-size="11" fill="#555" ${FONT}>${i}</text>`);
    }
  }
  if (o.highlight !== undefined && o.highlight >= 0 && o.highlight < n) {
    const x = pad + o.highlight * cell;
    cells.push(
      `<rect x="${x - 1}" y="${head - 2}" width="${cell + 1}" height="${cellH + 4}" fill="none" stroke="#d62728" stroke-width="3"/>`
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${pad}" y="24" font-size="18" font-weight="bold" fill="#222" ${FONT}>${escapeText(o.title)}</text>`,
    `<text x="${pad}" y="42" font-size="12" fill="#555" ${FONT}>${escapeText(o.subtitle)}</text>`,
    ...cells,
    `</svg>`
  ].join("");
}

/** Horizontal bar chart of class probabilities, predicted class highlighted. */
export function probabilityBarsSvg(classNames: string[], probabilities: ArrayLike<number>, predicted: number): string {
  const rowH = 24;
  const labelW = 110;
  const barW = 300;
  const width = labelW + barW + 70;
  const height = classNames.length * rowH + 12;
  const rows = classNames.map((name, i) => {
    const p = probabilities[i];
    const y = 6 + i * rowH;
    const colour = i === predicted ? "#d62728" : "#4c78a8";
    return [
      `<text x="${labelW - 8}" y="${y + 16}" font-size="13" text-anchor="end" fill="#222" ${FONT}>${escapeText(name)}</text>`,
      `<rect x="${labelW}" y="${y + 3}" width="${Math.max(1, p * barW).toFixed(1)}" height="${rowH - 8}" fill="${colour}"/>`,
      `<text x="${labelW + Math.max(1, p * barW) + 6}" y="${y + 16}" font-size="12" fill="#333" ${FONT}>${(p * 100).toFixed(1)}%</text>`
    ].join("");
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="class probabilities">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...rows,
    `</svg>`
  ].join("");
}
