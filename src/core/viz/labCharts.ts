/**
 * Pictures of the attribution lab (./attribution/lab.ts) as SVG strings: the maps side by side on
 * one colour scale with a plain explanation of each, the deletion and insertion curves with their
 * areas, and the counterfactual. Raster content (the maps) comes in as data URIs, as in
 * ./classifyCharts.ts. Isomorphic.
 */
import {IMAGE_PIXELS, IMAGE_SIZE} from "../data/fashionMnist.js";
import type {Raster} from "../image/raster.js";
import {upscaleNearest} from "../image/raster.js";
import type {Curve} from "./attribution/faithfulness.js";
import {colormap, cssColor} from "./colormap.js";
import {round, svgOpen, text} from "./svg.js";

/** Side of a map tile in pixels (28 x 5). */
export const TILE = 140;

/**
 * A map over the input: viridis of `importance` (0 dark, 1 yellow), with a fifth of the input's
 * brightness mixed in so the garment's outline stays visible under every map.
 */
export function importanceRaster(importance: Float32Array, input: Float32Array): Raster {
  const data = new Uint8Array(IMAGE_PIXELS * 3);
  for (let p = 0; p < IMAGE_PIXELS; p++) {
    const rgb = colormap("viridis", importance[p]);
    for (let c = 0; c < 3; c++) data[3 * p + c] = Math.round(rgb[c] * 0.8 + 255 * input[p] * 0.2);
  }
  return upscaleNearest({width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3, data}, TILE / IMAGE_SIZE);
}

/** A signed map (values in [-limit, limit]) in blue (negative), white (0) and red (positive). */
export function signedRaster(values: Float32Array, limit: number): Raster {
  const data = new Uint8Array(IMAGE_PIXELS * 3);
  for (let p = 0; p < IMAGE_PIXELS; p++) {
    const t = Math.max(-1, Math.min(1, limit > 0 ? values[p] / limit : 0));
    const rgb: [number, number, number] =
      t >= 0 ? [255, 255 * (1 - t), 255 * (1 - t)] : [255 * (1 + t), 255 * (1 + t), 255];
    for (let c = 0; c < 3; c++) data[3 * p + c] = Math.round(rgb[c]);
  }
  return upscaleNearest({width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 3, data}, TILE / IMAGE_SIZE);
}

export interface LabTile {
  title: string;
  /** A second caption line (e.g. the time the method took). */
  note: string;
  imageUri: string;
}

export interface LabMapsOptions {
  title: string;
  /** One or two lines under the title. */
  subtitle: string[];
  tiles: LabTile[];
  /** Lines of text under the tiles ("Title: explanation"). */
  legend: {title: string; text: string}[];
  /** Tiles per row (default 5). */
  columns?: number;
  /** Draw the shared 0-1 colour bar (default true). */
  colourBar?: boolean;
}

/** A vertical 0-1 viridis bar at (x, y), TILE high, labelled "most" and "none". */
function colourBar(x: number, y: number): string {
  const stops = Array.from(
    {length: 11},
    (_, i) => `<stop offset="${i / 10}" stop-color="${cssColor("viridis", 1 - i / 10)}"/>`
  );
  return [
    `<defs><linearGradient id="lab" x1="0" y1="0" x2="0" y2="1">${stops.join("")}</linearGradient></defs>`,
    `<rect x="${x}" y="${y}" width="14" height="${TILE}" fill="url(#lab)" stroke="#999" stroke-width="0.5"/>`,
    text(x + 20, y + 10, "most", {size: 11, fill: "#333"}),
    text(x + 20, y + TILE, "none", {size: 11, fill: "#333"})
  ].join("");
}

/** The maps side by side, one shared colour bar (0 to 1), and one explanation line per method. */
export function labMapsSvg(o: LabMapsOptions): string {
  const pad = 20;
  const gap = 28;
  const head = 50 + 16 * o.subtitle.length;
  const columns = o.columns ?? 5;
  const rows = Math.ceil(o.tiles.length / columns);
  const rowH = TILE + 44;
  const barX = pad + columns * (TILE + gap) + 4;
  // DejaVu Sans at 12 px averages about 6.8 px a character.
  const longest = Math.max(0, ...o.legend.map((l) => l.text.length), ...o.subtitle.map((l) => l.length));
  const width = Math.max(barX + 60, pad + 170 + Math.ceil(longest * 6.8));
  const legendTop = head + rows * rowH + 12;
  const height = legendTop + o.legend.length * 20 + pad;
  const parts = [svgOpen(width, height)];
  parts.push(text(pad, 28, o.title, {size: 18, weight: "bold"}));
  o.subtitle.forEach((line, i) => parts.push(text(pad, 48 + 16 * i, line, {size: 12, fill: "#555"})));
  o.tiles.forEach((tile, i) => {
    const x = pad + (i % columns) * (TILE + gap);
    const y = head + Math.floor(i / columns) * rowH;
    parts.push(
      `<image x="${x}" y="${y}" width="${TILE}" height="${TILE}" href="${tile.imageUri}" xlink:href="${tile.imageUri}" style="image-rendering:pixelated"/>`
    );
    parts.push(text(x, y + TILE + 16, tile.title, {size: 13, weight: "bold"}));
    parts.push(text(x, y + TILE + 32, tile.note, {size: 11, fill: "#555"}));
  });
  if (o.colourBar !== false) parts.push(colourBar(barX, head));
  o.legend.forEach((line, i) => {
    const y = legendTop + i * 20 + 12;
    parts.push(text(pad, y, `${line.title}:`, {size: 12, weight: "bold"}));
    parts.push(text(pad + 170, y, line.text, {size: 12, fill: "#333"}));
  });
  parts.push("</svg>");
  return parts.join("");
}

/** Colours of the curves, one per method (Tableau 10), and the random reference in grey. */
const CURVE_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];

export interface CurveSeries {
  name: string;
  deletion: Curve;
  insertion: Curve;
  /** Drawn dashed and grey (the random-order reference). */
  reference?: boolean;
}

function curvePanel(
  x0: number,
  y0: number,
  w: number,
  h: number,
  title: string,
  series: {s: CurveSeries; curve: Curve; colour: string}[]
): string {
  const parts = [text(x0 + w / 2, y0 - 10, title, {size: 14, weight: "bold", anchor: "middle"})];
  parts.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#fafafa" stroke="#bbb"/>`);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const y = round(y0 + h - t * h);
    const x = round(x0 + t * w);
    parts.push(`<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="#e4e4e4"/>`);
    parts.push(text(x0 - 6, y, t.toFixed(2), {size: 11, anchor: "end", baseline: "central", fill: "#444"}));
    parts.push(text(x, y0 + h + 16, `${t * 100}%`, {size: 11, anchor: "middle", fill: "#444"}));
  }
  parts.push(
    text(x0 + w / 2, y0 + h + 34, "pixels removed / inserted, in the map's order", {size: 12, anchor: "middle"})
  );
  parts.push(text(x0 - 40, y0 + h / 2, "class probability", {size: 12, anchor: "middle", rotate: -90}));
  for (const {s, curve, colour} of series) {
    const points = Array.from(
      curve.fractions,
      (f, i) => `${round(x0 + f * w)},${round(y0 + h - curve.probabilities[i] * h)}`
    );
    const dash = s.reference ? ` stroke-dasharray="5 4"` : "";
    parts.push(
      `<polyline points="${points.join(" ")}" fill="none" stroke="${colour}" stroke-width="${s.reference ? 1.5 : 2}"${dash}/>`
    );
  }
  return parts.join("");
}

/** Each series with its colour: the methods in Tableau 10 order, the random reference grey. */
export function seriesColours(series: CurveSeries[]): {s: CurveSeries; colour: string}[] {
  return series.map((s, i) => ({s, colour: s.reference ? "#888" : CURVE_COLOURS[i % CURVE_COLOURS.length]}));
}

/** One panel, deletion or insertion, as a small chart of its own (`w` × `h` plot area; the web app's). */
export function curveChartSvg(kind: "deletion" | "insertion", series: CurveSeries[], w = 300, h = 180): string {
  const left = 58;
  const top = 30;
  const title = kind === "deletion" ? "Deletion (lower is better)" : "Insertion (higher is better)";
  const coloured = seriesColours(series).map((c) => ({...c, curve: c.s[kind]}));
  return `${svgOpen(left + w + 24, top + h + 44)}${curvePanel(left, top, w, h, title, coloured)}</svg>`;
}

/** Deletion and insertion curves side by side, with a legend giving each map's two areas. */
export function faithfulnessSvg(title: string, series: CurveSeries[]): string {
  const pad = 20;
  const w = 360;
  const h = 240;
  const left = pad + 60;
  const top = 80;
  const legendX = left + 2 * w + 110;
  const width = legendX + 300;
  const height = Math.max(top + h + 60, top + 40 + series.length * 22) + pad;
  const coloured = seriesColours(series);
  const parts = [svgOpen(width, height)];
  parts.push(text(pad, 28, title, {size: 18, weight: "bold"}));
  parts.push(
    text(
      pad,
      48,
      "Deletion: lower area = the map found what the network needs. Insertion: higher area = it found what suffices.",
      {size: 12, fill: "#555"}
    )
  );
  parts.push(
    curvePanel(
      left,
      top,
      w,
      h,
      "Deletion (lower is better)",
      coloured.map((c) => ({...c, curve: c.s.deletion}))
    )
  );
  parts.push(
    curvePanel(
      left + w + 80,
      top,
      w,
      h,
      "Insertion (higher is better)",
      coloured.map((c) => ({...c, curve: c.s.insertion}))
    )
  );
  parts.push(text(legendX, top - 10, "area: deletion / insertion", {size: 12, weight: "bold"}));
  coloured.forEach(({s, colour}, i) => {
    const y = top + 12 + i * 22;
    const dash = s.reference ? ` stroke-dasharray="5 4"` : "";
    parts.push(
      `<line x1="${legendX}" y1="${y}" x2="${legendX + 24}" y2="${y}" stroke="${colour}" stroke-width="3"${dash}/>`
    );
    parts.push(
      text(legendX + 32, y, `${s.name}: ${s.deletion.area.toFixed(3)} / ${s.insertion.area.toFixed(3)}`, {
        size: 12,
        baseline: "central"
      })
    );
  });
  parts.push("</svg>");
  return parts.join("");
}
