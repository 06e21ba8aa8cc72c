/** A 28×28 picture (an input, a map over it) as a captioned tile, with crisp enlarged pixels. */
import type {Raster} from "../../../../../src/core/image/raster.js";
import {h} from "../../../ui/dom.js";
import {drawRaster} from "../../../ui/raster.js";

export interface MapTile {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  /** Draws `raster` with its text alternative; `note` goes under the title (e.g. the time taken). */
  show(raster: Raster, label: string, note?: string): void;
  /** Empties the tile (a new run is under way), keeping its title. */
  reset(note?: string): void;
}

/** `explanation`: an optional plain sentence under the title; `size`: shown side in CSS pixels. */
export function mapTile(title: string, explanation?: string, size = 112): MapTile {
  const canvas = h("canvas", {width: 28, height: 28, class: "pixelated map-tile-canvas", role: "img"});
  canvas.style.width = canvas.style.height = `${size}px`;
  const note = h("span", {class: "muted small map-tile-note"});
  const element = h(
    "figure",
    {class: "map-tile"},
    canvas,
    h(
      "figcaption",
      {},
      h("strong", {}, title),
      " ",
      note,
      explanation ? h("span", {class: "small map-tile-explanation"}, explanation) : null
    )
  );
  const reset = (text = "") => {
    canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    canvas.setAttribute("aria-label", `${title}: not computed yet`);
    note.textContent = text;
    element.classList.add("pending");
  };
  reset();
  return {
    element,
    canvas,
    show(raster, label, text = "") {
      drawRaster(canvas, raster);
      canvas.setAttribute("aria-label", label);
      note.textContent = text;
      element.classList.remove("pending");
    },
    reset
  };
}
