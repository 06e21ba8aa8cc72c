/**
 * Embedding projector: the 10,000 test images as a WebGL scatter (three.js) in 2-D or 3-D, by
 * PCA, t-SNE or UMAP (precomputed by `fmnist export`, or recomputed here in a Web Worker), or by
 * a custom projection between two queries' centroids. Colour, search, click/lasso selection with
 * the nearest neighbours in the embedding, CSV downloads, and links to Classify. The state lives
 * in the URL (urlState.ts): Back after "Explain" returns to the same selection and view.
 */
import "./projector.css";

import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {loadExport} from "../../data/exportData.js";
import {navigate} from "../../router.js";
import {h} from "../../ui/dom.js";
import type {MountedView, ViewContext} from "../view.js";
import {legend, writeColours} from "./colouring.js";
import {downloadCsv} from "./csvDownload.js";
import {customControls, customLayout, type CustomLayout} from "./customControls.js";
import {renderLegend} from "./legendView.js";
import {layoutChecksum, normaliseLayout, type Dim, type Method} from "./layouts.js";
import {LayoutStore} from "./layoutStore.js";
import {attachPointerInput} from "./pointerInput.js";
import {recomputeControls} from "./recomputeControls.js";
import {ProjectorScene} from "./scene.js";
import {projectorPage} from "./page.js";
import {selectionControl} from "./selectionControl.js";
import {describePoint} from "./selectionPanel.js";
import {projectorSummary} from "./summary.js";
import {installTestHook, testHooksWanted} from "./testHook.js";
import {projectorToolbar} from "./toolbar.js";
import {urlSync} from "./urlSync.js";
import {readProjectorParams, type ProjectorState} from "./urlState.js";
import {viewSwitch} from "./viewSwitch.js";

export const title = "Embedding projector";

export async function mount(root: HTMLElement, context: ViewContext): Promise<MountedView> {
  root.append(h("h1", {}, title), h("p", {class: "loading"}, "Loading the images…"));
  const data = await loadExport();
  if (context.signal.aborted) return {unmount: () => {}, update: () => false};
  root.replaceChildren();

  const layouts = new LayoutStore(data);
  const defaultMethod = (["umap", "tsne", "pca"] as const).find((m) => layouts.available(m, 2)) ?? "pca";
  const state: ProjectorState = {
    method: defaultMethod,
    dim: 2,
    colouring: "label",
    query: "",
    selection: [],
    fromSearch: false,
    k: 10
  };

  const stage = h("div", {class: "projector-stage", "data-point-count": data.count});
  const axisX = h("div", {class: "axis-label axis-x", hidden: true});
  const axisY = h("div", {class: "axis-label axis-y", hidden: true});
  const summary = h("p", {class: "visually-hidden", id: "projector-summary"});
  const live = h("p", {class: "visually-hidden", "aria-live": "polite"});
  const panel = h("aside", {class: "panel projector-panel", "aria-label": "Selection"});
  const legendBox = h("ul", {class: "legend", "aria-label": "Colour legend"});
  const scene = new ProjectorScene(stage, data.count, data.sprite);
  scene.canvas.setAttribute("aria-label", "Scatter plot of the test images; described below the plot");
  scene.canvas.setAttribute("aria-describedby", "projector-summary");
  stage.append(axisX, axisY);
  const url = urlSync(state, scene, defaultMethod);
  scene.onCameraChange = () => url.cameraMoved();

  /** Shows the current method and dimension; `animate` moves the points there instead of jumping. */
  const applyLayout = (animate = false) => {
    const entry = layouts.get(state.method, state.dim);
    if (!entry) return;
    scene.setDim(state.dim);
    scene.setPositions(entry.positions, animate);
    stage.dataset.method = state.method;
    stage.dataset.dim = String(state.dim);
    stage.dataset.checksum = layoutChecksum(entry.positions);
    const custom = state.method === "custom";
    axisX.hidden = axisY.hidden = !custom;
    axisX.textContent = state.custom?.xName ?? "";
    axisY.textContent = state.custom?.yName ?? "";
    summary.textContent = projectorSummary(
      data,
      {method: state.method, dim: state.dim, recomputed: entry.recomputed, customAxes: state.custom?.description},
      CLASS_NAMES
    );
    switcher.refresh(state.method, state.dim, (m, d) => layouts.available(m, d));
    recompute.refresh(state.method, state.dim);
  };

  const applyColours = () => {
    controls.colourSelect.value = state.colouring;
    writeColours(state.colouring, data, scene.colourArray);
    scene.coloursChanged();
    renderLegend(legendBox, legend(state.colouring, data, CLASS_NAMES), (query) => {
      selection.search(query);
      url.write("push");
    });
  };

  const download = (what: "selection" | "layout") => {
    const entry = layouts.get(state.method, state.dim);
    if (entry) downloadCsv(what, data, entry, state);
  };

  const setView = (method: Method, dim: Dim, animate: boolean) => {
    if (!layouts.available(method, dim)) return false;
    const changed = method !== state.method || dim !== state.dim;
    state.method = method;
    state.dim = dim;
    applyLayout(changed && animate);
    return true;
  };
  const switcher = viewSwitch((method, dim) => {
    const m = method ?? state.method;
    const d = m === "custom" ? 2 : (dim ?? state.dim);
    if (m === "custom" && !layouts.available("custom", 2)) custom.open();
    else if (setView(m, d, true)) url.write("push");
  });

  const recompute = recomputeControls(data, {
    live: (method, dim, layout) => {
      if (state.method !== method || state.dim !== dim) return;
      const positions = normaliseLayout(layout, dim, data.count);
      scene.setPositions(positions);
      stage.dataset.checksum = layoutChecksum(positions);
    },
    done: (method, dim, layout) => {
      layouts.set(method, dim, layout, true);
      if (state.method === method && state.dim === dim) applyLayout(true);
    },
    cancelled: () => applyLayout(true)
  });

  const useCustom = (result: CustomLayout) => {
    state.custom = result;
    layouts.set("custom", 2, result.layout, false);
  };
  const custom = customControls(data, CLASS_NAMES, (result) => {
    useCustom(result);
    state.method = "custom";
    state.dim = 2;
    applyLayout(true);
    url.write("push");
  });

  const controls = projectorToolbar(switcher, {
    colouring: (colouring) => {
      state.colouring = colouring;
      applyColours();
      url.write("push");
    },
    search: (text) => {
      selection.search(text);
      url.typed();
    },
    neighbours: (k) => {
      state.k = k;
      selection.show(state.selection, state.fromSearch);
      url.write("push");
    },
    zoom: (factor) => scene.zoom(factor),
    resetView: () => scene.resetView(),
    downloadLayout: () => download("layout")
  });
  stage.append(controls.viewButtons);

  const selection = selectionControl(
    data,
    state,
    scene,
    {stage, panel, live, searchInput: controls.searchInput, searchStatus: controls.searchStatus},
    {write: url.write, download: () => download("selection")}
  );

  root.append(
    projectorPage({
      title,
      toolbar: controls.toolbar,
      stage,
      legend: legendBox,
      layoutTools: [recompute.element, controls.download],
      custom: custom.element,
      hidden: [summary, live],
      panel,
      neighbours: controls.neighbours
    })
  );

  const open = (i: number) => {
    url.flush();
    navigate("classify", {test: i});
  };
  const detachPointer = attachPointerInput(stage, scene, {
    select: (indices, additive) => selection.select(indices, additive),
    open,
    openSelection: () => {
      if (state.selection.length > 0) open(state.selection[0]);
    },
    centreSelection: () => {
      if (state.selection.length > 0) scene.centreOn(state.selection[0]);
    },
    clearSelection: () => selection.select([]),
    describe: (i) => `Test image ${i}: ${describePoint(data, i, CLASS_NAMES)}`
  });

  /** Shows the state that `params` describe (a new visit, Back or Forward, a pasted URL). */
  const restore = (params: URLSearchParams, animate: boolean) => {
    const wanted = readProjectorParams(params, data.count, defaultMethod);
    if (wanted.custom) {
      try {
        useCustom(customLayout(data, CLASS_NAMES, wanted.custom));
        custom.show(wanted.custom, state.custom?.description ?? "");
      } catch (error) {
        custom.show(wanted.custom, (error as Error).message);
      }
    }
    const views: [Method, Dim][] = [
      [wanted.method, wanted.method === "custom" ? 2 : wanted.dim],
      [wanted.method, 2]
    ];
    const [method, dim] = views.find(([m, d]) => layouts.available(m, d)) ?? [defaultMethod, 2];
    setView(method, dim, animate);
    state.colouring = wanted.colouring;
    applyColours();
    state.k = wanted.k;
    controls.kSelect.value = String(wanted.k);
    const found = selection.search(wanted.query, false);
    selection.show(wanted.selection ?? found ?? [], wanted.selection === undefined && found !== undefined);
    if (!wanted.camera || !scene.restoreCamera(wanted.camera)) scene.resetView();
  };

  restore(context.params, false);
  live.textContent = "";

  const removeTestHook = testHooksWanted() ? installTestHook(scene) : () => {};

  return {
    unmount: () => {
      url.stop();
      recompute.stop();
      detachPointer();
      scene.dispose();
      removeTestHook();
    },
    update: (params) => {
      restore(params, true);
      return true;
    }
  };
}
