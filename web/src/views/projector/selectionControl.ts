/**
 * The projector's selection and search: which points are highlighted (search matches, the
 * selection), the Selection panel, and the screen-reader announcement. A search selects what it
 * finds, so its images fill the panel; clearing the search leaves the selection alone.
 */
import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import {imageName, type ExportData} from "../../data/exportData.js";
import {runQuery} from "./queries.js";
import type {ProjectorScene} from "./scene.js";
import {describePoint, renderSelection} from "./selectionPanel.js";
import type {ProjectorState} from "./urlState.js";

export interface SelectionElements {
  stage: HTMLElement;
  panel: HTMLElement;
  /** The polite live region that announces a new selection. */
  live: HTMLElement;
  searchInput: HTMLInputElement;
  searchStatus: HTMLElement;
}

export interface SelectionControl {
  /** Shows `indices` as the selection; the caller writes the URL. */
  show(indices: readonly number[], fromSearch: boolean): void;
  /** The user's selection (replacing, or `additive`): a new history entry. */
  select(indices: readonly number[], additive?: boolean): void;
  /**
   * Runs a search: highlights what it finds and, with `selectFound`, selects it. Returns the
   * matches (undefined: no search, or text that is not a query, which the status explains).
   */
  search(text: string, selectFound?: boolean): number[] | undefined;
}

export function selectionControl(
  data: ExportData,
  state: ProjectorState,
  scene: ProjectorScene,
  elements: SelectionElements,
  actions: {write(mode: "push" | "replace"): void; download(): void}
): SelectionControl {
  const {stage, panel, live, searchInput, searchStatus} = elements;
  /** Search matches as a mask, or undefined when no search is active. */
  let matches: Uint8Array | undefined;

  const applyStates = () => {
    const states = scene.stateArray;
    for (let i = 0; i < data.count; i++) states[i] = matches ? (matches[i] ? 2 : 1) : 0;
    for (const i of state.selection) states[i] = 3;
    scene.statesChanged();
    stage.dataset.selected = state.selection.slice(0, 50).join(",");
    stage.dataset.selectedCount = String(state.selection.length);
  };

  const show = (indices: readonly number[], fromSearch: boolean) => {
    const next = [...new Set(indices)].sort((a, b) => a - b);
    state.selection = next;
    state.fromSearch = fromSearch;
    applyStates();
    renderSelection(panel, data, next, state.k, CLASS_NAMES, {select: (i) => select([i]), download: actions.download});
    live.textContent =
      next.length === 0
        ? "Selection cleared."
        : next.length === 1
          ? `Selected ${imageName(data, next[0])}: ${describePoint(data, next[0], CLASS_NAMES)}.`
          : `Selected ${next.length.toLocaleString("en")} images.`;
  };

  const select = (indices: readonly number[], additive = false) => {
    show(additive ? [...state.selection, ...indices] : indices, false);
    actions.write("push");
  };

  const search = (text: string, selectFound = true): number[] | undefined => {
    state.query = text;
    searchInput.value = text;
    searchInput.removeAttribute("aria-invalid");
    searchStatus.textContent = "";
    let found: number[] | undefined;
    if (text.trim()) {
      try {
        const result = runQuery(text, data, CLASS_NAMES);
        found = result.indices;
        searchStatus.textContent = `${found.length.toLocaleString("en")} ${result.description}`;
      } catch (error) {
        searchStatus.textContent = (error as Error).message;
        searchInput.setAttribute("aria-invalid", "true");
      }
    }
    matches = undefined;
    if (found) {
      matches = new Uint8Array(data.count);
      for (const i of found) matches[i] = 1;
    }
    stage.dataset.matchCount = String(found?.length ?? 0);
    if (found && selectFound) show(found, true);
    else {
      state.fromSearch = false;
      applyStates();
    }
    return found;
  };

  return {show, select, search};
}
