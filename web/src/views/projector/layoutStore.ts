/**
 * The layouts the projector can show: the export's (read when first shown), the ones recomputed in
 * the worker, and the custom projection. Each keeps the positions drawn (normalised to the unit
 * ball) and its own coordinates (for the CSV download).
 */
import type {ExportData} from "../../data/exportData.js";
import {hasLayout, normaliseLayout, type Dim, type Method} from "./layouts.js";

export interface LayoutEntry {
  /** count × 3, centred and scaled to the unit ball (z = 0 in 2-D). */
  positions: Float32Array;
  /** count × dim, the layout's own coordinates (the export's numbers, or as computed here). */
  coords: Float64Array;
  dim: Dim;
  /** Computed in this browser, not taken from the export. */
  recomputed: boolean;
}

export class LayoutStore {
  private readonly entries = new Map<string, LayoutEntry>();

  constructor(private readonly data: ExportData) {}

  /** Whether `method` can be shown in `dim` dimensions now (custom: once it has been projected). */
  available(method: Method, dim: Dim): boolean {
    if (method === "custom") return dim === 2 && this.entries.has(key("custom", 2));
    return hasLayout(this.data.projections, method, dim);
  }

  /** The layout of `method` in `dim` dimensions, or undefined when there is none. */
  get(method: Method, dim: Dim): LayoutEntry | undefined {
    const found = this.entries.get(key(method, dim));
    if (found || method === "custom" || !this.available(method, dim)) return found;
    const rows = this.data.projections.projections[method]?.[dim === 2 ? "2d" : "3d"] ?? [];
    const coords = new Float64Array(this.data.count * dim);
    rows.forEach((row, i) => {
      for (let d = 0; d < dim; d++) coords[i * dim + d] = row[d];
    });
    return this.set(method, dim, coords, false);
  }

  /** Stores a layout given as count × dim coordinates (row-major) and returns its entry. */
  set(method: Method, dim: Dim, coords: ArrayLike<number>, recomputed: boolean): LayoutEntry {
    const entry = {
      positions: normaliseLayout(coords, dim, this.data.count),
      coords: Float64Array.from(coords),
      dim,
      recomputed
    };
    this.entries.set(key(method, dim), entry);
    return entry;
  }
}

function key(method: Method, dim: Dim): string {
  return `${method}-${dim}`;
}
