/**
 * A drawing pad that looks like a 28×28 image: bright strokes on black, drawn with mouse, touch or
 * pen (pointer events), or from the keyboard (arrow keys move a pen shown as a ring, Space lowers
 * or lifts it, Delete clears). Changes are reported at most once per animation frame.
 */
import {h} from "../../../ui/dom.js";

const SIZE = 280;
const BRUSH = 20;
/** One keyboard step: one pixel of the 28×28 image (Shift: three). */
const KEY_STEP = SIZE / 28;
const KEY_MOVES: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1]
};

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
    tabindex: 0,
    role: "application",
    "aria-roledescription": "drawing pad",
    "aria-label":
      "Drawing pad: draw a garment with the mouse, a finger or a pen, or with the keyboard: " +
      "arrow keys move the pen (Shift: faster), Space lowers or lifts it, Delete clears"
  });
  const ring = h("div", {class: "draw-cursor", "aria-hidden": "true"});
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

  // Keyboard drawing: a pen position of its own, shown by a ring over the canvas (never drawn into it).
  const pen = {x: SIZE / 2, y: SIZE / 2, down: false};
  const placeRing = () => {
    ring.style.left = `${(pen.x / SIZE) * 100}%`;
    ring.style.top = `${(pen.y / SIZE) * 100}%`;
    ring.classList.toggle("down", pen.down);
  };
  canvas.addEventListener("keydown", (event) => {
    const move = KEY_MOVES[event.key];
    if (move) {
      const step = KEY_STEP * (event.shiftKey ? 3 : 1);
      pen.x = Math.min(SIZE, Math.max(0, pen.x + move[0] * step));
      pen.y = Math.min(SIZE, Math.max(0, pen.y + move[1] * step));
      if (pen.down) stroke({x: pen.x, y: pen.y});
    } else if (event.key === " ") {
      pen.down = !pen.down;
      last = undefined;
      if (pen.down) stroke({x: pen.x, y: pen.y});
    } else if (event.key === "Delete" || event.key === "Backspace") {
      clear();
      notify();
    } else {
      return;
    }
    event.preventDefault();
    placeRing();
  });
  canvas.addEventListener("blur", () => {
    pen.down = false;
    last = undefined;
    placeRing();
  });
  placeRing();
  clear();
  const clearButton = h("button", {type: "button", class: "clear-button"}, "Clear");
  clearButton.addEventListener("click", () => {
    clear();
    notify();
  });
  const element = h(
    "div",
    {class: "draw-source"},
    h("div", {class: "draw-frame"}, canvas, ring),
    h(
      "div",
      {class: "row"},
      clearButton,
      h("span", {class: "muted"}, "Predictions update while you draw. Keyboard: arrows, Space, Delete.")
    )
  );
  return {
    element,
    canvas,
    clear,
    stop: () => cancelAnimationFrame(frame)
  };
}
