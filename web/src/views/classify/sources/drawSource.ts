/**
 * A drawing pad that looks like a 28×28 image: bright strokes on black, drawn with mouse, touch or
 * pen (pointer events). Changes are reported at most once per animation frame.
 */
import {h} from "../../../ui/dom.js";

const SIZE = 280;
const BRUSH = 20;

export interface DrawSource {
  element: HTMLElement;
  canvas: HTMLCanvasElement;
  clear(): void;
  stop(): void;
}

export function drawSource(onChange: (canvas: HTMLCanvasElement) => void): DrawSource {
  const canvas = h("canvas", {
    width: SIZE,
    height: SIZE,
    class: "draw-pad",
    "data-testid": "draw-pad",
    role: "img",
    "aria-label": "Drawing pad: draw a garment with the mouse, a finger or a pen"
  });
  const context = canvas.getContext("2d", {willReadFrequently: true});
  let frame = 0;
  let last: {x: number; y: number} | undefined;
  const notify = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      onChange(canvas);
    });
  };
  const point = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return {x: ((event.clientX - rect.left) / rect.width) * SIZE, y: ((event.clientY - rect.top) / rect.height) * SIZE};
  };
  const stroke = (to: {x: number; y: number}) => {
    if (!context) return;
    const from = last ?? to;
    context.strokeStyle = "#ffffff";
    context.lineWidth = BRUSH;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    last = to;
    notify();
  };
  const clear = () => {
    if (!context) return;
    context.fillStyle = "#000000";
    context.fillRect(0, 0, SIZE, SIZE);
  };
  canvas.addEventListener("pointerdown", (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = undefined;
    stroke(point(event));
  });
  canvas.addEventListener("pointermove", (event) => {
    if (canvas.hasPointerCapture(event.pointerId)) stroke(point(event));
  });
  const end = () => (last = undefined);
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  clear();
  const clearButton = h("button", {type: "button", class: "clear-button"}, "Clear");
  clearButton.addEventListener("click", () => {
    clear();
    notify();
  });
  const element = h(
    "div",
    {class: "draw-source"},
    canvas,
    h("div", {class: "row"}, clearButton, h("span", {class: "muted"}, "Predictions update while you draw."))
  );
  return {
    element,
    canvas,
    clear,
    stop: () => cancelAnimationFrame(frame)
  };
}
