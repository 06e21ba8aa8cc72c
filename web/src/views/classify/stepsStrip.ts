/** The preprocessing steps, each a small picture with its title. */
import type {Raster} from "../../../../src/core/image/raster.js";
import {h} from "../../ui/dom.js";
import {rasterCanvas} from "../../ui/raster.js";

export interface Step {
  id: string;
  title: string;
  raster: Raster;
}

/** Shown at most 84 px high and 150 px wide: 28×28 rasters exactly 3× with crisp pixels, photos smoothly. */
export function stepsStrip(steps: Step[]): HTMLElement {
  const figures = steps.map((step) => {
    const canvas = rasterCanvas(step.raster, `${step.title} (${step.raster.width}×${step.raster.height})`);
    const small = Math.max(step.raster.width, step.raster.height) <= 64;
    canvas.className = small ? "pixelated" : "";
    const scale = Math.min(84 / step.raster.height, 150 / step.raster.width);
    canvas.style.height = `${Math.round(step.raster.height * scale)}px`;
    canvas.style.width = `${Math.round(step.raster.width * scale)}px`;
    return h("figure", {class: "step", "data-step": step.id}, canvas, h("figcaption", {}, step.title));
  });
  return h("ol", {class: "steps", "aria-label": "Preprocessing steps"}, ...figures.map((f) => h("li", {}, f)));
}
