/**
 * Colour maps for pictures: `viridis` (perceptually uniform, for feature maps and heat maps) and
 * `jet` (the classic CAM overlay). Viridis is sampled at 9 stops from matplotlib's definition
 * (van der Walt & Smith, CC0) and interpolated linearly, which keeps it visually indistinguishable.
 * Isomorphic: plain numbers in, RGB bytes out.
 */
export type Rgb = [number, number, number];
export type ColormapName = "viridis" | "jet" | "grey";

const VIRIDIS_STOPS: Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37]
];

function interpolate(stops: Rgb[], t: number): Rgb {
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f)
  ];
}

/** Jet: dark blue → blue → cyan → yellow → red → dark red (piecewise linear, as in MATLAB). */
function jet(t: number): Rgb {
  const v = Math.min(Math.max(t, 0), 1);
  const channel = (offset: number) => Math.round(255 * Math.min(Math.max(1.5 - Math.abs(4 * v - offset), 0), 1));
  return [channel(3), channel(2), channel(1)];
}

/** Maps t in [0, 1] (clamped) to a colour. */
export function colormap(name: ColormapName, t: number): Rgb {
  if (name === "jet") return jet(t);
  if (name === "grey") {
    const g = Math.round(255 * Math.min(Math.max(t, 0), 1));
    return [g, g, g];
  }
  return interpolate(VIRIDIS_STOPS, t);
}

/**
 * Colours `values` into an RGB byte buffer, scaling [min, max] to [0, 1]
 * (defaults: the values' own range; a constant input maps to 0).
 */
export function applyColormap(
  values: ArrayLike<number>,
  name: ColormapName,
  min = minOf(values),
  max = maxOf(values)
): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  const range = max - min;
  for (let i = 0; i < values.length; i++) {
    const t = range > 0 ? (values[i] - min) / range : 0;
    const [r, g, b] = colormap(name, t);
    out[3 * i] = r;
    out[3 * i + 1] = g;
    out[3 * i + 2] = b;
  }
  return out;
}

export function minOf(values: ArrayLike<number>): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < m) m = values[i];
  return m;
}

export function maxOf(values: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m;
}

/** CSS colour string for t in [0, 1]. */
export function cssColor(name: ColormapName, t: number): string {
  const [r, g, b] = colormap(name, t);
  return `rgb(${r},${g},${b})`;
}
