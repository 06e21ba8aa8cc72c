/**
 * Pictures of a layer's weights for the web app's Model view: value statistics, a histogram (as
 * SVG), and convolution kernels as a grid of small tiles in a diverging colour map (blue below
 * zero, white at zero, red above), so the sign of each weight is visible. Isomorphic.
 */
import {createRaster, type Raster} from "../image/raster.js";
import type {Rgb} from "./colormap.js";
import {escapeXml, FONT, formatTick, niceTicks, round} from "./svg.js";

export interface WeightStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
}

/** Count, range, mean and standard deviation of `values` (zeros for an empty input). */
export function weightStats(values: ArrayLike<number>): WeightStats {
  const n = values.length;
  if (n === 0) return {count: 0, min: 0, max: 0, mean: 0, std: 0};
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  return {count: n, min, max, mean, std: Math.sqrt(squares / n)};
}

export interface Histogram {
  /** Left edge of the first bin and right edge of the last. */
  min: number;
  max: number;
  binWidth: number;
  counts: number[];
}

/** `bins` equal-width bins over the values' range; the maximum falls into the last bin. */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  const {min, max} = weightStats(values);
  const counts = new Array<number>(bins).fill(0);
  const width = max > min ? (max - min) / bins : 1;
  for (let i = 0; i < values.length; i++) {
    counts[Math.min(bins - 1, Math.floor((values[i] - min) / width))]++;
  }
  return {min, max: max > min ? max : min + width * bins, binWidth: width, counts};
}

/** Short number formatting for labels (3 significant digits). */
export function formatWeight(v: number): string {
  if (v === 0) return "0";
  return Math.abs(v) >= 1000 || Math.abs(v) < 0.001 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/** One sentence describing the values, the text alternative of every weight picture. */
export function describeWeights(name: string, shape: number[], s: WeightStats): string {
  return (
    `${name}: ${s.count} values, shape [${shape.join(", ")}], from ${formatWeight(s.min)} to ${formatWeight(s.max)}, ` +
    `mean ${formatWeight(s.mean)}, standard deviation ${formatWeight(s.std)}`
  );
}

/** About two bins per square root of the count, from 5 to 40: enough detail without empty gaps. */
export function binCount(count: number): number {
  return Math.max(5, Math.min(40, Math.round(2 * Math.sqrt(count))));
}

/** A histogram of `values` as a bar chart with value and count axes. */
export function histogramSvg(values: ArrayLike<number>, title: string, bins = binCount(values.length)): string {
  const h = histogram(values, bins);
  const width = 420;
  const height = 200;
  const left = 48;
  const right = 24; // room for the last tick label
  const top = 28;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const peak = Math.max(1, ...h.counts);
  const x = (v: number) => left + ((v - h.min) / (h.max - h.min)) * plotW;
  const y = (c: number) => top + plotH - (c / peak) * plotH;
  const bars = h.counts.map((c, i) => {
    const x0 = x(h.min + i * h.binWidth);
    const x1 = x(h.min + (i + 1) * h.binWidth);
    return `<rect x="${round(x0)}" y="${round(y(c))}" width="${round(Math.max(0.5, x1 - x0 - 1))}" height="${round(top + plotH - y(c))}" fill="#4c78a8"/>`;
  });
  const xTicks = niceTicks(h.min, h.max, 5).filter((t) => t >= h.min && t <= h.max);
  const xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
  const yTicks = niceTicks(0, peak, 3).filter((t) => Number.isInteger(t));
  const label = (tx: number, ty: number, s: string, anchor: string) =>
    `<text x="${round(tx)}" y="${round(ty)}" font-size="11" text-anchor="${anchor}" fill="#444" ${FONT}>${escapeXml(s)}</text>`;
  const axes = [
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#888"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#888"/>`,
    ...xTicks.map((t) => label(x(t), top + plotH + 14, formatTick(t, xStep), "middle")),
    ...yTicks.map((t) => label(left - 5, y(t) + 4, String(t), "end")),
    label(left + plotW / 2, height - 4, "weight value", "middle")
  ];
  if (h.min < 0 && h.max > 0) {
    axes.push(
      `<line x1="${round(x(0))}" y1="${top}" x2="${round(x(0))}" y2="${top + plotH}" stroke="#d62728" stroke-dasharray="3 3"/>`
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold" fill="#222" ${FONT}>${escapeXml(title)}</text>`,
    ...bars,
    ...axes,
    `</svg>`
  ].join("");
}

const NEGATIVE: Rgb = [33, 102, 172];
const ZERO: Rgb = [247, 247, 247];
const POSITIVE: Rgb = [178, 24, 43];

/** Diverging colour of `v` on a scale symmetric about zero: -limit blue, 0 white, +limit red. */
export function divergingColor(v: number, limit: number): Rgb {
  const t = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0;
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const f = Math.abs(t);
  return [0, 1, 2].map((k) => Math.round(ZERO[k] + (end[k] - ZERO[k]) * f)) as Rgb;
}

/**
 * Each output filter's kernel ([kh, kw, in, out] weights, TF's layout) as a kh×kw tile: one input
 * channel's slice, or the mean over input channels when `channel` is "mean".
 */
export function kernelTiles(values: ArrayLike<number>, shape: number[], channel: number | "mean"): Float32Array[] {
  const [kh, kw, cin, cout] = shape;
  if (channel !== "mean" && (channel < 0 || channel >= cin)) {
    throw new RangeError(`input channel ${channel} is not in 0..${cin - 1}`);
  }
  return Array.from({length: cout}, (_, o) => {
    const tile = new Float32Array(kh * kw);
    for (let p = 0; p < kh * kw; p++) {
      const base = p * cin * cout + o;
      if (channel === "mean") {
        let s = 0;
        for (let c = 0; c < cin; c++) s += values[base + c * cout];
        tile[p] = s / cin;
      } else {
        tile[p] = values[base + channel * cout];
      }
    }
    return tile;
  });
}

const GAP_GREY = 160;

export interface KernelGrid {
  raster: Raster;
  columns: number;
  rows: number;
  /** The colour scale runs from -limit to +limit (the largest absolute value). */
  limit: number;
}

/** Lays the tiles out in a near-square grid, `cell` pixels per weight, `gap` pixels between tiles. */
export function kernelGrid(tiles: Float32Array[], kh: number, kw: number, cell = 8, gap = 3): KernelGrid {
  const columns = Math.ceil(Math.sqrt(tiles.length));
  const rows = Math.ceil(tiles.length / columns);
  let limit = 0;
  for (const tile of tiles) for (const v of tile) limit = Math.max(limit, Math.abs(v));
  // Mid-grey gaps: white ones would merge with near-zero (white) weights.
  const raster = createRaster(columns * (kw * cell + gap) - gap, rows * (kh * cell + gap) - gap, 3, GAP_GREY);
  tiles.forEach((tile, t) => {
    const ox = (t % columns) * (kw * cell + gap);
    const oy = Math.floor(t / columns) * (kh * cell + gap);
    for (let y = 0; y < kh * cell; y++) {
      for (let x = 0; x < kw * cell; x++) {
        const rgb = divergingColor(tile[Math.floor(y / cell) * kw + Math.floor(x / cell)], limit);
        raster.data.set(rgb, ((oy + y) * raster.width + ox + x) * 3);
      }
    }
  });
  return {raster, columns, rows, limit};
}
