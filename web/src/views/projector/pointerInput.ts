/**
 * Mouse and keyboard on the scatter, beyond OrbitControls' pan/zoom/orbit: click selects the
 * nearest point, hovering names it, shift-drag draws a lasso, double-click opens a point, +/- zoom, Enter opens the
 * selection, C centres on it, Escape clears it.
 */
import type {ProjectorScene} from "./scene.js";
import {nearestPoint, pointsInPolygon} from "./screenGeometry.js";

export interface PointerActions {
  select(indices: number[], additive: boolean): void;
  open(index: number): void;
  openSelection(): void;
  /** Centres the view on the selection (key C). */
  centreSelection(): void;
  clearSelection(): void;
  /** One line about a point, for the hover tooltip. */
  describe(index: number): string;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Wires the stage (its listeners go with its elements); the returned function cancels a pending hover frame. */
export function attachPointerInput(stage: HTMLElement, scene: ProjectorScene, actions: PointerActions): () => void {
  const screen = new Float32Array(scene.count * 2);
  const overlay = document.createElementNS(SVG_NS, "svg");
  overlay.setAttribute("class", "lasso-overlay");
  overlay.setAttribute("aria-hidden", "true");
  const outline = document.createElementNS(SVG_NS, "polygon");
  overlay.append(outline);
  stage.append(overlay);
  // Mouse users' preview; keyboard and screen-reader users get the same text from the selection.
  const tooltip = document.createElement("div");
  tooltip.className = "point-tooltip";
  tooltip.hidden = true;
  tooltip.setAttribute("aria-hidden", "true");
  stage.append(tooltip);
  let hoverFrame = 0;
  let hoverX = 0;
  let hoverY = 0;
  const hover = () => {
    hoverFrame = 0;
    scene.projectAll(screen);
    const i = nearestPoint(screen, scene.count, hoverX, hoverY, Math.max(8, scene.pointPixels() * 0.6));
    tooltip.hidden = i < 0;
    if (i < 0) return;
    tooltip.textContent = actions.describe(i);
    // Beside the cursor, kept inside the plot.
    const right = hoverX + 14 + tooltip.offsetWidth > stage.clientWidth;
    tooltip.style.left = `${right ? hoverX - 14 - tooltip.offsetWidth : hoverX + 14}px`;
    tooltip.style.top = `${Math.max(4, hoverY - 30)}px`;
  };

  let lasso: number[] | undefined;
  let down: {x: number; y: number; t: number} | undefined;

  const local = (event: MouseEvent): [number, number] => {
    const rect = scene.canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  const pick = (event: MouseEvent): number => {
    const [x, y] = local(event);
    scene.projectAll(screen);
    return nearestPoint(screen, scene.count, x, y, Math.max(8, scene.pointPixels() * 0.6));
  };

  // Capture phase: runs before OrbitControls' own listener on the canvas, so a lasso never pans.
  stage.addEventListener(
    "pointerdown",
    (event) => {
      // Only on the plot itself: the zoom buttons over it are buttons, not places to pick.
      if (event.button !== 0 || event.target !== scene.canvas) return;
      if (event.shiftKey) {
        event.stopPropagation();
        event.preventDefault();
        scene.setControlsEnabled(false);
        stage.setPointerCapture(event.pointerId);
        lasso = local(event);
        outline.setAttribute("points", "");
        return;
      }
      down = {x: event.clientX, y: event.clientY, t: performance.now()};
    },
    {capture: true}
  );
  stage.addEventListener("pointermove", (event) => {
    if (!lasso) {
      // Only while no button is down: dragging pans, and the tooltip would trail behind.
      if (event.buttons !== 0 || event.target !== scene.canvas) {
        tooltip.hidden = true;
        return;
      }
      const rect = scene.canvas.getBoundingClientRect();
      hoverX = event.clientX - rect.left;
      hoverY = event.clientY - rect.top;
      hoverFrame ||= requestAnimationFrame(hover);
      return;
    }
    lasso.push(...local(event));
    outline.setAttribute("points", lasso.join(" "));
  });
  stage.addEventListener("pointerleave", () => {
    cancelAnimationFrame(hoverFrame);
    hoverFrame = 0;
    tooltip.hidden = true;
  });
  const endLasso = (event: PointerEvent) => {
    if (!lasso) return;
    const polygon = lasso;
    lasso = undefined;
    outline.setAttribute("points", "");
    scene.setControlsEnabled(true);
    if (stage.hasPointerCapture(event.pointerId)) stage.releasePointerCapture(event.pointerId);
    scene.projectAll(screen);
    const inside = pointsInPolygon(screen, scene.count, polygon);
    if (inside.length > 0) actions.select(inside, event.ctrlKey || event.metaKey);
  };
  stage.addEventListener("pointerup", (event) => {
    if (lasso) return endLasso(event);
    const start = down;
    down = undefined;
    if (!start || event.button !== 0) return;
    const moved = Math.hypot(event.clientX - start.x, event.clientY - start.y);
    if (moved > 4 || performance.now() - start.t > 600) return;
    const i = pick(event);
    if (i >= 0) actions.select([i], event.ctrlKey || event.metaKey);
  });
  stage.addEventListener("pointercancel", (event) => endLasso(event));
  scene.canvas.addEventListener("dblclick", (event) => {
    const i = pick(event);
    if (i >= 0) actions.open(i);
  });
  scene.canvas.addEventListener("keydown", (event) => {
    switch (event.key) {
      case "+":
      case "=":
        scene.zoom(1.25);
        break;
      case "-":
      case "_":
        scene.zoom(1 / 1.25);
        break;
      case "c":
      case "C":
        actions.centreSelection();
        break;
      case "Enter":
        actions.openSelection();
        break;
      case "Escape":
        actions.clearSelection();
        break;
      default:
        return;
    }
    event.preventDefault();
  });
  return () => cancelAnimationFrame(hoverFrame);
}
