/**
 * Embedding projector: the 10,000 test images as a WebGL scatter (three.js) in 2-D or 3-D, by
 * PCA, t-SNE or UMAP (precomputed by `fmnist export`, or recomputed here in a Web Worker), or by
 * a custom projection between two queries' centroids. Colour, search, click/lasso selection with
 * the nearest neighbours in the embedding, and links to Classify.
 */
import "./projector.css";

import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {imageName, loadExport, type ExportData} from "../../data/exportData.js";
import {navigate} from "../../router.js";
import {h} from "../../ui/dom.js";
import type {Unmount, ViewContext} from "../view.js";
import {legend, writeColours, COLOURING_NAMES, type Colouring} from "./colouring.js";
import {renderLegend} from "./legendView.js";
import {customControls} from "./customControls.js";
import {hasLayout, layoutChecksum, normaliseLayout, precomputedLayout, type Dim, type Method} from "./layouts.js";
import {attachPointerInput} from "./pointerInput.js";
import {runQuery} from "./queries.js";
import {recomputeControls} from "./recomputeControls.js";
import {ProjectorScene} from "./scene.js";
import {describePoint, renderSelection} from "./selectionPanel.js";
import {projectorSummary} from "./summary.js";
import {testHooksWanted} from "./testHook.js";
import {viewSwitch} from "./viewSwitch.js";

export const title = "Embedding projector";

interface State {
  method: Method;
  dim: Dim;
  colouring: Colouring;
  selection: number[];
  /** Search matches as a mask, or undefined when no search is active. */
  matches?: Uint8Array;
  k: number;
}

function methodAvailable(data: ExportData, method: Method, dim: Dim, customReady: boolean): boolean {
  if (method === "custom") return dim === 2 && customReady;
  return hasLayout(data.projections, method, dim);
}

export async function mount(root: HTMLElement, context: ViewContext): Promise<Unmount> {
  root.append(h("h1", {}, title), h("p", {class: "loading"}, "Loading the images…"));
  const data = await loadExport();
  if (context.signal.aborted) return () => {};
  root.replaceChildren();

  const layouts = new Map<string, {positions: Float32Array; recomputed: boolean}>();
  let customDescription = "";
  const state: State = {
    method: (["umap", "tsne", "pca"] as const).find((m) => hasLayout(data.projections, m, 2)) ?? "pca",
    dim: 2,
    colouring: "label",
    selection: [],
    k: 10
  };

  // Elements
  const stage = h("div", {class: "projector-stage", "data-point-count": data.count});
  const axisX = h("div", {class: "axis-label axis-x", hidden: true});
  const axisY = h("div", {class: "axis-label axis-y", hidden: true});
  const summary = h("p", {class: "visually-hidden", id: "projector-summary"});
  const live = h("p", {class: "visually-hidden", "aria-live": "polite"});
  const panel = h("aside", {class: "panel projector-panel", "aria-label": "Selection"});
  const legendBox = h("ul", {class: "legend", "aria-label": "Colour legend"});
  const searchInput = h("input", {
    type: "search",
    id: "projector-search",
    placeholder: "Sneaker, wrong, predicted:Shirt, 42",
    autocomplete: "off"
  });
  const searchStatus = h("span", {class: "search-status muted", "aria-live": "polite"});

  const scene = new ProjectorScene(stage, data.count, data.sprite);
  scene.canvas.setAttribute("aria-label", "Scatter plot of the test images; described below the plot");
  scene.canvas.setAttribute("aria-describedby", "projector-summary");
  stage.append(axisX, axisY);

  const key = (method: Method, dim: Dim) => `${method}-${dim}`;
  const currentLayout = () => layouts.get(key(state.method, state.dim));

  /** Shows the current method and dimension; `animate` moves the points there instead of jumping. */
  const applyLayout = (animate = false) => {
    let entry = currentLayout();
    if (!entry && state.method !== "custom") {
      entry = {positions: precomputedLayout(data.projections, state.method, state.dim), recomputed: false};
      layouts.set(key(state.method, state.dim), entry);
    }
    if (!entry) return;
    scene.setDim(state.dim);
    scene.setPositions(entry.positions, animate);
    stage.dataset.method = state.method;
    stage.dataset.dim = String(state.dim);
    stage.dataset.checksum = layoutChecksum(entry.positions);
    const custom = state.method === "custom";
    axisX.hidden = axisY.hidden = !custom;
    summary.textContent = projectorSummary(
      data,
      {method: state.method, dim: state.dim, recomputed: entry.recomputed, customAxes: customDescription},
      CLASS_NAMES
    );
    refreshButtons();
    recompute.refresh(state.method, state.dim);
  };

  const applyStates = () => {
    const states = scene.stateArray;
    for (let i = 0; i < data.count; i++) states[i] = state.matches ? (state.matches[i] ? 2 : 1) : 0;
    for (const i of state.selection) states[i] = 3;
    scene.statesChanged();
    stage.dataset.selected = state.selection.slice(0, 50).join(",");
    stage.dataset.selectedCount = String(state.selection.length);
  };

  const applyColours = () => {
    writeColours(state.colouring, data, scene.colourArray);
    scene.coloursChanged();
    renderLegend(legendBox, legend(state.colouring, data, CLASS_NAMES), (query) => {
      searchInput.value = query;
      runSearch();
    });
  };

  const select = (indices: number[], additive = false) => {
    const next = additive ? [...new Set([...state.selection, ...indices])] : indices;
    state.selection = next;
    applyStates();
    renderSelection(panel, data, next, state.k, CLASS_NAMES, {select: (i) => select([i])});
    live.textContent =
      next.length === 0
        ? "Selection cleared."
        : next.length === 1
          ? `Selected ${imageName(data, next[0])}: ${describePoint(data, next[0], CLASS_NAMES)}.`
          : `Selected ${next.length} images.`;
  };

  const runSearch = () => {
    const text = searchInput.value;
    if (!text.trim()) {
      state.matches = undefined;
      searchStatus.textContent = "";
      searchInput.removeAttribute("aria-invalid");
    } else {
      try {
        const result = runQuery(text, data, CLASS_NAMES);
        state.matches = new Uint8Array(data.count);
        for (const i of result.indices) state.matches[i] = 1;
        searchStatus.textContent = `${result.indices.length.toLocaleString("en")} ${result.description}`;
        searchInput.removeAttribute("aria-invalid");
        if (result.indices.length === 1) select(result.indices);
      } catch (error) {
        state.matches = undefined;
        searchStatus.textContent = (error as Error).message;
        searchInput.setAttribute("aria-invalid", "true");
      }
    }
    stage.dataset.matchCount = String(state.matches ? state.matches.reduce((a, b) => a + b, 0) : 0);
    applyStates();
  };

  const available = (method: Method, dim: Dim) => methodAvailable(data, method, dim, layouts.has(key("custom", 2)));
  const setView = (method: Method, dim: Dim) => {
    if (!available(method, dim)) return;
    const changed = method !== state.method || dim !== state.dim;
    state.method = method;
    state.dim = dim;
    applyLayout(changed);
  };
  const switcher = viewSwitch((method, dim) =>
    method ? setView(method, method === "custom" ? 2 : state.dim) : setView(state.method, dim ?? state.dim)
  );
  const refreshButtons = () => switcher.refresh(state.method, state.dim, available);

  const recompute = recomputeControls(data, {
    live: (method, dim, layout) => {
      if (state.method !== method || state.dim !== dim) return;
      const positions = normaliseLayout(layout, dim, data.count);
      scene.setPositions(positions);
      stage.dataset.checksum = layoutChecksum(positions);
    },
    done: (method, dim, layout) => {
      layouts.set(key(method, dim), {positions: normaliseLayout(layout, dim, data.count), recomputed: true});
      if (state.method === method && state.dim === dim) applyLayout(true);
    },
    cancelled: () => applyLayout(true)
  });

  const custom = customControls(data, CLASS_NAMES, (layout, description, xName, yName) => {
    layouts.set(key("custom", 2), {positions: normaliseLayout(layout, 2, data.count), recomputed: false});
    customDescription = description;
    axisX.textContent = xName;
    axisY.textContent = yName;
    setView("custom", 2);
  });

  // Toolbar
  const colourSelect = h(
    "select",
    {
      id: "projector-colour",
      onchange: () => {
        state.colouring = colourSelect.value as Colouring;
        applyColours();
      }
    },
    ...(Object.keys(COLOURING_NAMES) as Colouring[]).map((c) => h("option", {value: c}, COLOURING_NAMES[c]))
  );
  const kSelect = h(
    "select",
    {
      id: "projector-k",
      onchange: () => {
        state.k = Number(kSelect.value);
        select(state.selection);
      }
    },
    ...[5, 10, 20, 50].map((k) => h("option", {value: k, selected: k === state.k}, String(k)))
  );
  searchInput.addEventListener("input", () => runSearch());

  const toolbar = h(
    "div",
    {class: "projector-toolbar"},
    switcher.methods,
    switcher.dims,
    h("label", {for: "projector-colour"}, "Colour by ", colourSelect),
    h("label", {for: "projector-search"}, "Search ", searchInput),
    searchStatus
  );
  const viewButtons = h(
    "div",
    {class: "view-buttons"},
    h("button", {type: "button", "aria-label": "Zoom in", onclick: () => scene.zoom(1.5)}, "+"),
    h("button", {type: "button", "aria-label": "Zoom out", onclick: () => scene.zoom(1 / 1.5)}, "−"),
    h("button", {type: "button", onclick: () => scene.resetView()}, "Reset view")
  );
  stage.append(viewButtons);

  root.append(
    h(
      "div",
      {class: "projector"},
      h("h1", {}, title),
      toolbar,
      h(
        "div",
        {class: "projector-main"},
        h(
          "div",
          {class: "projector-left"},
          stage,
          h(
            "p",
            {class: "muted projector-help"},
            "Drag to pan (3-D: to orbit; right-drag pans), wheel to zoom, shift-drag to lasso, click to select, double-click to open in Classify. Keyboard on the plot: arrows pan, + and − zoom, C centres on the selection, Enter opens it, Escape clears it. Zoom in to see the images."
          ),
          legendBox,
          recompute.element,
          custom.element,
          summary,
          live
        ),
        h("div", {class: "projector-side"}, panel, h("label", {for: "projector-k"}, "Neighbours shown: ", kSelect))
      )
    )
  );

  const detachPointer = attachPointerInput(stage, scene, {
    select: (indices, additive) => select(indices, additive),
    open: (i) => navigate("classify", {test: i}),
    openSelection: () => {
      if (state.selection.length > 0) navigate("classify", {test: state.selection[0]});
    },
    centreSelection: () => {
      if (state.selection.length > 0) scene.centreOn(state.selection[0]);
    },
    clearSelection: () => select([]),
    describe: (i) => `Test image ${i}: ${describePoint(data, i, CLASS_NAMES)}`
  });

  applyColours();
  applyLayout();
  select([]);
  live.textContent = "";

  if (testHooksWanted()) {
    window.__projector = {
      screenPosition: (i) => {
        const rect = scene.canvas.getBoundingClientRect();
        const p = scene.screenPosition(i);
        return {x: rect.left + p.x, y: rect.top + p.y};
      },
      renders: () => scene.renders
    };
  }

  return () => {
    recompute.stop();
    detachPointer();
    scene.dispose();
    delete window.__projector;
  };
}
