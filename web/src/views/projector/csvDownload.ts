/** The projector's two CSV downloads, named after the layout they come from (e.g. fmnist-selection-umap-2d.csv). */
import {CLASS_NAMES} from "../../../../src/core/data/fashionMnist.js";
import type {ExportData} from "../../data/exportData.js";
import {downloadText} from "../../ui/download.js";
import {layoutCsv, selectionCsv} from "./csvExport.js";
import type {Dim, Method} from "./layouts.js";
import type {LayoutEntry} from "./layoutStore.js";

/** Offers the selected images (`selection`) or every point (`layout`) of the layout shown as a CSV file. */
export function downloadCsv(
  what: "selection" | "layout",
  data: ExportData,
  layout: LayoutEntry,
  view: {method: Method; dim: Dim; selection: readonly number[]}
): void {
  const text =
    what === "layout" ? layoutCsv(data.count, layout) : selectionCsv(data, view.selection, layout, CLASS_NAMES);
  downloadText(`fmnist-${what}-${view.method}-${view.dim}d.csv`, text);
}
