/**
 * The Projector's bookmarks file (an array of its `State`): one bookmark per layout of ours, so the
 * TensorBoard Projector opens on the projections `fmnist export` computed. Isomorphic.
 */
import type {Points} from "../embed/points.js";
import type {ProjectionResult} from "../embed/projections.js";
import {decimalsFor, roundedRows} from "./projector.js";

/** A projection as the Projector names it, with its layout. */
export interface BookmarkLayout {
  /** The Projector's projection type (its keys are `${type}-0`, `${type}-1`, …). */
  type: "pca" | "tsne" | "umap";
  layout: Points;
  label: string;
  /** t-SNE perplexity and learning rate, UMAP neighbours and minimum distance (shown in its panel). */
  perplexity?: number;
  learningRate?: number;
  iterations?: number;
  nNeighbors?: number;
  minDist?: number;
}

// The Projector's default cameras (scatterPlot.ts START_CAMERA_POS_2D / _3D).
const CAMERA_2D = {orthographic: true, position: [0, 0, 4], target: [0, 0, 0], zoom: 1};
const CAMERA_3D = {orthographic: false, position: [0.45, 0.9, 1.6], target: [0, 0, 0], zoom: 1};

/**
 * The bookmarks file: one Projector `State` per layout, each holding only its own coordinates
 * (the Projector keeps the other projections it computes itself), coloured and labelled by `Label`.
 */
export function projectorBookmarks(layouts: BookmarkLayout[], dataSetDimensions: [number, number]): object[] {
  return layouts.map((b) => {
    const decimals = decimalsFor(b.layout, 4);
    const rows = roundedRows(b.layout, decimals);
    const projections = rows.map((row) => Object.fromEntries(row.map((v, d) => [`${b.type}-${d}`, v])));
    const is3d = b.layout.dim === 3;
    return {
      label: b.label,
      isSelected: false,
      selectedProjection: b.type,
      dataSetDimensions,
      tSNEIteration: b.type === "tsne" ? (b.iterations ?? 0) : 0,
      tSNEPerplexity: b.perplexity ?? 30,
      tSNELearningRate: b.learningRate ?? 10,
      tSNEis3d: b.type === "tsne" ? is3d : true,
      umapIs3d: b.type === "umap" ? is3d : true,
      umapNeighbors: b.nNeighbors ?? 15,
      umapMinDist: b.minDist ?? 0.1,
      pcaComponentDimensions: b.type === "pca" ? (is3d ? [0, 1, 2] : [0, 1]) : [0, 1, 2],
      customSelectedSearchByMetadataOption: "Label",
      customXLeftText: "",
      customXLeftRegex: false,
      customXRightText: "",
      customXRightRegex: false,
      customYUpText: "",
      customYUpRegex: false,
      customYDownText: "",
      customYDownRegex: false,
      projections,
      selectedPoints: [],
      shuffledDataIndices: [],
      cameraDef: is3d ? CAMERA_3D : CAMERA_2D,
      selectedColorOptionName: "Label",
      forceCategoricalColoring: true,
      selectedLabelOption: "Label"
    };
  });
}

/** One bookmark per computed layout, t-SNE first (the Projector opens on the first). */
export function bookmarksOf(results: readonly ProjectionResult[]): BookmarkLayout[] {
  const labels: Record<string, string> = {pca: "PCA", tsne: "t-SNE", umap: "UMAP"};
  const order = ["tsne", "umap", "pca"];
  const sorted = [...results].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return sorted.flatMap((r) =>
    ([2, 3] as const).flatMap((d) => {
      const layout = r.layouts[d];
      if (!layout) return [];
      const p = r.parameters;
      return [
        {
          type: r.name,
          layout,
          label: `${labels[r.name]} ${d}-D (fmnist export)`,
          perplexity: typeof p.perplexity === "number" ? p.perplexity : undefined,
          learningRate: typeof p.learningRate === "number" ? p.learningRate : undefined,
          iterations: typeof p.iterations === "number" ? p.iterations : undefined,
          nNeighbors: typeof p.nNeighbors === "number" ? p.nNeighbors : undefined,
          minDist: typeof p.minDist === "number" ? p.minDist : undefined
        }
      ];
    })
  );
}
