/** Entry point: starts TF.js, then mounts the view the URL hash names and swaps it on every hash change. */
import "./styles.css";

import {initBackend} from "./backend.js";
import {DataError} from "./data/fetchData.js";
import {parseRoute, type ViewName} from "./router.js";
import {errorBox, h} from "./ui/dom.js";
import type {Unmount, ViewModule} from "./views/view.js";

// Each view is its own chunk: opening Classify does not load the projector's WebGL code.
const VIEWS: Record<ViewName, () => Promise<ViewModule>> = {
  classify: () => import("./views/classify/index.js"),
  projector: () => import("./views/projector/index.js"),
  dashboard: () => import("./views/dashboard/index.js"),
  model: () => import("./views/model/index.js")
};

const root = document.getElementById("view") as HTMLElement;
const status = document.getElementById("backend-status") as HTMLElement;
let unmount: Unmount | undefined;
let controller: AbortController | undefined;

/** Shows an error inside the view (with what to do, for missing data). */
export function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  root.replaceChildren(errorBox(message));
  if (error instanceof DataError) root.append(h("p", {class: "hint"}, error.hint));
}

async function render(): Promise<void> {
  const route = parseRoute(location.hash);
  controller?.abort();
  unmount?.();
  unmount = undefined;
  const current = new AbortController();
  controller = current;
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a[data-view]")) {
    if (link.dataset.view === route.view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  root.replaceChildren(h("p", {class: "loading"}, "Loading…"));
  try {
    const view = await VIEWS[route.view]();
    if (current.signal.aborted) return;
    document.title = `${view.title} · fmnist-vis`;
    root.replaceChildren();
    root.dataset.view = route.view;
    const cleanup = await view.mount(root, {params: route.params, signal: current.signal});
    if (current.signal.aborted) cleanup();
    else unmount = cleanup;
  } catch (error) {
    if (!current.signal.aborted) showError(error);
  }
}

window.addEventListener("hashchange", () => void render());
initBackend().then(
  (name) => {
    status.textContent = `TF.js ${name}`;
    document.body.dataset.backend = name;
  },
  (error: unknown) => {
    status.textContent = "TF.js failed";
    showError(error);
  }
);
void render();
