/**
 * Small helpers shared by the SVG chart builders: text escaping, the font stack, axis ticks and
 * number formatting. Charts are plain SVG strings, so the CLI rasterises them with sharp and the
 * web app can put them in a page as they are. Isomorphic.
 */

/** Font attributes for every text element (DejaVu Sans is what librsvg finds on Debian). */
export const FONT = `font-family="DejaVu Sans, Helvetica, Arial, sans-serif"`;

/** Escapes text for SVG and HTML. */
export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;"})[c] ?? c
  );
}

/** Opening tag of a standalone SVG document with a white background. */
export function svgOpen(width: number, height: number): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>`
  );
}

/** Options of {@link text}. */
export interface TextOptions {
  size?: number;
  anchor?: "start" | "middle" | "end";
  fill?: string;
  weight?: "normal" | "bold";
  /** Rotation in degrees about (x, y). */
  rotate?: number;
  /** `central` centres the text vertically on y (default: y is the baseline). */
  baseline?: "central";
}

/** A `<text>` element; `content` is escaped. */
export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const attrs = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    `font-size="${o.size ?? 12}"`,
    `fill="${o.fill ?? "#222"}"`,
    FONT,
    o.anchor && o.anchor !== "start" ? `text-anchor="${o.anchor}"` : "",
    o.weight === "bold" ? `font-weight="bold"` : "",
    o.baseline ? `dominant-baseline="${o.baseline}"` : "",
    o.rotate ? `transform="rotate(${o.rotate} ${round(x)} ${round(y)})"` : ""
  ].filter(Boolean);
  return `<text ${attrs.join(" ")}>${escapeXml(content)}</text>`;
}

/** Rounds to 2 decimals for compact SVG. */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * About `count` "nice" tick values (steps of 1, 2 or 5 times a power of ten) covering [min, max].
 * Returns `[min]` for an empty range.
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  // The multiple of 1, 2, 5 or 10 nearest to the raw step on a log scale (as d3's ticks do).
  const raw = (max - min) / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return ticks;
}

/** Formats a tick value with just enough decimals for `step`. */
export function formatTick(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals);
}
