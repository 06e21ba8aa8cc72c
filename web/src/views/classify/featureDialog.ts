/** One feature map enlarged in a modal dialog, with its value range and a colour bar. */
import {applyColormap, cssColor, maxOf, minOf} from "../../../../src/core/viz/colormap.js";
import {formatWeight} from "../../../../src/core/viz/weightCharts.js";
import {colourLegend} from "../../ui/colourLegend.js";
import {h} from "../../ui/dom.js";
import {drawRaster} from "../../ui/raster.js";

export interface FeatureDialog {
  element: HTMLDialogElement;
  open(title: string, values: Float32Array, width: number, height: number): void;
}

export function featureDialog(): FeatureDialog {
  const heading = h("h2", {id: "feature-dialog-title"});
  const canvas = h("canvas", {class: "pixelated feature-large", role: "img"});
  const low = h("span", {});
  const high = h("span", {});
  const stops = Array.from({length: 9}, (_, i) => cssColor("viridis", i / 8));
  const summary = h("p", {class: "small"});
  const close = h("button", {type: "button", class: "primary"}, "Close");
  const element = h(
    "dialog",
    {class: "feature-dialog", "aria-labelledby": "feature-dialog-title", "data-testid": "feature-dialog"},
    heading,
    canvas,
    colourLegend(stops, low, high),
    summary,
    close
  );
  close.addEventListener("click", () => element.close());
  element.addEventListener("click", (event) => {
    if (event.target === element) element.close(); // a click on the backdrop
  });
  return {
    element,
    open(title, values, width, height) {
      const min = minOf(values);
      const max = maxOf(values);
      heading.textContent = title;
      drawRaster(canvas, {width, height, channels: 3, data: applyColormap(values, "viridis", min, max)});
      const scale = height === 1 ? Math.max(4, Math.floor(560 / width)) : Math.max(1, Math.floor(336 / height));
      canvas.style.width = `${width * scale}px`;
      canvas.style.height = `${height === 1 ? 40 : height * scale}px`;
      low.textContent = formatWeight(min);
      high.textContent = formatWeight(max);
      const text = `${title}: ${width}×${height} values from ${formatWeight(min)} to ${formatWeight(max)}`;
      canvas.setAttribute("aria-label", text);
      summary.textContent = `${text} (colours scaled to this map's own range).`;
      element.showModal();
      close.focus();
    }
  };
}
