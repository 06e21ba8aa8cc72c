/** Entry point: starts TF.js, then mounts the view the URL hash names and swaps it on every hash change. */
import "./styles.css";

import {initBackend} from "./backend.js";
import {DataError} from "./data/fetchData.js";
import {isShown, markShown, parseRoute, type ViewName} from "./router.js";
import {errorBox, h} from "./ui/dom.js";
import {REMOUNT_EVENT, type MountedView, type ViewModule} from "./views/view.js";

// Each view is its own chunk: opening Classify does not load the projector's WebGL code.
const VIEWS: Record<ViewName, () => Promise<ViewModule>> = {
  classify: () => import("./views/classify/index.js"),
  projector: () => import("./views/projector/index.js"),
  dashboard: () => import("./views/dashboard/index.js"),
  model: () => import("./views/model/index.js")
};

const root = document.getElementById("view") as HTMLElement;
const status = document.getElementById("backend-status") as HTMLElement;
let mounted: (MountedView & {view: ViewName}) | undefined;
let controller: AbortController | undefined;

/** Shows an error inside the view (with what to do, for missing data). */
export function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  root.replaceChildren(errorBox(message));
  if (error instanceof DataError) root.append(h("p", {class: "hint"}, error.hint));
}

/** Shows the view the hash names; `fresh` mounts it anew even when it could update in place. */
async function render(fresh = false): Promise<void> {
  const route = parseRoute(location.hash);
  markShown();
  // Back or Forward within a view: it shows the entry's parameters in place when it can.
  if (!fresh && mounted?.view === route.view && mounted.update(route.params)) return;
  controller?.abort();
  mounted?.unmount();
  mounted = undefined;
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
    const result = await view.mount(root, {params: route.params, signal: current.signal});
    const done = typeof result === "function" ? {unmount: result, update: () => false} : result;
    if (current.signal.aborted) done.unmount();
    else mounted = {...done, view: route.view};
  } catch (error) {
    if (!current.signal.aborted) showError(error);
  }
}

// A view that wrote its own state into the URL already shows it: only other changes render.
window.addEventListener("hashchange", () => {
  if (!isShown()) void render();
});
window.addEventListener(REMOUNT_EVENT, () => void render(true));
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
